// Engines for tests: each on its own fresh store, with retries fast enough for a test.
import { IDBFactory, IDBKeyRange } from "fake-indexeddb";
import { createEngine, type Engine, type EngineOptions } from "../../src/engine/engine";
import type { Account } from "../../src/xmpp/connection";
import { openStore, type Store } from "../../src/store";

const running = new Set<Engine>();

export function testEngine(account: Account, opts: Partial<EngineOptions> & { factory?: IDBFactory } = {}) {
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
