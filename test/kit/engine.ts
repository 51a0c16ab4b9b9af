// Engines for tests: each on its own fresh store, with retries fast enough for a test.
import { IDBFactory, IDBKeyRange } from "fake-indexeddb";
import { createEngine, type Engine, type EngineOptions } from "../../src/engine/engine";
import type { Account } from "../../src/xmpp/connection";
import { openStore, type Store } from "../../src/store";
import { until } from "./xmpp";

const running = new Set<Engine>();

export function testEngine(account: EngineOptions["account"], opts: Partial<EngineOptions> & { factory?: IDBFactory } = {}) {
  const factory = opts.factory ?? new IDBFactory();
  const store: Store = opts.store ?? openStore({ name: "engine", indexedDB: factory, IDBKeyRange });
  const engine = createEngine({
    account, me: account.jid, store,
    retry: { baseMs: 100, capMs: 400, maxAttempts: 50 },
    outboxTickMs: 100, presenceWaitMs: 1000, receiptWaitMs: 3000,
    approveSubscription: () => true,
    ...opts,
  });
  running.add(engine);
  return Object.assign(engine, { store, factory });
}

export async function stopEngines() {
  await Promise.all([...running].map((e) => e.stop()));
  running.clear();
}

/**
 * F13's scene: bob made a chat session about "Budget review" for alice and carol, carol joined and
 * said "Travel is fixed at 4k.", and bob read it. Returns their engines and the invitation.
 */
export async function bobsSession(alice: Account, bob: Account, carol: Account) {
  const b = testEngine(bob);
  const c = testEngine(carol);
  await Promise.all([b.start(), c.start()]);
  const s = await b.createSession({ recipients: [alice.jid, carol.jid], subject: "Budget review", joinPage: "https://addins.example.org/web/join.html" });
  const bobSaw: string[] = [];
  b.features.muc.onMessage((m) => bobSaw.push(m.body));
  await c.features.muc.join(s.room, "Carol");
  await c.features.muc.send(s.room, "Travel is fixed at 4k.");
  await until(() => bobSaw.includes("Travel is fixed at 4k."), "bob to read carol");
  return { b, c, s };
}
