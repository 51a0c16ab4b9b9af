// The two pairs of the engine bench, set up alike: the same roster relationship (both subscribed
// to each other, presence shared), the same addressing (the IM to the bare JID, the receipt to the
// sender's full JID), the same transport (xmpp.js over the server's WebSocket, PLAIN on loopback,
// stream management on). One is two engines, the other two bare xmpp.js clients.
import { client, xml, type Client } from "@xmpp/client";
import type { Element } from "@xmpp/xml";
import { IDBFactory, IDBKeyRange } from "fake-indexeddb";
import { createEngine, type Engine } from "../src/engine/engine";
import { openStore, type Store } from "../src/store";
import { legs, type Wire } from "./wire";

/** Times every call of the store's methods, by "table.method" (the engine's I/O, attributed). */
export function timedStore(store: Store, spent: Map<string, number[]>): Store {
  const wrap = <T extends object>(name: string, target: T): T =>
    new Proxy(target, {
      get(t, key, receiver) {
        const v = Reflect.get(t, key, receiver) as unknown;
        if (typeof v !== "function") return v;
        return (...args: unknown[]) => {
          const start = performance.now();
          const r = (v as (...a: unknown[]) => unknown).apply(t, args);
          const done = () => {
            const k = `${name}.${String(key)}`;
            (spent.get(k) ?? spent.set(k, []).get(k)!).push(performance.now() - start);
          };
          // Dexie's promises are its own: anything with a then() is awaited
          if (typeof (r as PromiseLike<unknown> | undefined)?.then === "function") (r as PromiseLike<unknown>).then(done, done);
          else done();
          return r;
        };
      },
    });
  return {
    ...store,
    exchanges: wrap("exchanges", store.exchanges),
    mappings: wrap("mappings", store.mappings),
    outbox: wrap("outbox", store.outbox),
    sessions: wrap("sessions", store.sessions),
    usage: wrap("usage", store.usage),
    state: wrap("state", store.state),
  };
}

/** A bare xmpp.js client, as any XMPP app starts one: logged in, stream management on, available. */
async function bareClient(service: string, domain: string, username: string, password: string): Promise<Client> {
  const c = client({ service, domain, resource: "bare", credentials: (auth) => auth({ username, password }, "PLAIN") });
  c.reconnect.stop();
  await c.start();
  while (!c.streamManagement.enabled) await new Promise((r) => setTimeout(r, 5));
  return c;
}

/** One round: the time until the sender knows the IM was delivered; the legs as the sockets saw them. */
export type Round = (i: number) => Promise<{ ms: number; legs?: number[] }>;

export interface Pair {
  round: Round;
  stop(): Promise<void>;
}

/**
 * Two bare clients: `a` sends the engine's stanza (body, receipt request, chat state, origin-id)
 * to `b`'s bare JID; `b` answers every receipt request at once, to the sender's full JID. The
 * round ends at the receipt; the server's XEP-0198 ack is awaited after it, outside the time, as
 * the engine's replyViaIm does before it resolves, so each round starts quiet.
 */
