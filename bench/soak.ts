// `npm run bench soak` (issue 21, item 9): what 5,000 guest messages in a session and 1,000
// distinct strangers leave behind — time per step as the numbers grow (the same each step:
// linear), stored rows, the session row's size, and the heap after a collection — on a private
// Prosody, the strangers real anonymous accounts, the guest a real occupant of the room.
// Beside each, the way the store worked before (a session's records rewritten whole in its row
// at every message; the requests list rewritten whole and unbounded at every stranger's IM),
// run on the same store layer in the same process.
import { xml } from "@xmpp/client";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IDBFactory, IDBKeyRange } from "fake-indexeddb";
import { startProsody } from "../scripts/prosody.mjs";
import { Session } from "../src/core";
import { createEngine, type Engine } from "../src/engine/engine";
import { installWebSocket } from "../src/node/websocket";
import { openStore, type Store } from "../src/store";
import { connect, type Connection } from "../src/xmpp/connection";
import { muc } from "../src/xmpp/muc";
import { sized, table } from "./kit";

installWebSocket();

const MESSAGES = sized(5_000, 100);
const STRANGERS = sized(2_000, 40);
const STEP_MESSAGES = sized(1_000, 50);
const STEP_STRANGERS = sized(500, 20);

const heapMb = () => {
  (globalThis as { gc?: () => void }).gc?.(); // bench.mjs runs node with --expose-gc
  return process.memoryUsage().heapUsed / 1024 / 1024;
};
const until = async (check: () => Promise<boolean>, what: string, ms = 120_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`bench soak: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};
const fresh = () => openStore({ name: `soak-${Math.random()}`, indexedDB: new IDBFactory(), IDBKeyRange });

/** Before: every message read the session, checked it against every record, sorted, and wrote it back whole. */
async function recordsBefore(store: Store, id: string, n: number): Promise<number[]> {
  const steps: number[] = [];
  let t = performance.now();
  for (let i = 1; i <= n; i++) {
    const row = Session.parse(await store.db.table("sessions").get(id)) as Session & { records: Session["records"] };
    const r = { at: Date.now(), from: "Visitor", text: `line ${i}`, id: `m${i}` };
    if (!row.records.some((x) => x.id === r.id)) await store.db.table("sessions").put({ ...row, records: [...row.records, r].sort((a, b) => a.at - b.at) });
    if (i % STEP_MESSAGES === 0) {
      steps.push(performance.now() - t);
      t = performance.now();
    }
  }
  return steps;
}

/** Before: every stranger's IM read the whole requests list and wrote it back, one longer. */
async function requestsBefore(store: Store, n: number): Promise<number[]> {
  const steps: number[] = [];
  let t = performance.now();
  for (let i = 1; i <= n; i++) {
    const from = `stranger-${i}@guest.localhost`;
    const r = (await store.state.get<{ from: string }[]>("requests")) ?? [];
    await store.state.set("requests", [...r.filter((x) => x.from !== from), { from, at: Date.now(), text: `Cheap watches #${i}`, count: 1 }]);
    if (i % STEP_STRANGERS === 0) {
      steps.push(performance.now() - t);
      t = performance.now();
    }
  }
  return steps;
}

async function sessionSoak(alice: Engine, store: Store, service: string, guestDomain: string) {
  const s = await alice.sessions.create({ recipients: [], subject: "Soak", joinPage: "https://addins.example.org/web/join.html" });
  const guest = await connect({ account: { service, jid: guestDomain, resource: "soak" } });
  try {
    const room = muc({ xmpp: guest.xmpp });
    await room.join(s.room, "Visitor");
    const rows = [] as (string | number)[][];
    const rowSize = async () => JSON.stringify(await store.db.sessions.get(s.session)).length;
    let t = performance.now();
    for (let i = 1; i <= MESSAGES; i++) {
      await room.send(s.room, `line ${i}`);
      if (i % STEP_MESSAGES === 0) {
        await until(async () => (await store.db.sessionRecords.count()) === i + 1, `${i} records`);
        rows.push([i, performance.now() - t, await store.db.sessionRecords.count(), await rowSize(), heapMb()]);
        t = performance.now();
      }
    }
    const before = fresh();
    const id = s.session;
    await before.db.table("sessions").put({ id, room: s.room, createdAt: 1, createdBy: "alice@localhost", invited: [], audience: [], records: [] });
    const old = await recordsBefore(before, id, MESSAGES);
    const oldRow = JSON.stringify(await before.db.table("sessions").get(id)).length;
    before.close();
    table(
      `Soak: ${MESSAGES} guest messages in one session, each ${STEP_MESSAGES} sent by a real occupant and recorded by alice's engine — beside the store as it was (records rewritten whole in the row, same store layer)`,
      ["messages", "ms per 1,000 (now)", "record rows", "session row bytes", "heap MB", "ms per 1,000 (before)"],
      rows.map((r, i) => [...r, old[i] ?? NaN]),
    );
    console.log(`before, the session row held all ${MESSAGES} records: ${oldRow} bytes`);
  } finally {
    await guest.stop();
  }
}

