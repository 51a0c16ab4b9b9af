import { IDBFactory, IDBKeyRange } from "fake-indexeddb";
import { historyFor } from "../src/core";
import { ReplyViaImDb } from "../src/store";
import { SCHEMA_VERSION } from "../src/store/schema";
import { freshStore } from "./kit/store";

describe("Store (Dexie, versioned)", () => {
  it("opens a version-1 database and upgrades its rows", async () => {
    const indexedDB = new IDBFactory();
    const v1 = new ReplyViaImDb("old", { indexedDB, IDBKeyRange }, 1);
    await v1.exchanges.bulkAdd([
      { id: "email:a@x", kind: "email", key: "a@x", counterpart: "Bob@Example.org", direction: "in", at: 1000, from: "bob@example.org", to: [], text: "from v1" },
      { id: "email:b@x", kind: "email", key: "b@x", counterpart: "bob@example.org", direction: "out", at: 2000, from: "me@example.org", to: [], text: "second" },
    ]);
    await v1.outbox.add({ id: "q1", to: "bob@example.org", counterpart: "bob@example.org", text: "queued in v1", createdAt: 1, state: "queued" });
    expect(v1.verno).toBe(1);
    v1.close();

    const store = freshStore({ name: "old", indexedDB });
    await store.db.open();
    expect(store.db.verno).toBe(SCHEMA_VERSION);
    const h = await historyFor(store.exchanges, "bob@example.org");
    expect(h.items.map((x) => [x.text, x.origin])).toEqual([["from v1", "ours"], ["second", "ours"]]);
    expect(await store.outbox.get("q1")).toMatchObject({ state: "queued", attempts: 0, transitions: [] });
    expect((await store.outbox.due(Date.now(), 10)).map((i) => i.id)).toEqual(["q1"]);
    expect(store.problems).toEqual([]);
  });

  it("a corrupt row is rejected and reported; the other rows still load", async () => {
    const reports: unknown[] = [];
    const store = freshStore({ onCorrupt: (p) => reports.push(p) });
    await store.db.exchanges.bulkPut([
      { id: "email:good1", kind: "email", key: "good1", counterpart: "bob@example.org", direction: "in", at: 1, from: "bob@example.org", to: [], text: "good one", attachments: [], origin: "ours" },
      { id: "email:bad", kind: "email", key: "bad", counterpart: "bob@example.org", direction: "sideways", at: 2, from: "bob@example.org", to: [], text: 42 },
      { id: "email:good2", kind: "email", key: "good2", counterpart: "bob@example.org", direction: "out", at: 3, from: "me@example.org", to: [], text: "good two", attachments: [], origin: "ours" },
    ]);
    await store.db.outbox.put({ id: "broken", state: "flying" });
    const h = await historyFor(store.exchanges, "bob@example.org");
    expect(h.items.map((x) => x.text)).toEqual(["good one", "good two"]);
    expect(await store.outbox.get("broken")).toBeUndefined();
    expect(reports).toEqual([
      expect.objectContaining({ table: "exchanges", key: "email:bad", reason: expect.stringMatching(/direction/) }),
      expect.objectContaining({ table: "outbox", key: "broken" }),
    ]);
  });

  it("refuses to write an invalid row", async () => {
    const { outbox } = freshStore();
    await expect(outbox.put({ id: "", to: "x" } as never)).rejects.toThrow();
  });
});

describe("Retention and the address table (Options)", () => {
  it("forgets exchanges older than the retention period, keeps the rest; a version-3 database gains the index", async () => {
    const indexedDB = new IDBFactory();
    const v3 = new ReplyViaImDb("v3", { indexedDB, IDBKeyRange }, 3);
    const row = (key: string, at: number) => ({ id: `email:${key}`, kind: "email", key, counterpart: "bob@example.org", direction: "in", at, from: "bob@example.org", to: [], text: key, attachments: [], origin: "ours" });
    await v3.exchanges.bulkAdd([row("old", 1_000), row("older", 500), row("new", 10_000)]);
    v3.close();
    const store = freshStore({ name: "v3", indexedDB });
    expect(await store.exchanges.forgetBefore(5_000)).toBe(2);
    expect((await historyFor(store.exchanges, "bob@example.org")).items.map((x) => x.text)).toEqual(["new"]);
  });

  it("a mapping can be forgotten", async () => {
    const store = freshStore();
    await store.mappings.put({ email: "bob@example.org", jid: "bob@chat.example.org", source: "user", confidence: 1, updatedAt: 1 });
    await store.mappings.remove("bob@example.org");
    expect(await store.mappings.all()).toEqual([]);
  });
});
