// Message carbons (XEP-0280): copies of what the user sends and receives on other devices, so
// the history here is complete. A carbon is believed only when it comes from our own bare JID.
import { xml, type Client } from "@xmpp/client";
import type { Element } from "@xmpp/xml";
import { NS_FORWARD } from "./history-payload";
import { Emitter } from "../core/emitter";

export const NS_CARBONS = "urn:xmpp:carbons:2";

export function carbons({ xmpp }: { xmpp: Client }) {
  const events = new Emitter<{ carbon: [direction: "sent" | "received", message: Element] }>();
  xmpp.on("stanza", (st: Element) => {
    if (!st.is("message")) return;
    const wrap = st.getChild("sent", NS_CARBONS) ?? st.getChild("received", NS_CARBONS);
    if (!wrap) return;
    const own = xmpp.jid?.bare().toString();
    if (st.attrs.from !== own) return; // forged carbon
    const inner = wrap.getChild("forwarded", NS_FORWARD)?.getChild("message", "jabber:client") ?? wrap.getChild("forwarded", NS_FORWARD)?.getChild("message");
    if (inner) events.emit("carbon", wrap.name as "sent" | "received", inner);
  });
  return {
    enable: () => xmpp.iqCaller.set(xml("enable", { xmlns: NS_CARBONS })),
    onCarbon: (fn: (direction: "sent" | "received", message: Element) => void) => events.on("carbon", fn),
  };
}
