// Benchmarks of the core on Dexie over fake-indexeddb (issue: foundation). Each figure is
// printed beside a baseline measured in the same run, on the same data.
import { IDBFactory, IDBKeyRange } from "fake-indexeddb";
import { createOutbox, emailExchange, historyFor, type Exchange, type OutboxItem } from "../src/core";
import { openStore, type Store } from "../src/store";
import { percentiles, sized, table } from "./kit";

const TARGET = "bob@example.org";
const TARGET_EXCHANGES = 50;

function exchange(i: number, counterpart: string): Exchange {
  return emailExchange(counterpart, i % 2 ? "in" : "out", {
    messageId: `m${i}@bench`,
    from: counterpart,
    to: ["me@example.org"],
    subject: `Subject ${i}`,
    date: 1_700_000_000_000 + i * 1000,
    text: `Body ${i} `.repeat(20),
  });
}

async function storeWith(total: number): Promise<Store> {
  const store = openStore({ name: `bench-${total}`, indexedDB: new IDBFactory(), IDBKeyRange });
  const rows: Exchange[] = [];
  for (let i = 0; i < total; i++) {
    // the target's exchanges are spread through the store; the rest belong to 1,000 other people
    rows.push(exchange(i, i % Math.floor(total / TARGET_EXCHANGES) === 0 ? TARGET : `person${i % 1000}@example.org`));
  }
  for (let i = 0; i < rows.length; i += 5000) await store.db.exchanges.bulkPut(rows.slice(i, i + 5000));
  return store;
}

/** The baseline: what history assembly costs without the compound index. */
async function scanHistory(store: Store, counterpart: string, limit: number) {
  const all = await store.db.exchanges.toArray();
  return all
    .filter((r) => r.counterpart === counterpart)
    .sort((a, b) => Number(b.at) - Number(a.at))
    .slice(0, limit);
}

async function time(fn: () => Promise<unknown>, runs: number): Promise<number[]> {
  for (let i = 0; i < Math.min(5, runs); i++) await fn(); // warm up the JIT before measuring
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

export async function benchHistory() {
  const rows: (string | number)[][] = [];
  const p50: Record<string, number> = {};
  for (const total of sized([1_000, 100_000], [100, 1_000])) {
    const t0 = performance.now();
    const store = await storeWith(total);
    const fill = performance.now() - t0;
    const ours = percentiles(await time(() => historyFor(store.exchanges, TARGET, { limit: 20 }), sized(50, 3)));
    const scan = percentiles(await time(() => scanHistory(store, TARGET, 20), sized(total > 10_000 ? 5 : 50, 3)));
    const got = await historyFor(store.exchanges, TARGET, { limit: 20 });
    if (got.items.length !== 20) throw new Error(`history returned ${got.items.length} items`);
    p50[`ours${total}`] = ours.p50;
    p50[`scan${total}`] = scan.p50;
    rows.push([`${total.toLocaleString("en")} exchanges (filled in ${(fill / 1000).toFixed(1)} s)`, ours.p50, ours.p95, scan.p50, scan.p95]);
    store.close();
  }
  table("History assembly for one contact (ms): indexed vs full-table scan", ["store", "ours p50", "ours p95", "scan p50", "scan p95"], rows);
  const [small, large] = sized([1_000, 100_000], [100, 1_000]);
  console.log(
    `ratio ${large / 1000}k/${small / 1000}k p50: ours ${(p50[`ours${large}`]! / p50[`ours${small}`]!).toFixed(2)} (target < 2), scan ${(p50[`scan${large}`]! / p50[`scan${small}`]!).toFixed(1)}`,
  );
}

export async function benchOutbox() {
  const N = sized(10_000, 100);
  const store = openStore({ name: "bench-outbox", indexedDB: new IDBFactory(), IDBKeyRange });
  let sent = 0;
  const outbox = createOutbox({ store: store.outbox, clock: { now: () => Date.now() }, attempt: async () => (sent++, "acked") });
  const item = (i: number): OutboxItem => ({
    id: `im-${i}`,
    to: `p${i % 100}@example.org`,
    counterpart: `p${i % 100}@example.org`,
    text: `message ${i}`,
    createdAt: Date.now(),
    state: "asked",
    attempts: 0,
    nextAttemptAt: 0,
    transitions: [],
  });
  let t = performance.now();
  for (let i = 0; i < N; i++) await outbox.enqueue(item(i));
  const enqueueMs = performance.now() - t;
  t = performance.now();
  let drained = 0;
  for (let n = -1; n !== 0;) drained += n = await outbox.drain(1000);
  const drainMs = performance.now() - t;
  // baseline: the same number of plain row writes, no state machine, no claim transaction
  t = performance.now();
  for (let i = 0; i < N; i++) await store.db.outbox.put({ ...item(i), id: `raw-${i}` });
  const rawMs = performance.now() - t;
  const left = (await store.outbox.inStates(["queued", "sending"])).length;
  table(
    `Outbox: ${N.toLocaleString("en")} IMs enqueued and drained`,
    ["step", "total ms", "per item µs", "items/s"],
    [
      ["enqueue", enqueueMs, (enqueueMs * 1000) / N, Math.round(N / (enqueueMs / 1000))],
      ["drain (claim, send, settle)", drainMs, (drainMs * 1000) / N, Math.round(N / (drainMs / 1000))],
      ["baseline: plain put", rawMs, (rawMs * 1000) / N, Math.round(N / (rawMs / 1000))],
    ],
  );
  console.log(`sent ${sent}, drained ${drained}, left in queue ${left}${sent === N && left === 0 ? "" : "  <-- MISMATCH"}`);
  store.close();
}
