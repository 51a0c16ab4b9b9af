// The ends of the engine bench's two pairs, set up alike: the same roster relationship (both
// subscribed to each other, presence shared), the same addressing (the IM to the bare JID, the
// receipt to the sender's full JID), the same transport (xmpp.js over the server's WebSocket,
// PLAIN on loopback, stream management on). One pair is two engines, the other two bare xmpp.js
// clients. Each end runs in a thread of its own (bench/engine-worker.ts), as each person's
// client runs on a machine of its own: what one end still does never holds up the other.
import { client, xml } from "@xmpp/client";
import type { Element } from "@xmpp/xml";
import { createEngine, type Engine } from "../src/engine/engine";
import type { Store } from "../src/store";

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

export interface EndSpec {
  kind: "engine" | "bare";
  role: "sender" | "receiver";
  service: string;
  domain: string;
  me: string;
  peer: string;
  password: string;
}

export interface End {
  /** Subscribes to the peer and waits until both are subscribed to each other. */
  pairUp(): Promise<void>;
  /** The sender's round: the time until it knows the IM was delivered (then its wait for quiet). */
  round(i: number): Promise<number>;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A bare xmpp.js client, as any XMPP app starts one: logged in, stream management on, available,
 * approving the peer's subscription. The sender sends the engine's stanza (body, receipt request,
 * chat state, origin-id) and the round ends at the receipt; the server's XEP-0198 ack is awaited
 * after it, outside the time, so each round starts quiet. The receiver answers every receipt
 * request at once, to the sender's full JID.
 */
export async function bareEnd(spec: EndSpec): Promise<End> {
  const { service, domain, me, peer, password } = spec;
  const c = client({ service, domain, resource: "bare", credentials: (auth) => auth({ username: me, password }, "PLAIN") });
  c.reconnect.stop();
  await c.start();
  while (!c.streamManagement.enabled) await sleep(5);
  const jpeer = `${peer}@${domain}`;
  c.on("stanza", (st: Element) => {
    if (st.is("presence") && st.attrs.type === "subscribe") void c.send(xml("presence", { to: st.attrs.from, type: "subscribed" }));
    if (spec.role !== "receiver" || !st.is("message") || !st.getChild("request", "urn:xmpp:receipts") || !st.attrs.id) return;
    void c.send(xml("message", { to: st.attrs.from, id: `r-${st.attrs.id}` }, xml("received", { xmlns: "urn:xmpp:receipts", id: st.attrs.id })));
  });
  const receiptFor = new Map<string, () => void>();
  c.on("stanza", (st: Element) => {
    const id = st.is("message") ? st.getChild("received", "urn:xmpp:receipts")?.attrs.id : undefined;
    if (id) receiptFor.get(id)?.();
  });
  const ackFor = new Map<string, () => void>();
  c.streamManagement.on("ack", (st: Element) => st?.attrs?.id && ackFor.get(st.attrs.id)?.());
  return {
    async pairUp() {
      await c.send(xml("presence", { to: jpeer, type: "subscribe" }));
      await c.send(xml("presence"));
      const subscribed = async () =>
        (await c.iqCaller.get(xml("query", { xmlns: "jabber:iq:roster" })))
          .getChildren("item")
          .some((i) => i.attrs.jid === jpeer && i.attrs.subscription === "both");
      for (const until = Date.now() + 5000; !(await subscribed()); await sleep(20))
        if (Date.now() > until) throw new Error(`${me} and ${peer} did not become subscribed to each other within 5 s`);
    },
    async round(i) {
      const id = `bare-${me}-${i}`;
      const t = performance.now();
      const receipt = new Promise<void>((resolve) => receiptFor.set(id, resolve));
      const acked = new Promise<void>((resolve) => ackFor.set(id, resolve));
      await c.send(
        xml(
          "message",
          { to: jpeer, id, type: "chat" },
          xml("body", {}, `Round ${i}: are we still on for Friday?`),
          xml("request", { xmlns: "urn:xmpp:receipts" }),
          xml("active", { xmlns: "http://jabber.org/protocol/chatstates" }),
          xml("origin-id", { xmlns: "urn:xmpp:sid:0", id }),
        ),
      );
      await receipt;
      const ms = performance.now() - t;
      receiptFor.delete(id);
      await acked;
      ackFor.delete(id);
      return ms;
    },
    stop: () => c.stop(),
  };
}

/** An engine on the given store (its calls timed by the caller): Reply via IM until the IM shows delivered. */
export async function engineEnd(spec: EndSpec, store: Store): Promise<End> {
  const { service, domain, me, peer, password } = spec;
  const engine: Engine = createEngine({
    account: { service, jid: `${me}@${domain}`, password, resource: "bench" },
    me: `${me}@${domain}`,
    approveSubscription: () => true,
    store,
  });
  await engine.start();
  const deliveredAt = new Map<string, number>();
  engine.events.on("state", (item) => item.state === "delivered" && !deliveredAt.has(item.text) && deliveredAt.set(item.text, performance.now()));
  return {
    pairUp: async () => {}, // the warm-up's first IM makes them contacts, as a person's first IM does
    async round(i) {
      const text = `Round ${i}: are we still on for Friday?`;
      const t = performance.now();
      const out = await engine.replyViaIm(text, { to: `${peer}@${domain}`, history: false });
      const at = deliveredAt.get(text);
      deliveredAt.delete(text);
      if (out.state !== "delivered" || at === undefined)
        throw new Error(`engine round ${i} ended "${out.state}" (${out.reason ?? "no reason"}), not delivered: is the server running?`);
      // outside the time, as for the bare pair: the server's ack of every stanza sent (the receipt
      // ends the engine's wait for it, but xmpp.js still asks for it 250 ms after the send)
      const sm = engine.connection?.xmpp.streamManagement as unknown as
        { outbound_q: unknown[]; on(e: "ack", f: () => void): void; off(e: "ack", f: () => void): void } | undefined;
      if (sm?.outbound_q.length)
        await new Promise<void>((resolve) => {
          const acked = () => sm.outbound_q.length === 0 && (sm.off("ack", acked), resolve());
          sm.on("ack", acked);
        });
      return at - t;
    },
    stop: () => engine.stop(),
  };
}
