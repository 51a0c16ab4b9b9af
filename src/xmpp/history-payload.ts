// The history that travels with an IM (F3). Any client reads the plain-text digest in <body>;
// this add-in on the other side reads one namespaced element holding the emails and, as
// XEP-0297 <forwarded/> stanzas, the earlier IMs. The receiver trusts none of it: it is size-
// capped, checked with zod, accepted only when every item is between the sender and the
// receiver and dated between the first email ever sent and now, and stored marked as theirs.
// What it says the receiver wrote is not taken: the receiver's own words are in their own
// mailbox and store, and a sender must not be able to put words in their mouth.
import { xml } from "@xmpp/client";
import type { Element } from "@xmpp/xml";
import * as z from "zod/mini";
import { $ZodError } from "zod/v4/core";
import { angleAddress } from "../core/address";
import { Exchange, type Attachment } from "../core/schemas";
import { clip } from "../core/text";
import { bareOf } from "./jids";
import { NS_DELAY } from "./chat";

export const NS_HISTORY = "urn:reply-via-im:history:0";
export const NS_FORWARD = "urn:xmpp:forward:0";
/** A payload larger than this is refused whole by the receiver. */
export const MAX_PAYLOAD_CHARS = 200_000;
export const MAX_ITEMS = 200;
/** An address as a header writes it, display name included (the limit the attributes have too). */
const MAX_ADDRESS = 3071;
const ITEM_TEXT = 16_000;

export function historyElement(items: Exchange[], omitted = 0): Element {
  return xml(
    "history",
    { xmlns: NS_HISTORY, omitted: String(omitted) },
    ...items.map((x) => {
      const stamp = new Date(x.at).toISOString();
      if (x.kind === "email") {
        return xml(
          "email",
          { "message-id": x.key, at: stamp, from: x.from, subject: x.subject ?? "" },
          ...x.to.map((t) => xml("to", {}, t)),
          xml("text", {}, clip(x.text, ITEM_TEXT)),
          ...x.attachments.map((a) => xml("attachment", { name: a.name, size: String(a.size), type: a.contentType, url: a.url })),
        );
      }
      return xml(
        "forwarded",
        { xmlns: NS_FORWARD },
        xml("delay", { xmlns: NS_DELAY, stamp }),
        xml(
          "message",
          { xmlns: "jabber:client", from: x.from, to: x.to[0] ?? "", id: x.key, type: "chat" },
          xml("body", {}, clip(x.text, ITEM_TEXT)),
          ...x.attachments.map((a) => xml("attachment", { xmlns: NS_HISTORY, name: a.name, size: String(a.size), type: a.contentType, url: a.url })),
        ),
      );
    }),
  );
}

// zod/mini, as in core/schemas.ts (which sets the English messages this file's refusals quote)
const AttachmentAttrs = z.object({
  name: z.string().check(z.minLength(1), z.maxLength(255)),
  size: z.coerce.number().check(z.int(), z.nonnegative(), z.maximum(10 * 1024 ** 3)),
  type: z.optional(z.string().check(z.maxLength(255))),
  url: z.optional(
    z.string().check(
      z.url(),
      z.maxLength(2048),
      z.refine((u) => /^https?:/i.test(u), "only http(s) links"),
    ),
  ),
});
const EmailAttrs = z.object({
  "message-id": z.string().check(z.minLength(1), z.maxLength(1000)),
  at: z.string().check(z.iso.datetime({ offset: true })),
  from: z.string().check(z.minLength(3), z.maxLength(MAX_ADDRESS)),
  subject: z._default(z.string().check(z.maxLength(2000)), ""),
});
const ImAttrs = z.object({
  id: z.string().check(z.minLength(1), z.maxLength(1000)),
  from: z.string().check(z.minLength(3), z.maxLength(MAX_ADDRESS)),
  to: z.string().check(z.minLength(3), z.maxLength(MAX_ADDRESS)),
});

export interface Party {
  jid: string; // bare
  email: string;
}

export interface ReadHistory {
  items: Exchange[];
  omitted: number;
  /** Why the payload was refused (the message itself is still shown). */
  rejected?: string;
  /** How many items claimed to be the receiver's own words: left out, never shown as theirs. */
  yours?: number;
}

/** No email is older than the first one (1971); a clock a little ahead is not an attack. */
const EARLIEST = Date.UTC(1971, 0, 1);
const CLOCK_SKEW_MS = 10 * 60_000;

/** Whether a message carries a history payload at all (read or not). */
export const hasHistory = (message: Element): boolean => !!message.getChild("history", NS_HISTORY);

