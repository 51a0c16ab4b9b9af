// The engine's own cost: one IM → its receipt through two engines (alice's engine sending, bob's
// engine storing it and answering), beside two bare xmpp.js clients (carol → dave) set up alike
// (bench/engine-pairs.ts), each end in a thread of its own (bench/engine-worker.ts), on one
// private server, Prosody then ejabberd. The bare pair is first measured alone (nothing else
// running), then the two pairs alternate (swapping order every round) so machine noise hits
// both; the bench says when the bare pair beside the engines is not the bare pair alone. Every round starts after a quiet pause, as a person's IMs do.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEjabberd } from "../scripts/ejabberd.mjs";
import { startProsody } from "../scripts/prosody.mjs";
import { pagesHost, pairInPages } from "./engine-pages";
import { pairInThreads, type RemotePair } from "./engine-worker";
import { percentiles, sized, table } from "./kit";

const WARMUP = sized(30, 2);
const SAMPLES = sized(200, 5);
const ALONE = sized(100, 5); // rounds of the bare pair alone, the check
const RATIO = 1.2; // the engine may take this many times the bare pair's time, at p50 and p95
const AGREE = 0.2; // the bare pair beside the engines and alone may differ by this much
// Before each round: the sender's stream management has its ack (inside the pair's round), then
// this pause. Prosody keeps Nagle's algorithm on (its default, `nagle = true`): a stanza written
// within ~40 ms of the last ack exchange waits for the kernel's delayed ACK, 20 ms and more.
// A person's IMs are seconds apart; 100 ms is enough for the kernel to be quiet.
const QUIET_MS = 100;

const quiet = () => new Promise((r) => setTimeout(r, QUIET_MS));
const users = { alice: "a-bench", bob: "b-bench", carol: "c-bench", dave: "d-bench" };
type Measured = { ms: number[]; legs: number[][]; busy: number };
const measured = (): Measured => ({ ms: [], legs: [], busy: 0 });

async function rounds(pair: RemotePair, n: number, into?: Measured, from = 0) {
  for (let i = 0; i < n; i++) {
    await quiet();
    const r = await pair.round(into ? from + i : -1 - from - i);
    if (!into) continue;
    into.ms.push(r.ms);
    into.busy += r.busy;
    if (r.legs) into.legs.push(r.legs);
  }
}

type MakePair = (
  kind: "engine" | "bare",
  at: { service: string; domain: string },
  names: [string, string],
  passwords: Record<string, string>,
) => Promise<RemotePair>;

async function onServer(name: string, server: { service: string }, pairOf: MakePair) {
  const at = { service: server.service, domain: "localhost" };
  const bare = await pairOf("bare", at, ["carol", "dave"], users);
  let engines: RemotePair | undefined;
  try {
    // the bare pair alone: nothing else on the server or in this process
    const alone = measured();
    await rounds(bare, WARMUP);
    await rounds(bare, ALONE, alone, 10_000);
    engines = await pairOf("engine", at, ["alice", "bob"], users);
    // warm-up: JIT, the roster subscription alice ↔ bob, the server's archive tables
    for (let i = 0; i < WARMUP; i++) {
      await rounds(engines, 1, undefined, i);
      await rounds(bare, 1, undefined, 100 + i);
    }
    const e = measured();
    const b = measured();
    for (let i = 0; i < SAMPLES; i++) {
      const order: [RemotePair, Measured][] = [
        [engines, e],
        [bare, b],
      ];
      for (const [pair, into] of i % 2 ? order.reverse() : order) await rounds(pair, 1, into, i);
    }
    report(name, { engine: e, bare: b, alone }, await engines.spent());
  } finally {
    await Promise.allSettled([engines?.stop(), bare.stop()]);
  }
}

