// What "sent" and "delivered" mean: "sent" is the server's stream-management ack (XEP-0198) of
// our stanza; "delivered" is the contact's client's receipt (XEP-0184). Receipts for incoming
// messages are sent by the engine after it has stored the message, not before.
import { xml, type Client } from "@xmpp/client";
import type { Element } from "@xmpp/xml";
import { bareOf, newId } from "./jids";
import { Emitter } from "../core/emitter";

export const NS_RECEIPTS = "urn:xmpp:receipts";

export function receipts({ xmpp }: { xmpp: Client }) {
  const events = new Emitter<{ delivered: [id: string, from: string]; acked: [id: string]; bounced: [id: string, condition: string, text?: string] }>();

  xmpp.on("stanza", (st: Element) => {
    if (!st.is("message")) return;
    if (st.attrs.type === "error" && st.attrs.id) {
      // the server's (or their server's) answer to one of our messages: why it could not be delivered
      const err = st.getChild("error");
      const condition = err?.children.find((c): c is Element => typeof c !== "string" && c.attrs.xmlns === "urn:ietf:params:xml:ns:xmpp-stanzas" && c.name !== "text")?.name ?? "undefined-condition";
      return events.emit("bounced", st.attrs.id, condition, err?.getChildText("text", "urn:ietf:params:xml:ns:xmpp-stanzas") ?? undefined);
    }
    const r = st.getChild("received", NS_RECEIPTS);
    if (r?.attrs.id) events.emit("delivered", r.attrs.id, bareOf(st.attrs.from));
  });
  xmpp.streamManagement.on("ack", (stanza: Element) => {
    if (stanza?.is?.("message") && stanza.attrs.id) events.emit("acked", stanza.attrs.id);
  });

  return {
    /** Should we answer this message with a receipt? (a request, an id, not a groupchat or error) */
    wanted: (st: Element) => Boolean(st.getChild("request", NS_RECEIPTS) && st.attrs.id && st.attrs.type !== "groupchat" && st.attrs.type !== "error"),
    /** Confirms an incoming message once it is stored. */
    confirm: (st: Element) =>
      xmpp.send(xml("message", { to: st.attrs.from, id: newId("rcpt") }, xml("received", { xmlns: NS_RECEIPTS, id: st.attrs.id }))),
    onDelivered: (fn: (id: string, from: string) => void) => events.on("delivered", fn),
    onAcked: (fn: (id: string) => void) => events.on("acked", fn),
    /** A message of ours came back as an error (RFC 6120 §8.3): its id, the condition, the server's text. */
    onBounced: (fn: (id: string, condition: string, text?: string) => void) => events.on("bounced", fn),
  };
}
export type Receipts = ReturnType<typeof receipts>;
