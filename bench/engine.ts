// The engine's own cost: one IM → its receipt through two engines (alice's engine sending, bob's
// engine storing it and answering), beside two bare xmpp.js clients exchanging the same stanza
// (carol → dave, dave answering XEP-0184 at once) on the same private Prosody in the same run.
// The server's work (routing, archive writes) is in both; the difference is the engine's.
// The two loops alternate (and swap order every round) so machine noise hits both.
import { client, xml, type Client } from "@xmpp/client";
import type { Element } from "@xmpp/xml";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IDBFactory, IDBKeyRange } from "fake-indexeddb";
import { startProsody } from "../scripts/prosody.mjs";
import { installWebSocket } from "../src/node/websocket";
import { createEngine, type Engine } from "../src/engine/engine";
import { openStore, type Store } from "../src/store";
import { percentiles, sized, table } from "./kit";
import { legs, traceWire } from "./wire";

installWebSocket();

const WARMUP = sized(30, 2);
const SAMPLES = sized(200, 5);
const TARGET = 10; // % the engine may add at p50 and p95

/** Times every call of the store's methods, by "table.method" (the engine's I/O, attributed). */
function timedStore(store: Store, spent: Map<string, number[]>): Store {
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

/** A bare xmpp.js client, as any XMPP app would start one (PLAIN on loopback, like the engine). */
async function bareClient(service: string, username: string, password: string): Promise<Client> {
  const c = client({ service, domain: "localhost", resource: "bare", credentials: (auth) => auth({ username, password }, "PLAIN") });
  c.reconnect.stop();
  await c.start();
  while (!c.streamManagement.enabled) await new Promise((r) => setTimeout(r, 5));
  await c.send(xml("presence"));
  return c;
}

export async function benchEngine() {
  const dir = await mkdtemp(join(tmpdir(), "rvi-bench-"));
  const users = { alice: "a", bob: "b", carol: "c", dave: "d" };
  const server = await startProsody({ dir, users });
  const account = (u: keyof typeof users) => ({ service: server.service, jid: `${u}@localhost`, password: users[u], resource: "bench" });
  const spent = { alice: new Map<string, number[]>(), bob: new Map<string, number[]>() };
  const engineOf = (u: "alice" | "bob"): Engine =>
    createEngine({
      account: account(u),
      me: `${u}@localhost`,
      approveSubscription: () => true,
      store: timedStore(openStore({ name: u, indexedDB: new IDBFactory(), IDBKeyRange }), spent[u]),
    });
  const wire = traceWire();
  wire.expect("alice", "bob", "carol", "dave");
  const alice = engineOf("alice");
  const bob = engineOf("bob");
  let carol: Client | undefined;
  let dave: Client | undefined;
  try {
    await alice.start();
    await bob.start();
    carol = await bareClient(server.service, "carol", users.carol);
    dave = await bareClient(server.service, "dave", users.dave);
    const answerer = dave;
    // dave answers as a bare client does: a receipt for every IM that asks for one, at once
    answerer.on("stanza", (st: Element) => {
      if (!st.is("message") || !st.getChild("request", "urn:xmpp:receipts") || !st.attrs.id) return;
      void answerer.send(xml("message", { to: st.attrs.from, id: `r-${st.attrs.id}` }, xml("received", { xmlns: "urn:xmpp:receipts", id: st.attrs.id })));
    });
    const receiptFor = new Map<string, () => void>();
    carol.on("stanza", (st: Element) => {
      const id = st.is("message") ? st.getChild("received", "urn:xmpp:receipts")?.attrs.id : undefined;
      if (id) receiptFor.get(id)?.();
    });
    const ackFor = new Map<string, () => void>();
    carol.streamManagement.on("ack", (st: Element) => st?.attrs?.id && ackFor.get(st.attrs.id)?.());
    const deliveredAt = new Map<string, number>();
    alice.events.on("state", (item) => item.state === "delivered" && !deliveredAt.has(item.text) && deliveredAt.set(item.text, performance.now()));

    // the same stanza the engine puts on the wire for an IM without history (body, receipt
    // request, chat state, origin-id); the bare client waits for the server's ack outside the
    // measured time, as the engine does before replyViaIm resolves, so each round starts quiet
    const sender = carol;
    const split = { engine: [] as number[][], bare: [] as number[][] };
    async function bareRound(i: number): Promise<number> {
      const id = `bare-${i}`;
      const marks = wire.round();
      const t = performance.now();
      const receipt = new Promise<void>((resolve) => receiptFor.set(id, resolve));
      const acked = new Promise<void>((resolve) => ackFor.set(id, resolve));
      await sender.send(
        xml(
          "message",
          { to: "dave@localhost", id, type: "chat" },
          xml("body", {}, `Round ${i}: are we still on for Friday?`),
          xml("request", { xmlns: "urn:xmpp:receipts" }),
          xml("active", { xmlns: "http://jabber.org/protocol/chatstates" }),
          xml("origin-id", { xmlns: "urn:xmpp:sid:0", id }),
        ),
      );
      await receipt;
      const end = performance.now();
      const took = end - t;
      const l = legs(marks, "carol", "dave", end);
      if (l && i >= 0) split.bare.push(l);
      receiptFor.delete(id);
      await acked;
      ackFor.delete(id);
      return took;
    }
    async function engineRound(i: number): Promise<{ delivered: number; resolved: number }> {
      const text = `Round ${i}: are we still on for Friday?`;
      const marks = wire.round();
      const t = performance.now();
      const out = await alice.replyViaIm(text, { to: "bob@localhost", history: false });
      const resolved = performance.now() - t;
      const at = deliveredAt.get(text);
      deliveredAt.delete(text);
      if (out.state !== "delivered" || at === undefined)
        throw new Error(`engine round ${i} ended "${out.state}" (${out.reason ?? "no reason"}), not delivered: is Prosody running?`);
      const l = legs(marks, "alice", "bob", at);
      if (l && i >= 0) split.engine.push(l);
      return { delivered: at - t, resolved };
    }

    // warm-up: JIT, the roster subscription alice ↔ bob, Prosody's archive tables
    for (let i = 0; i < WARMUP; i++) {
      await engineRound(-1 - i);
      await bareRound(-1 - i);
    }
    for (const m of [spent.alice, spent.bob]) m.clear();
    const bare: number[] = [];
    const delivered: number[] = [];
    const resolved: number[] = [];
    // this process's CPU over each whole round (both ends of the pair, until replyViaIm resolves / the ack)
    const cpu = { engine: 0, bare: 0 };
    const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
    for (let i = 0; i < SAMPLES; i++) {
      const engine = async () => {
        const c = process.cpuUsage();
        const r = await engineRound(i);
        cpu.engine += cpuMs(process.cpuUsage(c));
        delivered.push(r.delivered);
        resolved.push(r.resolved);
      };
      const plain = async () => {
        const c = process.cpuUsage();
        bare.push(await bareRound(i));
        cpu.bare += cpuMs(process.cpuUsage(c));
      };
      if (i % 2) {
        await plain();
        await engine();
      } else {
        await engine();
        await plain();
      }
    }

    const b = percentiles(bare);
    const e = percentiles(delivered);
    const r = percentiles(resolved);
    const over = (x: number, base: number) => ((x - base) / base) * 100;
    const o50 = over(e.p50, b.p50);
    const o95 = over(e.p95, b.p95);
    table(
      `IM → receipt (XEP-0184), ${SAMPLES} each after ${WARMUP} warm-up rounds, alternating (ms)`,
      ["measure", "p50", "p95"],
      [
        ["engine → engine: Reply via IM until the IM shows delivered", e.p50, e.p95],
        ["baseline: bare xmpp.js → bare xmpp.js, same stanza", b.p50, b.p95],
        ["engine overhead (%)", o50, o95],
        ["(replyViaIm resolves: after the server's XEP-0198 ack too)", r.p50, r.p95],
      ],
    );
    console.log(`Node CPU per IM, both ends of the pair: engine ${(cpu.engine / SAMPLES).toFixed(2)} ms, bare ${(cpu.bare / SAMPLES).toFixed(2)} ms`);
    const met = o50 <= TARGET && o95 <= TARGET;
    console.log(`target: the engine adds ≤ ${TARGET} % at p50 and p95 — ${met ? "met" : "NOT met"} (p50 ${o50.toFixed(0)} %, p95 ${o95.toFixed(0)} %)`);

    // where the time goes: each leg of the round trip, as the sockets saw it (medians)
    const med = (rows: number[][], k: number) => percentiles(rows.map((r) => r[k]!)).p50;
    table(
      `Where a round's time goes (median ms; ${split.engine.length} engine and ${split.bare.length} bare rounds traced at the sockets)`,
      ["leg", "engine", "bare", "engine − bare"],
      [
        "sender: send pressed → IM on the socket",
        "server: IM → receiver's socket",
        "receiver: IM in → receipt on the socket",
        "server: receipt → sender's socket",
        "sender: receipt in → shown delivered",
      ].map((name, k) => [name, med(split.engine, k), med(split.bare, k), med(split.engine, k) - med(split.bare, k)]),
    );
    console.log(
      "(both ends of each pair share this Node process: what a sender still does after the IM left, the receiver's socket waits for, in the server legs)",
    );

    // where the engine's time goes: its store calls (in-memory IndexedDB), per round
    const rows: (string | number)[][] = [];
    for (const [who, m] of Object.entries(spent)) {
      for (const [name, xs] of [...m].sort((x, y) => y[1].reduce((s, v) => s + v, 0) - x[1].reduce((s, v) => s + v, 0))) {
        const p = percentiles(xs);
        rows.push([`${who}: store.${name}`, xs.length / SAMPLES, p.p50, xs.reduce((s, v) => s + v, 0) / SAMPLES]);
      }
    }
    table("The engines' store calls during the measured rounds (ms; in-memory IndexedDB; calls overlap)", ["call", "per IM", "p50", "ms per IM"], rows);
  } finally {
    await Promise.allSettled([alice.stop(), bob.stop(), carol?.stop(), dave?.stop()]);
    await server.stop({ purge: true });
    wire.restore();
  }
}