function report(server: string, m: Record<"engine" | "bare" | "alone", Measured>, spent: Record<string, Map<string, number[]>>) {
  const [e, b, a] = [percentiles(m.engine.ms), percentiles(m.bare.ms), percentiles(m.alone.ms)];
  const ratio = (x: number, base: number) => x / base;
  table(
    `${server}: IM → receipt (XEP-0184), ${SAMPLES} rounds each after ${WARMUP} warm-ups, alternating, ${QUIET_MS} ms apart (ms)`,
    ["measure", "p50", "p95"],
    [
      ["engine → engine: Reply via IM until the IM shows delivered", e.p50, e.p95],
      ["baseline: bare xmpp.js → bare xmpp.js, same stanza, beside it", b.p50, b.p95],
      ["check: the same bare pair measured alone, before", a.p50, a.p95],
      ["engine ÷ baseline (×)", ratio(e.p50, b.p50), ratio(e.p95, b.p95)],
    ],
  );
  const apart = Math.max(Math.abs(b.p50 - a.p50) / a.p50, Math.abs(b.p95 - a.p95) / a.p95);
  console.log(
    apart > AGREE
      ? `NOTE: the baseline beside the engines differs from the bare pair alone by ${(apart * 100).toFixed(0)} % (more than ${AGREE * 100} %): the ratio is not to be trusted`
      : `the baseline beside the engines agrees with the bare pair alone (within ${(apart * 100).toFixed(0)} %)`,
  );
  const busy = (x: Measured) => (x.busy / x.ms.length).toFixed(2);
  if (Number.isFinite(m.engine.busy))
    console.log(`busy per IM, both ends of the pair (their threads' event loops): engine ${busy(m.engine)} ms, bare ${busy(m.bare)} ms`);
  const met = e.p50 <= RATIO * b.p50 && e.p95 <= RATIO * b.p95;
  console.log(`target: the engine within ${RATIO}× the bare pair at p50 and p95 — ${met ? "met" : "NOT met"}`);

  // where the time goes: each leg of the round trip, as the sockets saw it (medians)
  const med = (rows: number[][], k: number) => percentiles(rows.map((r) => r[k]!)).p50;
  table(
    `${server}: where a round's time goes (median ms; ${m.engine.legs.length} engine and ${m.bare.legs.length} bare rounds traced at the sockets)`,
    ["leg", "engine", "bare", "engine − bare"],
    [
      "sender: send pressed → IM on the socket",
      "server: IM → receiver's socket",
      "receiver: IM in → receipt on the socket",
      "server: receipt → sender's socket",
      "sender: receipt in → shown delivered",
    ].map((name, k) => [name, med(m.engine.legs, k), med(m.bare.legs, k), med(m.engine.legs, k) - med(m.bare.legs, k)]),
  );
  console.log("(each end on its own: a leg is that end's own time, or the server's and the wire's)");

  // where the engine's time goes: its store calls (in the runtime's IndexedDB), per round
  const rows: (string | number)[][] = [];
  const total = (xs: number[]) => xs.reduce((s, v) => s + v, 0);
  for (const [who, calls] of Object.entries(spent)) {
    for (const [name, xs] of [...calls].sort((x, y) => total(y[1]) - total(x[1]))) {
      rows.push([`${who}: store.${name}`, xs.length / SAMPLES, percentiles(xs).p50, total(xs) / SAMPLES]);
    }
  }
  table(`${server}: the engines' store calls during the measured rounds (ms; ${STORE}; calls overlap)`, ["call", "per IM", "p50", "ms per IM"], rows);
}

/**
 * Where the ends run: "chromium" (the default), each a page of its own with the browser's
 * IndexedDB, the product's runtime; "node" (RVI_ENGINE_RUNTIME=node), each a worker thread with
 * fake-indexeddb, whose work is then the end's own and shows in "busy per IM".
 */
const RUNTIME = process.env.RVI_ENGINE_RUNTIME === "node" ? "node" : "chromium";
const STORE = RUNTIME === "node" ? "fake-indexeddb, in memory" : "Chromium's IndexedDB";

export async function benchEngine() {
  const host = RUNTIME === "chromium" ? await pagesHost() : undefined;
  const pairOf: MakePair = host ? (...args) => pairInPages(host, ...args) : pairInThreads;
  console.log(`the ends run in ${host ? "Chromium pages of their own (IndexedDB)" : "Node worker threads of their own (fake-indexeddb)"}`);
  try {
    for (const [name, start] of [
      ["Prosody", startProsody],
      ["ejabberd", startEjabberd],
    ] as const) {
      const dir = await mkdtemp(join(tmpdir(), `rvi-bench-engine-${name.toLowerCase()}-`));
      const server = await start({ dir, users });
      try {
        await onServer(name, server, pairOf);
      } finally {
        await server.stop({ purge: true });
      }
    }
  } finally {
    await host?.close();
  }
}
