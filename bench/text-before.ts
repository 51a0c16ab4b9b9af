// The text readers as they were before issue 21 (item 1), copied here as they stood: the baseline
// `npm run bench text` times beside today's, and the oracle test/core/linear-text.test.ts compares
// today's answers with on short random text (where these regexes are still quick). Never imported
// by the add-in.
import { cleanName, parseInvitationLink, parseInvitationUri, type Invitation } from "../src/core";

export function findInvitationBefore(candidates: string[]): (Invitation & { link?: string }) | undefined {
  let fromUri: Invitation | undefined;
  for (const c of candidates) {
    for (const m of c.matchAll(/https?:\/\/[^\s"'<>]+#[^\s"'<>]*s=[0-9a-fA-F-]{36}[^\s"'<>]*/g)) {
      try {
        const link = m[0].replace(/&amp;/g, "&");
        return { ...parseInvitationLink(link), link };
      } catch {
        // not ours, or damaged: look further
      }
    }
    for (const m of c.matchAll(/xmpp:[^\s"'<>]+\?join/gi)) {
      try {
        fromUri ??= parseInvitationUri(m[0]);
      } catch {
        // idem
      }
    }
  }
  return fromUri;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

export function htmlToTextBefore(html: string): string {
  return html
    .replace(/<(script|style|head|title|template|noscript)\b[\s\S]*?<\/\1\s*>/gi, " ")
    .replace(/<!--[\s\S]*?-->/g, " ")
    .replace(/<(br|\/p|\/div|\/li|\/tr|\/h[1-6])\b[^>]*>/gi, "\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === "#") {
        const code = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return code > 0 && code < 0x110000 ? String.fromCodePoint(code) : "";
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    })
    .replace(/[ \t\r\f\v]+/g, " ")
    .replace(/ *\n[ \n]*/g, "\n")
    .trim();
}

/** parseEml's address-header split (src/core/eml.ts). */
export function addressesBefore(v: string): string[] {
  return v
    .split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The mapper's signature scan (src/core/mapping.ts, XMPP_URI), in the shape of xmppUris. */
export function xmppUrisBefore(text: string): { jid: string; action: string; index: number }[] {
  return [...text.matchAll(/xmpp:([^\s?<>"'(),;]+@[^\s?<>"'(),;]+)(\?[a-z]*)?/gi)].map((m) => ({
    jid: m[1]!,
    action: (m[2] ?? "").toLowerCase(),
    index: m.index,
  }));
}

/** normaliseJid's first step (src/core/address.ts): the address without its query. */
export function withoutQueryBefore(s: string): string {
  return s.replace(/\?.*$/, "");
}

/** findInvitation's two regexes alone: what each found, in order. */
export const joinLinksBefore = (text: string) => [...text.matchAll(/https?:\/\/[^\s"'<>]+#[^\s"'<>]*s=[0-9a-fA-F-]{36}[^\s"'<>]*/g)].map((m) => m[0]);
export const joinUrisBefore = (text: string) => [...text.matchAll(/xmpp:[^\s"'<>]+\?join/gi)].map((m) => m[0]);

/** The history payload's address reader (src/xmpp/history-payload.ts, who()). */
export const angleAddressBefore = (s: string) => s.replace(/^.*<([^>]+)>.*$/, "$1").trim();

/** nameFromHeader (src/core/people.ts): a From header's display name. */
export function nameFromHeaderBefore(header: string): string | undefined {
  const m = /^\s*(.*?)\s*<([^<>]*)>\s*$/.exec(String(header ?? ""));
  if (!m) return undefined;
  let name = m[1]!;
  if (name.startsWith('"') && name.endsWith('"') && name.length >= 2) name = name.slice(1, -1).replace(/\\(.)/g, "$1");
  return cleanName(name, m[2]);
}
