// Roster and presence (RFC 6121): who is online on which resource, subscriptions, and the
// roster itself. A subscription request is approved only when `approve` says so (F14: nobody
// sees the user's presence without permission); others are held as requests.
import { xml, type Client } from "@xmpp/client";
import type { Element } from "@xmpp/xml";
import { bareOf, resourceOf } from "./jids";
import { Emitter } from "../core/emitter";

export interface ResourcePresence {
  show: "available" | "away" | "chat" | "dnd" | "xa";
  status?: string;
  priority: number;
}
export interface RosterItem {
  jid: string;
  name?: string;
  subscription: "none" | "to" | "from" | "both" | "remove";
  ask?: string;
}

const NS_ROSTER = "jabber:iq:roster";
/** Most subscription requests held in memory for the user to decide. */
export const MAX_HELD = 200;

export function presence({ xmpp, approve }: { xmpp: Client; approve?: (bare: string) => boolean | Promise<boolean> }) {
  const online = new Map<string, Map<string, ResourcePresence>>();
  const events = new Emitter<{ change: [bare: string, available: boolean]; request: [bare: string]; roster: [] }>();
  const held = new Set<string>();
  let roster = new Map<string, RosterItem>();

  const isAvailable = (bare: string) => (online.get(bare.toLowerCase())?.size ?? 0) > 0;

  function setResource(bare: string, resource: string, p: ResourcePresence | undefined) {
    const was = isAvailable(bare);
    const map = online.get(bare) ?? new Map<string, ResourcePresence>();
    if (p) map.set(resource, p);
    else map.delete(resource);
    if (map.size) online.set(bare, map);
    else online.delete(bare);
    const now = isAvailable(bare);
    if (was !== now || p) events.emit("change", bare, now);
  }

  async function approveRequest(bare: string) {
    held.delete(bare);
    await xmpp.send(xml("presence", { to: bare, type: "subscribed" }));
    const item = roster.get(bare);
    if (!item || (item.subscription !== "to" && item.subscription !== "both" && !item.ask)) {
      await xmpp.send(xml("presence", { to: bare, type: "subscribe" }));
    }
  }

  /** A subscription request: approved when `approve` says so, else held for the user to decide. */
  async function answerRequest(bare: string) {
    if (approve && (await approve(bare))) await approveRequest(bare);
    else hold(bare);
  }
  let dropped = 0;
  function hold(bare: string) {
    held.delete(bare); // asked again: the newest
    held.add(bare);
    // bounded: a flood of requests from strangers keeps the newest MAX_HELD (a Set keeps insertion order)
    for (const oldest of held) {
      if (held.size <= MAX_HELD) break;
      held.delete(oldest);
      dropped++;
    }
    events.emit("request", bare);
  }

  xmpp.on("stanza", (st: Element) => {
    if (!st.is("presence")) return;
    const from = st.attrs.from;
    if (!from) return;
    const bare = bareOf(from);
    const type = st.attrs.type;
    if (type === "subscribe") {
      // the rule could not be read or the answer not sent (store or connection failing): the
      // request is held, so the user decides — nobody gets presence by a failure
      answerRequest(bare).catch(() => hold(bare));
    } else if (type === "unavailable") {
      setResource(bare, resourceOf(from), undefined);
    } else if (!type) {
      const show = (st.getChildText("show") ?? "available") as ResourcePresence["show"];
      setResource(bare, resourceOf(from), { show, status: st.getChildText("status") ?? undefined, priority: Number(st.getChildText("priority") ?? 0) });
    }
  });

  xmpp.on("offline", () => online.clear());
  xmpp.on("disconnect", () => {
    for (const bare of [...online.keys()]) {
      online.delete(bare);
      events.emit("change", bare, false);
    }
  });

  xmpp.iqCallee.set(NS_ROSTER, "query", ({ element, stanza }) => {
    // roster pushes only from our own account (no 'from' means the server on its behalf)
    if (stanza.attrs.from && bareOf(stanza.attrs.from) !== bareOf(xmpp.jid?.toString())) return undefined;
    for (const item of element.getChildren("item")) {
      const jid = bareOf(item.attrs.jid);
      if (item.attrs.subscription === "remove") roster.delete(jid);
      else
        roster.set(jid, { jid, name: item.attrs.name, subscription: (item.attrs.subscription ?? "none") as RosterItem["subscription"], ask: item.attrs.ask });
    }
    events.emit("roster");
    return {};
  });

  return {
    /** Fetches the roster, then sends initial presence (which is when the server delivers offline messages). */
    async announce(show?: Exclude<ResourcePresence["show"], "available">, status?: string) {
      await this.fetchRoster();
      await xmpp.send(xml("presence", {}, show && xml("show", {}, show), status && xml("status", {}, status)));
    },
    async fetchRoster(): Promise<RosterItem[]> {
      const res = await xmpp.iqCaller.get(xml("query", { xmlns: NS_ROSTER }));
      roster = new Map(
        res.getChildren("item").map((i) => {
          const jid = bareOf(i.attrs.jid);
          return [jid, { jid, name: i.attrs.name, subscription: (i.attrs.subscription ?? "none") as RosterItem["subscription"], ask: i.attrs.ask }];
        }),
      );
      return [...roster.values()];
    },
    roster: () => [...roster.values()],
    rosterItem: (bare: string) => roster.get(bare.toLowerCase()),
    /**
     * What is known of their presence (RFC 6121): "online", "offline" when they share it with us
     * (subscription to/both) and nothing is seen, else "unknown" — not seen is not offline.
     */
    presenceOf: (bare: string): "online" | "offline" | "unknown" => {
      if (isAvailable(bare)) return "online";
      const sub = roster.get(bare.toLowerCase())?.subscription;
      return sub === "to" || sub === "both" ? "offline" : "unknown";
    },
    isAvailable,
    /** Asks to see the contact's presence (they must approve). */
    subscribe: (bare: string) => xmpp.send(xml("presence", { to: bare, type: "subscribe" })),
    approve: approveRequest,
    async deny(bare: string) {
      held.delete(bare);
      await xmpp.send(xml("presence", { to: bare, type: "unsubscribed" }));
    },
    async remove(bare: string) {
      await xmpp.iqCaller.set(xml("query", { xmlns: NS_ROSTER }, xml("item", { jid: bare, subscription: "remove" })));
      roster.delete(bare);
    },
    requests: () => [...held],
    /** How many held requests were dropped, oldest first, to keep at most MAX_HELD. */
    droppedRequests: () => dropped,
    onChange: (fn: (bare: string, available: boolean) => void) => events.on("change", fn),
    onRequest: (fn: (bare: string) => void) => events.on("request", fn),
    /** The roster changed (a server push: added, removed, subscription changed). */
    onRoster: (fn: () => void) => events.on("roster", fn),
    /** Resolves true as soon as the contact is available, false after `ms`. */
    waitUntilAvailable(bare: string, ms: number): Promise<boolean> {
      if (isAvailable(bare)) return Promise.resolve(true);
      return new Promise((resolve) => {
        const off = this.onChange((b, available) => {
          if (b === bare.toLowerCase() && available) {
            clearTimeout(t);
            off();
            resolve(true);
          }
        });
        const t = setTimeout(() => (off(), resolve(false)), ms);
      });
    },
  };
}
export type Presence = ReturnType<typeof presence>;