/** `STRANGERS` anonymous accounts, ten at a time, each an IM and a presence request to `to`; ms per step, and `sample()` after each step. */
async function strangers(service: string, guestDomain: string, to: string, received: () => number, sample: () => Promise<(string | number)[]>) {
  const rows = [] as (string | number)[][];
  let t = performance.now();
  for (let i = 0; i < STRANGERS; i += 10) {
    // each kept online until the receiver has its IM: a client stopped while the server still
    // writes to it fails inside xmpp.js (its socket gone under _onData)
    const batch: Connection[] = [];
    try {
      await Promise.all(
        Array.from({ length: 10 }, async (_, k) => {
          const c = await connect({ account: { service, jid: guestDomain, resource: `s${i + k}` } });
          batch.push(c);
          await c.xmpp.send(xml("message", { to, type: "chat", id: `spam-${i + k}` }, xml("body", {}, `Cheap watches #${i + k}`)));
          await c.xmpp.send(xml("presence", { to, type: "subscribe" }));
        }),
      );
      await until(async () => received() >= i + 10, `${i + 10} strangers' IMs`);
    } finally {
      await Promise.all(batch.map((c) => c.stop()));
    }
    if ((i + 10) % STEP_STRANGERS === 0) {
      const elapsed = performance.now() - t;
      rows.push([i + 10, elapsed, ...(await sample())]);
      t = performance.now();
    }
  }
  return rows;
}

/** The same strangers to a bare xmpp.js client on a fresh server of its own: what the server and the strangers' logins cost alone. */
async function bareStrangers(): Promise<number[]> {
  const dir = await mkdtemp(join(tmpdir(), "rvi-bench-soak-bare-"));
  const server = await startProsody({ dir, users: { alice: "a" } });
  const alice = await connect({ account: { service: server.service, jid: "alice@localhost", password: "a", resource: "bare" } });
  try {
    let got = 0;
    alice.xmpp.on("stanza", (st: { is(name: string): boolean }) => void (st.is("message") && got++));
    await alice.xmpp.send(xml("presence"));
    return (
      await strangers(
        server.service,
        server.guestDomain,
        "alice@localhost",
        () => got,
        async () => [],
      )
    ).map((r) => r[1] as number);
  } finally {
    await alice.stop();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

async function strangerSoak(alice: Engine, store: Store, service: string, guestDomain: string, aliceJid: string) {
  let stored = 0;
  alice.events.on("message", () => stored++);
  const rows = await strangers(
    service,
    guestDomain,
    aliceJid,
    () => stored,
    async () => {
      const view = await alice.contacts.list();
      return [
        view.requests.filter((r) => r.count > 0).length,
        alice.features.presence.requests().length,
        await store.db.exchanges.count(),
        view.dropped ?? 0,
        heapMb(),
      ];
    },
  );
  const bare = await bareStrangers();
  const before = fresh();
  const old = await requestsBefore(before, STRANGERS);
  const oldList = ((await before.state.get<unknown[]>("requests")) ?? []).length;
  before.close();
  table(
    `Soak: ${STRANGERS} distinct strangers (anonymous accounts), each an IM and a presence request — beside a bare xmpp.js client taking the same on a fresh Prosody, and the requests list as it was (unbounded, rewritten whole, same store layer)`,
    [
      "strangers",
      `ms per ${STEP_STRANGERS} (engine)`,
      "IM requests",
      "presence held",
      "stored IMs",
      "dropped (said)",
      "heap MB",
      `ms per ${STEP_STRANGERS} (bare client)`,
      "store alone before (ms)",
    ],
    rows.map((r, i) => [...r, bare[i] ?? NaN, old[i] ?? NaN]),
  );
  console.log(
    `before, the requests list held ${oldList} strangers. The time per step grows for the bare client too: Prosody keeps each pending subscription in alice's roster and rewrites it whole`,
  );
}

export async function benchSoak(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "rvi-bench-soak-"));
  const users = { alice: "a" };
  const server = await startProsody({ dir, users });
  const store = fresh();
  const alice = createEngine({
    account: { service: server.service, jid: "alice@localhost", password: users.alice, resource: "bench" },
    me: "alice@localhost",
    store,
  });
  try {
    await alice.start();
    await sessionSoak(alice, store, server.service, server.guestDomain);
    await strangerSoak(alice, store, server.service, server.guestDomain, "alice@localhost");
  } finally {
    await alice.stop();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
