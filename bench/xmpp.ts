// IM benchmarks against a private Prosody on loopback. Each figure beside a baseline measured on
// the same connection in the same run: a bare XEP-0199 ping for latency.
import { xml } from "@xmpp/client";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IDBFactory, IDBKeyRange } from "fake-indexeddb";
import { startProsody } from "../scripts/prosody.mjs";
import { installWebSocket } from "../src/node/websocket";
import { connect, type Account } from "../src/xmpp/connection";
import { chat } from "../src/xmpp/chat";
import { receipts } from "../src/xmpp/receipts";
import { presence } from "../src/xmpp/presence";
import { createEngine } from "../src/engine/engine";
import { openStore } from "../src/store";
import { percentiles, sized, table } from "./kit";

const LOGINS = sized(30, 3);
const ROUNDS = sized(1000, 5);
const PIPELINED = sized(10_000, 100);
const EXCHANGES = sized(3_000, 50);

installWebSocket();

export async function benchXmpp() {
  const dir = await mkdtemp(join(tmpdir(), "rvi-bench-"));
  const users = { alice: "a", bob: "b", carol: "c", dave: "d" };
  const server = await startProsody({ dir, users });
  const acct = (u: keyof typeof users, resource = "bench"): Account => ({ service: server.service, jid: `${u}@localhost`, password: users[u], resource });
  try {
    // login
    const logins: number[] = [];
    for (let i = 0; i < LOGINS; i++) {
      const t = performance.now();
      const c = await connect({ account: acct("carol", `l${i}`) });
      logins.push(performance.now() - t);
      await c.stop();
    }
    const l = percentiles(logins);
    table(`Login (WebSocket, PLAIN, bind, stream management enabled), ${LOGINS} logins (ms)`, ["p50", "p95"], [[l.p50, l.p95]]);

    const a = await connect({ account: acct("alice") });
    const b = await connect({ account: acct("bob") });
    const pa = presence({ xmpp: a.xmpp, approve: () => true });
    const pb = presence({ xmpp: b.xmpp, approve: () => true });
    await pa.announce();
    await pb.announce();
    const ca = chat({ xmpp: a.xmpp });
    const ra = receipts({ xmpp: a.xmpp });
    const rb = receipts({ xmpp: b.xmpp });
    let received = 0;
    chat({ xmpp: b.xmpp }).onMessage((m) => {
      received++;
      if (rb.wanted(m.stanza)) void rb.confirm(m.stanza);
    });
    const waiting = new Map<string, () => void>();
    ra.onDelivered((id) => waiting.get(id)?.());

    // latency: message → receipt, vs ping → pong, interleaved so both see the same conditions
    const lat: number[] = [];
    const ping: number[] = [];
    const peerPing: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      let t = performance.now();
      await new Promise<void>((resolve) => {
        waiting.set(`lat-${i}`, resolve);
        void ca.send({ to: "bob@localhost", id: `lat-${i}`, body: `latency ${i}` });
      });
      lat.push(performance.now() - t);
      waiting.delete(`lat-${i}`);
      t = performance.now();
      await a.xmpp.iqCaller.request(xml("iq", { type: "get", to: "localhost" }, xml("ping", { xmlns: "urn:xmpp:ping" })));
      ping.push(performance.now() - t);
      t = performance.now();
      await a.xmpp.iqCaller.request(xml("iq", { type: "get", to: b.jid }, xml("ping", { xmlns: "urn:xmpp:ping" })));
      peerPing.push(performance.now() - t);
    }
    const pl = percentiles(lat);
    const pp = percentiles(ping);
    const pc = percentiles(peerPing);
    table(
      `Send → receipt vs XEP-0199 pings, ${ROUNDS.toLocaleString("en")} each, interleaved on one connection (ms)`,
      ["measure", "p50", "p95"],
      [
        ["IM → receipt (XEP-0184)", pl.p50, pl.p95],
        ["baseline: ping the server", pp.p50, pp.p95],
        ["baseline: ping bob's client (same route as the IM)", pc.p50, pc.p95],
      ],
    );
    console.log(
      `ratio vs server ping: p50 ${(pl.p50 / pp.p50).toFixed(2)}, p95 ${(pl.p95 / pp.p95).toFixed(2)}; ` +
        `vs client ping: p50 ${(pl.p50 / pc.p50).toFixed(2)}, p95 ${(pl.p95 / pc.p95).toFixed(2)} (target ≤ 1.5)`,
    );

    // 10,000 pipelined messages, each confirmed by a receipt
    const N = PIPELINED;
    received = 0;
    let confirmed = 0;
    ra.onDelivered((id) => id.startsWith("pipe-") && confirmed++);
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < N; i++) void ca.send({ to: "bob@localhost", id: `pipe-${i}`, body: `pipelined ${i}` });
    const deadline = Date.now() + 120_000;
    while ((received < N || confirmed < N) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const secs = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    table(
      `${N.toLocaleString("en")} pipelined IMs, each with a receipt`,
      ["received", "receipts", "seconds", "msg/s", "node CPU s"],
      [[received, confirmed, secs, Math.round(received / secs), (cpu.user + cpu.system) / 1e6]],
    );
    if (received !== N || confirmed !== N) console.log(`LOST: ${N - received} messages, ${N - confirmed} receipts`);
    await a.stop();
    await b.stop();

    // engine memory: a running engine, then after recording 3,000 exchanges
    (globalThis as { gc?: () => void }).gc?.();
    const before = process.memoryUsage();
    // a fresh account, so start-up does not first backfill the IMs above from the archive
    const engine = createEngine({
      account: acct("dave", "mem"),
      me: "dave@localhost",
      store: openStore({ name: "mem", indexedDB: new IDBFactory(), IDBKeyRange }),
    });
    await engine.start();
    (globalThis as { gc?: () => void }).gc?.();
    const started = process.memoryUsage();
    for (let i = 0; i < EXCHANGES; i++) {
      await engine.recordEmail(
        { messageId: `<m${i}@bench>`, from: "bob@localhost", to: ["dave@localhost"], subject: `s${i}`, date: Date.now() - i * 1000, text: "body ".repeat(40) },
        "bob@localhost",
      );
    }
    (globalThis as { gc?: () => void }).gc?.();
    const filled = process.memoryUsage();
    const mb = (n: number) => n / 1024 / 1024;
    table(
      "Engine memory (MiB, heap used / RSS)",
      ["moment", "heap", "rss"],
      [
        ["before the engine", mb(before.heapUsed), mb(before.rss)],
        ["engine started (connected)", mb(started.heapUsed), mb(started.rss)],
        [`after ${EXCHANGES.toLocaleString("en")} exchanges stored (in-memory IndexedDB)`, mb(filled.heapUsed), mb(filled.rss)],
      ],
    );
    await engine.stop();
  } finally {
    await server.stop({ purge: true });
  }
}
