// Invitations (groundwork for F10): a chat session is an XMPP room named by a random UUID —
// the UUID is the capability, so it must be unguessable and is checked strictly when parsed.
// The join link carries the session in the fragment, which browsers do not send to servers.
import { asciiDomain, isLoopbackHost, normaliseEmail } from "./address";
import { UserFacingError } from "./errors";
import { joinLinksIn, joinUrisIn } from "./scan";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function newSessionId(): string {
  return globalThis.crypto.randomUUID();
}

export function isSessionId(id: string): boolean {
  return UUID.test(id);
}

export interface Invitation {
  session: string; // the UUID
  mucDomain: string; // e.g. conference.example.org
  from?: string; // the inviter's email address: the return address
}

export function roomJid(inv: Pick<Invitation, "session" | "mucDomain">): string {
  return `${inv.session}@${inv.mucDomain}`;
}

const bad = (what: string) =>
  new UserFacingError("invalid-invitation", `This invitation link is not valid (${what}).`, "Ask the sender to send the invitation again.");

function checked(inv: Invitation): Invitation {
  const session = inv.session.toLowerCase();
  if (!isSessionId(session)) throw bad("unknown session id");
  const mucDomain = asciiDomain(inv.mucDomain);
  if (!mucDomain) throw bad("bad chat server");
  let from: string | undefined;
  if (inv.from) {
    try {
      from = normaliseEmail(inv.from);
    } catch {
      throw bad("bad sender address");
    }
  }
  return from ? { session, mucDomain, from } : { session, mucDomain };
}

/** https://base/join.html#s=<uuid>&m=<muc domain>&f=<inviter> */
export function invitationLink(joinPage: string, inv: Invitation): string {
  const page = new URL(joinPage);
  if (page.protocol !== "https:" && !isLoopbackHost(page.hostname)) {
    throw new UserFacingError(
      "invalid-invitation",
      `The join page ${joinPage} is not served over HTTPS.`,
      "Set an https:// base URL in the add-in's settings.",
    );
  }
  const ok = checked(inv);
  const params = new URLSearchParams({ s: ok.session, m: ok.mucDomain });
  if (ok.from) params.set("f", ok.from);
  page.hash = params.toString();
  return page.toString();
}

export function parseInvitationLink(link: string): Invitation {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw bad("not a link");
  }
  const params = new URLSearchParams(url.hash.replace(/^#/, ""));
  const session = params.get("s");
  const mucDomain = params.get("m");
  if (!session || !mucDomain) throw bad("parts are missing");
  return checked({ session, mucDomain, from: params.get("f") ?? undefined });
}

/** RFC 5122: xmpp:<uuid>@<muc>?join */
export function invitationUri(inv: Pick<Invitation, "session" | "mucDomain">): string {
  const ok = checked(inv);
  return `xmpp:${roomJid(ok)}?join`;
}

/** Ours are under 400 characters (a UUID, a domain, "?join"); a longer one is not read at all. */
const MAX_URI = 4096;

export function parseInvitationUri(uri: string): Invitation {
  if (uri.length > MAX_URI) throw bad("too long");
  // linear: each quantified class stops at a character it excludes ("@", "?", "/"), so there is
  // one way to split the address; only the optional `;…` tail backs up, once, over its own line
  const m = /^xmpp:(?:\/\/[^/]*\/)?([^@?#/]+)@([^?#/]+)\?join(?:;.*)?$/i.exec(uri.trim());
  if (!m) throw bad("not an xmpp: join address");
  return checked({ session: decodeURIComponent(m[1]!), mucDomain: decodeURIComponent(m[2]!) });
}

export interface InvitationContent {
  /** The join page's link; none when no join page is set up (an XMPP app joins by `uri`). */
  link?: string;
  uri: string;
  inviter: string;
  iconUrl?: string;
  subject?: string;
  /** Who may come in: anyone with the link (default), or only the invited XMPP accounts. */
  membersOnly?: boolean;
  /** A room password is set; it is never written into the email — the inviter gives it out. */
  passwordNeeded?: boolean;
}

/** The line that tells a recipient what joining needs beyond the link (empty when nothing). */
function accessNote(c: InvitationContent): string {
  const parts: string[] = [];
  if (c.membersOnly) parts.push("Only the invited XMPP addresses can join");
  if (c.passwordNeeded) parts.push(`a password is needed: ask ${c.inviter} for it`);
  if (!parts.length) return "";
  const s = parts.join("; ");
  return s[0]!.toUpperCase() + s.slice(1) + ".";
}

/** What goes into the draft (F10): the icon, the link, the xmpp: URI, and one plain line. */
export function invitationHtml(c: InvitationContent): string {
  const e = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  const icon = c.iconUrl ? `<img src="${e(c.iconUrl)}" alt="" width="32" height="32" style="vertical-align:middle"> ` : "";
  // no join page set up: the xmpp: link is the way in, and no web link that cannot work
  const main = c.link ?? c.uri;
  const ways = c.link
    ? `In a browser: <a href="${e(c.link)}">${e(c.link)}</a> · In an XMPP app: <a href="${e(c.uri)}">${e(c.uri)}</a>`
    : `In an XMPP app: <a href="${e(c.uri)}">${e(c.uri)}</a>`;
  return (
    `<div class="rvi-invitation" data-rvi-session="${e(main)}">` +
    `<a href="${e(main)}">${icon}Join the live chat${c.subject ? ` about “${e(c.subject)}”` : ""}</a><br>` +
    `<span style="font-size:smaller">${ways} · From ${e(c.inviter)}</span>` +
    (accessNote(c) ? `<br><span style="font-size:smaller">${e(accessNote(c))}</span>` : "") +
    `</div>`
  );
}

export function invitationText(c: InvitationContent): string {
  const note = accessNote(c);
  const where = c.link ? `${c.link} (XMPP: ${c.uri})` : `${c.uri} (in an XMPP app)`;
  return `Join the live chat${c.subject ? ` about "${c.subject}"` : ""}: ${where} — from ${c.inviter}${note ? ` ${note}` : ""}`;
}

/**
 * F13: the invitation an email carries, from the links and text found in it (join links first,
 * then `xmpp:…?join` addresses); undefined when there is none. Damaged links are skipped. Reads
 * each text once: an email's text is its sender's to choose (src/core/scan.ts).
 */
export function findInvitation(candidates: string[]): (Invitation & { link?: string }) | undefined {
  let fromUri: Invitation | undefined;
  for (const c of candidates) {
    for (const found of joinLinksIn(c)) {
      try {
        const link = found.replace(/&amp;/g, "&");
        return { ...parseInvitationLink(link), link };
      } catch {
        // not ours, or damaged: look further
      }
    }
    for (const found of joinUrisIn(c)) {
      try {
        fromUri ??= parseInvitationUri(found);
      } catch {
        // idem
      }
    }
  }
  return fromUri;
}
