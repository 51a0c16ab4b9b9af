// Dexie implementation of the core's storage ports.
import Dexie, { type Table } from "dexie";
import type * as z from "zod/mini";
import {
  describeIssues,
  Exchange,
  Mapping,
  OutboxItem,
  Session,
  SessionRecord,
  type ExchangeStore,
  type MappingStore,
  type OutboxStore,
  type SessionStore,
  type UsageStore,
} from "../core";
import { declareSchema } from "./schema";

export interface CorruptRow {
  table: string;
  key: unknown;
  reason: string;
}

export interface StoreOptions {
  name?: string;
  indexedDB?: IDBFactory;
  IDBKeyRange?: typeof IDBKeyRange;
  /** Told about every row that fails validation; the row is skipped, the rest load. */
  onCorrupt?: (problem: CorruptRow) => void;
}

type Row = Record<string, unknown>;

export class ReplyViaImDb extends Dexie {
  exchanges!: Table<Row, string>;
  mappings!: Table<Row, string>;
  outbox!: Table<Row, string>;
  sessions!: Table<Row, string>;
  sessionRecords!: Table<Row, number>;
  usage!: Table<{ name: string; count: number }, string>;
  meta!: Table<{ key: string; value: unknown }, string>;
  constructor(name: string, deps: { indexedDB?: IDBFactory; IDBKeyRange?: typeof IDBKeyRange }, upTo?: number) {
    super(name, deps.indexedDB ? { indexedDB: deps.indexedDB, IDBKeyRange: deps.IDBKeyRange } : undefined);
    declareSchema(this, upTo);
  }
}

export interface Store {
  db: ReplyViaImDb;
  exchanges: ExchangeStore;
  mappings: MappingStore;
  outbox: OutboxStore;
  sessions: SessionStore;
  usage: UsageStore;
  /**
   * What the engine keeps between runs that is neither a record nor a setting, by key: the contact
   * requests waiting for the person's decision, the last archive sync, avatars, discovered
   * endpoints, the folders it made. (Its IndexedDB table is still called "meta": renaming a table
   * would need a schema version that copies it, for a name no user sees.)
   */
  state: { get<T>(key: string): Promise<T | undefined>; set(key: string, value: unknown): Promise<void> };
  /** Corrupt rows seen since opening. */
  problems: CorruptRow[];
  close(): void;
}

