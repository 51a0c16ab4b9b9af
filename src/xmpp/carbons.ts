// Message carbons (XEP-0280): copies of what the user sends and receives on other devices, so
// the history here is complete. A carbon is believed only when it comes from our own bare JID.
import { xml, type Client } from "@xmpp/client";
import type { Element } from "@xmpp/xml";
import { NS_FORWARD } from "./history-payload";
import { Emitter } from "../core/emitter";

export const NS_CARBONS = "urn:xmpp:carbons:2";

/**
 * The message a carbon carries and which way it went; undefined for a stanza that is not a carbon,
 * and for a forged one: a carbon is believed only from the user's own bare JID (`own`) — anyone
 * else can wrap a message in <received/> to put words in a contact's mouth (XEP-0280 §11).
 */
export function readCarbon(st: Element, own: string | undefined): { direction: "sent" | "received"; message: Element } | undefined {
  if (!st.is("message")) return undefined;
  const wrap = st.getChild("sent", NS_CARBONS) ?? st.getChild("received", NS_CARBONS);
  if (!wrap || !own || st.attrs.from !== own) return undefined;
  const forwarded = wrap.getChild("forwarded", NS_FORWARD);
  const message = forwarded?.getChild("message", "jabber:client") ?? forwarded?.getChild("message");
  return message && { direction: wrap.name as "sent" | "received", message };
}

export function carbons({ xmpp }: { xmpp: Client }) {
  const events = new Emitter<{ carbon: [direction: "sent" | "received", message: Element] }>();
  xmpp.on("stanza", (st: Element) => {
    const carbon = readCarbon(st, xmpp.jid?.bare().toString());
    if (carbon) events.emit("carbon", carbon.direction, carbon.message);
  });
  return {
    enable: () => xmpp.iqCaller.set(xml("enable", { xmlns: NS_CARBONS })),
    onCarbon: (fn: (direction: "sent" | "received", message: Element) => void) => events.on("carbon", fn),
  };
}
