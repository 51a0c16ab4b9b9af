// A fresh store on its own fake IndexedDB, so tests never see each other's rows.
import { IDBFactory, IDBKeyRange } from "fake-indexeddb";
import { openStore, type Store, type StoreOptions } from "../../src/store";

export function freshStore(options: StoreOptions = {}): Store & { factory: IDBFactory } {
  const factory = options.indexedDB instanceof IDBFactory ? options.indexedDB : new IDBFactory();
  const store = openStore({ name: "test", ...options, indexedDB: factory, IDBKeyRange });
  return Object.assign(store, { factory });
}

/** A clock the test moves by hand. */
export function manualClock(start = Date.UTC(2026, 0, 1)) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms), set: (ms: number) => void (t = ms) };
}
