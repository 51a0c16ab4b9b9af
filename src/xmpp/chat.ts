// One-to-one chat messages. Every message we send carries an id that stays the same across
// retries, a receipt request, "active" (XEP-0085), and (optionally) the history payload.
// Chat states (XEP-0085) both ways: the other side's composing/paused/active/inactive/gone are
// heard (also on a bodiless message), and the user's are sent as standalone notifications.
import { xml, type Client } from "@xmpp/client";
import type { Element } from "@xmpp/xml";
import { bareOf } from "./jids";
import { NS_RECEIPTS } from "./receipts";
import { Emitter } from "../core/emitter";

export const NS_CHATSTATES = "http://jabber.org/protocol/chatstates";
export const NS_DELAY = "urn:xmpp:delay";

export interface OutgoingChat {
  to: string;
  id: string;
  body: string;
  extra?: Element[];
}

export interface IncomingChat {
  id?: string;
  from: string; // full JID
  bare: string;
  body: string;
  stamp?: number; // from <delay/>, for offline or archived messages
  stanza: Element;
}

export const CHAT_STATES = ["active", "composing", "paused", "inactive", "gone"] as const;
export type ChatState = (typeof CHAT_STATES)[number];

/** The chat state a one-to-one message carries (XEP-0085 §5.5: one at most), if any. */
export function readChatState(st: Element): { from: string; bare: string; state: ChatState } | undefined {
  if (!st.is("message") || st.attrs.type === "error" || st.attrs.type === "groupchat" || !st.attrs.from) return undefined;
  const state = CHAT_STATES.find((s) => st.getChild(s, NS_CHATSTATES));
  return state && { from: st.attrs.from, bare: bareOf(st.attrs.from), state };
}

/** A standalone chat state notification (no body; XEP-0334 no-store so archives keep only messages). */
export function chatStateMessage(to: string, state: ChatState): Element {
  return xml("message", { to, type: "chat" }, xml(state, { xmlns: NS_CHATSTATES }), xml("no-store", { xmlns: "urn:xmpp:hints" }));
}

/** Reads a chat message; undefined for anything that is not one (errors, groupchat, bodiless). */
export function readChat(st: Element): IncomingChat | undefined {
  if (!st.is("message") || st.attrs.type === "error" || st.attrs.type === "groupchat" || st.attrs.type === "headline") return undefined;
  const body = st.getChildText("body");
  if (body === null || body === undefined || !st.attrs.from) return undefined;
  const delay = st.getChild("delay", NS_DELAY)?.attrs.stamp;
  const stamp = delay ? Date.parse(delay) : undefined;
  return { id: st.attrs.id, from: st.attrs.from, bare: bareOf(st.attrs.from), body, stamp: Number.isFinite(stamp) ? stamp : undefined, stanza: st };
}

export function chatMessage(m: OutgoingChat): Element {
  return xml(
    "message",
    { to: m.to, id: m.id, type: "chat" },
    xml("body", {}, m.body),
    xml("request", { xmlns: NS_RECEIPTS }),
    xml("active", { xmlns: NS_CHATSTATES }),
    xml("origin-id", { xmlns: "urn:xmpp:sid:0", id: m.id }),
    ...(m.extra ?? []),
  );
}

export function chat({ xmpp }: { xmpp: Client }) {
  const events = new Emitter<{ message: [IncomingChat]; state: [string, ChatState] }>();

  xmpp.on("stanza", (st: Element) => {
    if (!st.is("message") || st.getChild("sent", "urn:xmpp:carbons:2") || st.getChild("received", "urn:xmpp:carbons:2")) return;
    const m = readChat(st);
    if (m) events.emit("message", m);
    // a delayed (offline, archived) message's state is old news: only live ones say what they do now
    const cs = st.getChild("delay", NS_DELAY) ? undefined : readChatState(st);
    if (cs) events.emit("state", cs.bare, cs.state);
  });

  return {
    send: (m: OutgoingChat) => xmpp.send(chatMessage(m)),
    onMessage: (fn: (m: IncomingChat) => void) => events.on("message", fn),
    /** XEP-0085: tells `to` what the user is doing in the conversation (composing, paused, active…). */
    sendState: (to: string, state: ChatState) => xmpp.send(chatStateMessage(to, state)),
    /** XEP-0085: what the other side is doing (their bare JID and the state). */
    onState: (fn: (bare: string, state: ChatState) => void) => events.on("state", fn),
  };
}
export type Chat = ReturnType<typeof chat>;
