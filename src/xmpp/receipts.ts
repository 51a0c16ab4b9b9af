// What "sent" and "delivered" mean: "sent" is the server's stream-management ack (XEP-0198) of
// our stanza; "delivered" is the contact's client's receipt (XEP-0184). Receipts for incoming
// messages are sent by the engine once the message is safe: stored, or kept by a server that
// archives every IM (src/engine/receiving.ts).
import { xml, type Client } from "@xmpp/client";
import type { Element } from "@xmpp/xml";
import { bareOf, newId } from "./jids";
import { readStanzaError } from "./stanza-error";
import { Emitter } from "../core/emitter";

export const NS_RECEIPTS = "urn:xmpp:receipts";

/** What a message says of one of ours: the contact's client has it (a receipt), or it came back (an error). */
export type ReceiptNews = { kind: "delivered"; id: string; from: string } | { kind: "bounced"; id: string; condition: string; text?: string };

/** Reads a message as news of one we sent; undefined for anything else. */
export function readReceipt(st: Element): ReceiptNews | undefined {
  if (!st.is("message")) return undefined;
  const error = readStanzaError(st);
  if (error) return st.attrs.id ? { kind: "bounced", id: st.attrs.id, condition: error.condition, ...(error.text ? { text: error.text } : {}) } : undefined;
  const r = st.getChild("received", NS_RECEIPTS);
  return r?.attrs.id && st.attrs.from ? { kind: "delivered", id: r.attrs.id, from: bareOf(st.attrs.from) } : undefined;
}

/** Should this message be answered with a receipt? (a request, an id, not a groupchat or error) */
export const receiptWanted = (st: Element) =>
  Boolean(st.getChild("request", NS_RECEIPTS) && st.attrs.id && st.attrs.type !== "groupchat" && st.attrs.type !== "error");

/** The receipt for `st` (XEP-0184 §5.3): to its sender, naming its id. */
export const receiptFor = (st: Element, id = newId("rcpt")) =>
  xml("message", { to: st.attrs.from, id }, xml("received", { xmlns: NS_RECEIPTS, id: st.attrs.id }));

export function receipts({ xmpp }: { xmpp: Client }) {
  const events = new Emitter<{ delivered: [id: string, from: string]; acked: [id: string]; bounced: [id: string, condition: string, text?: string] }>();

  xmpp.on("stanza", (st: Element) => {
    const news = readReceipt(st);
    // a bounce: the server's (or their server's) answer to one of our messages, why it could not be delivered
    if (news?.kind === "bounced") events.emit("bounced", news.id, news.condition, news.text);
    else if (news) events.emit("delivered", news.id, news.from);
  });
  xmpp.streamManagement.on("ack", (stanza: Element) => {
    if (stanza?.is?.("message") && stanza.attrs.id) events.emit("acked", stanza.attrs.id);
  });

  return {
    /** Should we answer this message with a receipt? (a request, an id, not a groupchat or error) */
    wanted: receiptWanted,
    /** Confirms an incoming message once it is safe (stored, or in an archive that keeps every IM). */
    confirm: (st: Element) => xmpp.send(receiptFor(st)),
    onDelivered: (fn: (id: string, from: string) => void) => events.on("delivered", fn),
    onAcked: (fn: (id: string) => void) => events.on("acked", fn),
    /** A message of ours came back as an error (RFC 6120 §8.3): its id, the condition, the server's text. */
    onBounced: (fn: (id: string, condition: string, text?: string) => void) => events.on("bounced", fn),
  };
}
export type Receipts = ReturnType<typeof receipts>;
