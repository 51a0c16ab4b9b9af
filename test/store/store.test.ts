import { IDBFactory, IDBKeyRange } from "fake-indexeddb";
import { historyFor } from "../../src/core";
import { ReplyViaImDb } from "../../src/store";
import { SCHEMA_VERSION } from "../../src/store/schema";
import { freshStore } from "../kit/store";

describe("Store (Dexie, versioned)", () => {
  it("opens a version-1 database and upgrades its rows", async () => {
    const indexedDB = new IDBFactory();
    const v1 = new ReplyViaImDb("old", { indexedDB, IDBKeyRange }, 1);
    await v1.exchanges.bulkAdd([
      {
        id: "email:a@x",
        kind: "email",
        key: "a@x",
        counterpart: "Bob@Example.org",
        direction: "in",
        at: 1000,
        from: "bob@example.org",
        to: [],
        text: "from v1",
      },
      {
        id: "email:b@x",
        kind: "email",
        key: "b@x",
        counterpart: "bob@example.org",
        direction: "out",
        at: 2000,
        from: "me@example.org",
        to: [],
        text: "second",
      },
    ]);
    await v1.outbox.add({ id: "q1", to: "bob@example.org", counterpart: "bob@example.org", text: "queued in v1", createdAt: 1, state: "queued" });
    expect(v1.verno).toBe(1);
    v1.close();

    const store = freshStore({ name: "old", indexedDB });
    await store.db.open();
    expect(store.db.verno).toBe(SCHEMA_VERSION);
    const h = await historyFor(store.exchanges, "bob@example.org");
    expect(h.items.map((x) => [x.text, x.origin])).toEqual([
      ["from v1", "ours"],
      ["second", "ours"],
    ]);
    expect(await store.outbox.get("q1")).toMatchObject({ state: "queued", attempts: 0, transitions: [] });
    expect((await store.outbox.due(Date.now(), 10)).map((i) => i.id)).toEqual(["q1"]);
    expect(store.problems).toEqual([]);
  });

  it("a corrupt row is rejected and reported; the other rows still load", async () => {
    const reports: unknown[] = [];
    const store = freshStore({ onCorrupt: (p) => reports.push(p) });
    await store.db.exchanges.bulkPut([
      {
        id: "email:good1",
        kind: "email",
        key: "good1",
        counterpart: "bob@example.org",
        direction: "in",
        at: 1,
        from: "bob@example.org",
        to: [],
        text: "good one",
        attachments: [],
        origin: "ours",
      },
      { id: "email:bad", kind: "email", key: "bad", counterpart: "bob@example.org", direction: "sideways", at: 2, from: "bob@example.org", to: [], text: 42 },
      {
        id: "email:good2",
        kind: "email",
        key: "good2",
        counterpart: "bob@example.org",
        direction: "out",
        at: 3,
        from: "me@example.org",
        to: [],
        text: "good two",
        attachments: [],
        origin: "ours",
      },
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
    const row = (key: string, at: number) => ({
      id: `email:${key}`,
      kind: "email",
      key,
      counterpart: "bob@example.org",
      direction: "in",
      at,
      from: "bob@example.org",
      to: [],
      text: key,
      attachments: [],
      origin: "ours",
    });
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

describe("F12 session records (version 5): appended, never rewritten", () => {
  const session = "6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f";
  const rec = (id: string, at: number, text = id) => ({ id, at, from: "Carol", text });

  it("a version-4 database's sessions keep their records, once each, in their order", async () => {
    const indexedDB = new IDBFactory();
    const v4 = new ReplyViaImDb("v4", { indexedDB, IDBKeyRange }, 4);
    await v4.sessions.add({
      id: session,
      room: `${session}@conference.example.org`,
      createdAt: 1,
      createdBy: "alice@example.org",
      invited: [],
      audience: [{ who: "Carol", joinedAt: 2 }],
      records: [rec("invitation", 1, "Join"), rec("a", 5_000), rec("b", 5_000), rec("a", 5_000), rec("c", 7_000)],
    });
    v4.close();
    const store = freshStore({ name: "v4", indexedDB });
    const s = await store.sessions.get(session);
    expect(s!.records.map((r) => r.id)).toEqual(["invitation", "a", "b", "c"]);
    expect(s!.audience).toEqual([{ who: "Carol", joinedAt: 2 }]);
    expect((await store.sessions.summary(session))!.records).toEqual([]);
    expect(await store.db.sessions.get(session)).not.toHaveProperty("records"); // the row no longer carries them
  });

  it("adds only new records; a put names the records it changes and leaves the others", async () => {
    const store = freshStore();
    await store.sessions.put({
      id: session,
      room: `${session}@conference.example.org`,
      createdAt: 1,
      createdBy: "me@x.org",
      invited: [],
      audience: [],
      records: [rec("invitation", 1, "Join")],
    });
    expect(await store.sessions.addRecords(session, [rec("a", 10), rec("b", 10), rec("a", 10)])).toBe(2);
    expect(await store.sessions.addRecords(session, [rec("b", 10), rec("c", 20)])).toBe(1);
    const s = (await store.sessions.summary(session))!;
    await store.sessions.put({ ...s, audience: [{ who: "Carol", joinedAt: 3 }], records: [rec("invitation", 1, "Join (password needed)")] });
    const back = (await store.sessions.get(session))!;
    expect(back.records.map((r) => [r.id, r.text])).toEqual([
      ["invitation", "Join (password needed)"],
      ["a", "a"],
      ["b", "b"],
      ["c", "c"],
    ]);
    expect(back.audience).toEqual([{ who: "Carol", joinedAt: 3 }]);
    expect(await store.db.sessionRecords.count()).toBe(4);
  });

  it("forgets one person's exchanges before a time, and nobody else's", async () => {
    const store = freshStore();
    const row = (key: string, counterpart: string, at: number) => ({
      id: `im:${key}`,
      kind: "im" as const,
      key,
      counterpart,
      direction: "in" as const,
      at,
      from: counterpart,
      to: [],
      text: key,
      attachments: [],
      origin: "ours" as const,
    });
    for (const x of [row("s1", "spam@x.org", 1_000), row("s2", "spam@x.org", 9_000), row("b1", "bob@x.org", 1_000)]) await store.exchanges.add(x);
    expect(await store.exchanges.forgetOf("spam@x.org", 5_000)).toBe(1);
    expect((await store.exchanges.recent("spam@x.org", { limit: 10 })).map((x) => x.key)).toEqual(["s2"]);
    expect(await store.exchanges.count("bob@x.org")).toBe(1);
  });
});