export async function barePair(
  server: { service: string },
  domain: string,
  [a, b]: [string, string],
  password: (u: string) => string,
  wire: Wire,
): Promise<Pair> {
  const [ja, jb] = [`${a}@${domain}`, `${b}@${domain}`];
  const sender = await bareClient(server.service, domain, a, password(a));
  const answerer = await bareClient(server.service, domain, b, password(b));
  // both subscribed to each other, as the engines are after their first IM (each approves at once)
  for (const c of [sender, answerer])
    c.on("stanza", (st: Element) => {
      if (st.is("presence") && st.attrs.type === "subscribe") void c.send(xml("presence", { to: st.attrs.from, type: "subscribed" }));
    });
  const roster = (c: Client) => c.iqCaller.get(xml("query", { xmlns: "jabber:iq:roster" }));
  const both = async (c: Client, other: string) => (await roster(c)).getChildren("item").some((i) => i.attrs.jid === other && i.attrs.subscription === "both");
  await sender.send(xml("presence", { to: jb, type: "subscribe" }));
  await answerer.send(xml("presence", { to: ja, type: "subscribe" }));
  await sender.send(xml("presence"));
  await answerer.send(xml("presence"));
  for (const until = Date.now() + 5000; !((await both(sender, jb)) && (await both(answerer, ja)));) {
    if (Date.now() > until) throw new Error(`the bare pair ${ja} ↔ ${jb} did not become subscribed to each other within 5 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
  answerer.on("stanza", (st: Element) => {
    if (!st.is("message") || !st.getChild("request", "urn:xmpp:receipts") || !st.attrs.id) return;
    void answerer.send(xml("message", { to: st.attrs.from, id: `r-${st.attrs.id}` }, xml("received", { xmlns: "urn:xmpp:receipts", id: st.attrs.id })));
  });
  const receiptFor = new Map<string, () => void>();
  sender.on("stanza", (st: Element) => {
    const id = st.is("message") ? st.getChild("received", "urn:xmpp:receipts")?.attrs.id : undefined;
    if (id) receiptFor.get(id)?.();
  });
  const ackFor = new Map<string, () => void>();
  sender.streamManagement.on("ack", (st: Element) => st?.attrs?.id && ackFor.get(st.attrs.id)?.());
  return {
    async round(i) {
      const id = `bare-${a}-${i}`;
      const marks = wire.round();
      const t = performance.now();
      const receipt = new Promise<void>((resolve) => receiptFor.set(id, resolve));
      const acked = new Promise<void>((resolve) => ackFor.set(id, resolve));
      await sender.send(
        xml(
          "message",
          { to: jb, id, type: "chat" },
          xml("body", {}, `Round ${i}: are we still on for Friday?`),
          xml("request", { xmlns: "urn:xmpp:receipts" }),
          xml("active", { xmlns: "http://jabber.org/protocol/chatstates" }),
          xml("origin-id", { xmlns: "urn:xmpp:sid:0", id }),
        ),
      );
      await receipt;
      const end = performance.now();
      receiptFor.delete(id);
      await acked;
      ackFor.delete(id);
      return { ms: end - t, legs: legs(marks, a, b, end) };
    },
    stop: async () => void (await Promise.allSettled([sender.stop(), answerer.stop()])),
  };
}

/** Two engines (in-memory IndexedDB, each store call timed into `spent`): Reply via IM until the IM shows delivered. */
export async function enginePair(
  server: { service: string },
  domain: string,
  [a, b]: [string, string],
  password: (u: string) => string,
  wire: Wire,
  spent: Record<string, Map<string, number[]>>,
): Promise<Pair & { alice: Engine }> {
  const engineOf = (u: string): Engine =>
    createEngine({
      account: { service: server.service, jid: `${u}@${domain}`, password: password(u), resource: "bench" },
      me: `${u}@${domain}`,
      approveSubscription: () => true,
      store: timedStore(openStore({ name: u, indexedDB: new IDBFactory(), IDBKeyRange }), (spent[u] = new Map<string, number[]>())),
    });
  const sender = engineOf(a);
  const receiver = engineOf(b);
  await sender.start();
  await receiver.start();
  const deliveredAt = new Map<string, number>();
  sender.events.on("state", (item) => item.state === "delivered" && !deliveredAt.has(item.text) && deliveredAt.set(item.text, performance.now()));
  return {
    alice: sender,
    async round(i) {
      const text = `Round ${i}: are we still on for Friday?`;
      const marks = wire.round();
      const t = performance.now();
      const out = await sender.replyViaIm(text, { to: `${b}@${domain}`, history: false });
      const at = deliveredAt.get(text);
      deliveredAt.delete(text);
      if (out.state !== "delivered" || at === undefined)
        throw new Error(`engine round ${i} ended "${out.state}" (${out.reason ?? "no reason"}), not delivered: is the server running?`);
      // outside the time, as for the bare pair: the server's ack of every stanza sent (the receipt
      // ends the engine's wait for it, but xmpp.js still asks for it 250 ms after the send)
      const sm = sender.connection?.xmpp.streamManagement as unknown as { outbound_q: unknown[] } | undefined;
      while (sm?.outbound_q.length) await new Promise((r) => setTimeout(r, 5));
      return { ms: at - t, legs: legs(marks, a, b, at) };
    },
    stop: async () => void (await Promise.allSettled([sender.stop(), receiver.stop()])),
  };
}