function attachments(parent: Element): Attachment[] {
  return parent.getChildren("attachment").map((a) => {
    const p = AttachmentAttrs.parse(a.attrs);
    return { name: p.name, size: p.size, contentType: p.type ?? "application/octet-stream", url: p.url };
  });
}

/**
 * Reads the payload of a message from `sender` to `me`. Everything in it must be between those
 * two people; otherwise the whole payload is rejected (a third party cannot plant history).
 */
export function readHistory(message: Element, sender: Party, me: Party, now = Date.now()): ReadHistory | undefined {
  const el = message.getChild("history", NS_HISTORY);
  if (!el) return undefined;
  const refuse = (why: string): ReadHistory => ({ items: [], omitted: 0, rejected: why });
  if (el.toString().length > MAX_PAYLOAD_CHARS) return refuse(`history payload larger than ${MAX_PAYLOAD_CHARS} characters`);
  const children = el.getChildElements();
  if (children.length > MAX_ITEMS) return refuse(`history payload with more than ${MAX_ITEMS} items`);
  const senderIds = new Set([sender.jid, sender.email].map((s) => s.toLowerCase()));
  const myIds = new Set([me.jid, me.email].map((s) => s.toLowerCase()));
  const who = (addr: string) => {
    const a = bareOf(angleAddress(addr));
    return senderIds.has(a) ? "sender" : myIds.has(a) ? "me" : "other";
  };
  const items: Exchange[] = [];
  let yours = 0;
  const dated = (at: number) => Number.isFinite(at) && at >= EARLIEST && at <= now + CLOCK_SKEW_MS;
  try {
    for (const c of children) {
      if (c.name === "email") {
        const a = EmailAttrs.parse(c.attrs);
        const to = c
          .getChildren("to")
          .map((t) => t.text())
          .slice(0, 500);
        if (to.some((t) => t.length > MAX_ADDRESS)) return refuse("history names an address longer than any address can be");
        const from = who(a.from);
        const parties = new Set([from, ...to.map(who)]);
        if (from === "other" || !(parties.has("sender") && parties.has("me"))) {
          return refuse("history names an email that is not between you and the sender");
        }
        if (!dated(Date.parse(a.at))) return refuse("history dates an email in the future or before email existed");
        if (from === "me") {
          yours++;
          continue;
        }
        items.push(
          Exchange.parse({
            id: `email:${a["message-id"]}`,
            kind: "email",
            key: a["message-id"],
            counterpart: sender.email,
            direction: from === "sender" ? "in" : "out",
            at: Date.parse(a.at),
            from: a.from,
            to,
            subject: a.subject,
            text: clip(c.getChildText("text") ?? "", ITEM_TEXT),
            attachments: attachments(c),
            origin: "theirs",
          }),
        );
      } else if (c.name === "forwarded" && c.attrs.xmlns === NS_FORWARD) {
        const inner = c.getChild("message", "jabber:client") ?? c.getChild("message");
        if (!inner) return refuse("a forwarded item without a message");
        const a = ImAttrs.parse(inner.attrs);
        const stamp = Date.parse(c.getChild("delay", NS_DELAY)?.attrs.stamp ?? "");
        if (!Number.isFinite(stamp)) return refuse("a forwarded item without a valid time");
        if (!dated(stamp)) return refuse("history dates an IM in the future or before email existed");
        const [f, t] = [who(a.from), who(a.to)];
        if (f === "other" || t === "other" || f === t) return refuse("history names an IM that is not between you and the sender");
        if (f === "me") {
          yours++;
          continue;
        }
        items.push(
          Exchange.parse({
            id: `im:${a.id}`,
            kind: "im",
            key: a.id,
            counterpart: sender.email,
            direction: f === "sender" ? "in" : "out",
            at: stamp,
            from: bareOf(a.from),
            to: [bareOf(a.to)],
            text: clip(inner.getChildText("body") ?? "", ITEM_TEXT),
            attachments: inner.getChildren("attachment").length ? attachments(inner) : [],
            origin: "theirs",
          }),
        );
      } else {
        return refuse(`unknown history item <${c.name}>`);
      }
    }
  } catch (err) {
    return refuse(
      `malformed history payload (${err instanceof $ZodError ? err.issues[0]?.path.join(".") + ": " + err.issues[0]?.message : (err as Error).message})`,
    );
  }
  const omitted = Number(el.attrs.omitted ?? 0);
  return { items, omitted: Number.isFinite(omitted) && omitted >= 0 ? Math.trunc(omitted) : 0, ...(yours ? { yours } : {}) };
}
