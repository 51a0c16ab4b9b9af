// One reading of a one-to-one IM, wherever it comes from — live, as a carbon's inner message
// (XEP-0280), or from the archive (XEP-0313) — so each path stores the same thing under the
// same key: the IM alone (the history's digest that follows it in <body> for other clients is
// cut off by the payload's text-length), its attachments' links (XEP-0066), and a key that is
// the same on every path (origin-id, else the sender's id, else the server's stanza-id).
import type { Element } from "@xmpp/xml";
import { readChat } from "./chat";
import { NS_HISTORY } from "./history-payload";
import { bareOf } from "./jids";

export const NS_SID = "urn:xmpp:sid:0";
export const NS_OOB = "jabber:x:oob";

export interface ReadIm {
  /** The same on every path: origin-id, the message id, the server's stanza-id, or (for none) a fallback. */
  key: string;
  from: string;
  bare: string;
  /** The bare JID it was addressed to. */
  to: string;
  /** The IM as its writer wrote it (without the history digest). */
  text: string;
  /** The whole body, digest included. */
  body: string;
  stamp?: number;
  /** XEP-0066 links, http(s) only. */
  links: { name: string; url: string }[];
  stanza: Element;
}

/** The IM's text: the body up to the history payload's text-length, when that is sound. */
export function imText(message: Element, body: string): string {
  const len = Number(message.getChild("history", NS_HISTORY)?.attrs["text-length"]);
  return Number.isInteger(len) && len >= 0 && len <= body.length ? body.slice(0, len) : body;
}

/**
 * Reads a chat message; undefined for anything that is not one (errors, groupchat, bodiless).
 * `own`: the user's bare JID (to pick the stanza-id our server gave); `fallbackKey` for a message
 * with no id at all.
 */
export function readIncoming(st: Element, opts: { own?: string; stamp?: number; fallbackKey?: () => string } = {}): ReadIm | undefined {
  const m = readChat(st);
  if (!m) return undefined;
  const to = st.attrs.to ? bareOf(st.attrs.to) : (opts.own ?? "");
  const stanzaId = st.getChildren("stanza-id", NS_SID).find((s) => !opts.own || s.attrs.by === opts.own)?.attrs.id;
  const stamp = opts.stamp ?? m.stamp;
  const key = st.getChild("origin-id", NS_SID)?.attrs.id ?? m.id ?? stanzaId ?? opts.fallbackKey?.() ?? `${m.bare}:${stamp ?? ""}:${m.body.slice(0, 50)}`;
  const links = st
    .getChildren("x")
    .filter((x) => x.attrs.xmlns === NS_OOB)
    .map((x) => ({ name: x.getChildText("desc") || "attachment", url: x.getChildText("url") ?? "" }))
    .filter((l) => /^https?:/.test(l.url));
  return { key, from: m.from, bare: m.bare, to, text: imText(st, m.body), body: m.body, stamp, links, stanza: st };
}