export function openStore(options: StoreOptions = {}): Store {
  const db = new ReplyViaImDb(options.name ?? "reply-via-im", options);
  const problems: CorruptRow[] = [];

  function valid<S extends z.ZodMiniType>(schema: S, table: string, row: unknown): z.infer<S> | undefined {
    if (row === undefined) return undefined;
    const parsed = schema.safeParse(row);
    if (parsed.success) return parsed.data;
    const key = (row as Row)?.id ?? (row as Row)?.email ?? null;
    const problem = { table, key, reason: describeIssues(parsed.error) };
    problems.push(problem);
    options.onCorrupt?.(problem);
    return undefined;
  }
  const all = <S extends z.ZodMiniType>(schema: S, table: string, rows: unknown[]) =>
    rows.map((r) => valid(schema, table, r)).filter((r): r is z.infer<S> => r !== undefined);

  const exchanges: ExchangeStore = {
    add: (x) =>
      db.transaction("rw", db.exchanges, async () => {
        const row = Exchange.parse(x);
        const old = valid(Exchange, "exchanges", await db.exchanges.get(row.id));
        if (old && (old.origin === "ours" || row.origin === "theirs")) return false;
        await db.exchanges.put(row);
        return true;
      }),
    recent: async (counterpart, { since = 0, limit }) =>
      all(
        Exchange,
        "exchanges",
        await db.exchanges.where("[counterpart+at]").between([counterpart, since], [counterpart, Dexie.maxKey], true, true).reverse().limit(limit).toArray(),
      ),
    count: (counterpart) => db.exchanges.where("[counterpart+at]").between([counterpart, Dexie.minKey], [counterpart, Dexie.maxKey]).count(),
    forgetBefore: (at) => db.exchanges.where("at").below(at).delete(),
    forgetOf: (counterpart, at) => db.exchanges.where("[counterpart+at]").between([counterpart, Dexie.minKey], [counterpart, at], true, false).delete(),
  };

  const mappings: MappingStore = {
    get: async (email) => valid(Mapping, "mappings", await db.mappings.get(email)),
    byJid: async (jid) => {
      const rows = all(Mapping, "mappings", await db.mappings.where("jid").equals(jid).toArray());
      return rows.sort((a, b) => b.confidence - a.confidence || b.updatedAt - a.updatedAt)[0];
    },
    put: async (m) => void (await db.mappings.put(Mapping.parse(m))),
    all: async () => all(Mapping, "mappings", await db.mappings.toArray()),
    remove: (email) => db.mappings.delete(email),
  };

  const outbox: OutboxStore = {
    put: async (item) => void (await db.outbox.put(OutboxItem.parse(item))),
    get: async (id) => valid(OutboxItem, "outbox", await db.outbox.get(id)),
    update: (id, change) =>
      db.transaction("rw", db.outbox, async () => {
        const item = valid(OutboxItem, "outbox", await db.outbox.get(id));
        if (!item) return undefined;
        const next = change(item);
        if (!next) return undefined;
        const row = OutboxItem.parse(next);
        await db.outbox.put(row);
        return row;
      }),
    due: async (now, limit) =>
      all(
        OutboxItem,
        "outbox",
        await db.outbox.where("[state+nextAttemptAt]").between(["queued", Dexie.minKey], ["queued", now], true, true).limit(limit).toArray(),
      ),
    inStates: async (states) => {
      const rows = await Promise.all(states.map((s) => db.outbox.where("[state+nextAttemptAt]").between([s, Dexie.minKey], [s, Dexie.maxKey]).toArray()));
      return all(OutboxItem, "outbox", rows.flat());
    },
  };

  const summary = async (id: string) => valid(Session, "sessions", await db.sessions.get(id));
  const rowOf = (s: Session): Row => {
    const { records: _written, ...row } = Session.parse(s); // the records go to their own table
    return row;
  };
  const sessions: SessionStore = {
    put: (s) =>
      db.transaction("rw", db.sessions, db.sessionRecords, async () => {
        const row = rowOf(s);
        await db.sessions.put(row);
        for (const r of s.records) {
          const old = await db.sessionRecords.where("[session+id]").equals([s.id, r.id]).first();
          await db.sessionRecords.put({ ...SessionRecord.parse(r), session: s.id, ...(old ? { seq: old.seq } : {}) });
        }
      }),
    get: async (id) => {
      const s = await summary(id);
      if (!s) return undefined;
      const rows = await db.sessionRecords.where("[session+at]").between([id, Dexie.minKey], [id, Dexie.maxKey]).toArray();
      return { ...s, records: all(SessionRecord, "sessionRecords", rows).map(({ at, from, text, id: rid }) => ({ at, from, text, id: rid })) };
    },
    summary,
    addRecords: (id, records) =>
      db.transaction("rw", db.sessionRecords, async () => {
        const fresh = new Map<string, SessionRecord>();
        for (const r of records) if (!fresh.has(r.id)) fresh.set(r.id, SessionRecord.parse(r));
        const kept = await db.sessionRecords
          .where("[session+id]")
          .anyOf([...fresh.keys()].map((rid) => [id, rid]))
          .toArray();
        for (const k of kept) fresh.delete(String(k.id));
        await db.sessionRecords.bulkAdd([...fresh.values()].map((r) => ({ ...r, session: id })));
        return fresh.size;
      }),
    recent: async (since) => all(Session, "sessions", (await db.sessions.where("createdAt").aboveOrEqual(since).toArray()).reverse()),
  };

  const usage: UsageStore = {
    add: (name, n) =>
      db.transaction("rw", db.usage, async () => {
        const row = await db.usage.get(name);
        await db.usage.put({ name, count: (row?.count ?? 0) + n });
      }),
    all: async () => Object.fromEntries((await db.usage.toArray()).map((r) => [r.name, r.count])),
  };

  const state = {
    get: async <T>(key: string) => (await db.meta.get(key))?.value as T | undefined,
    set: async (key: string, value: unknown) => void (await db.meta.put({ key, value })),
  };

  return { db, exchanges, mappings, outbox, sessions, usage, state, problems, close: () => db.close() };
}
