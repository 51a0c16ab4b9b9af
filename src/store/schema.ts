// The versioned schema. Every version stays here, with its upgrade, and has a test that opens
// a database written by the version before it (test/store/store.test.ts).
import type Dexie from "dexie";
import type { Transaction } from "dexie";

export const SCHEMA_VERSION = 5;

/** Version 1, the first cut: exchanges by counterpart and by time, separately. */
export const V1 = {
  exchanges: "id, counterpart, at",
  mappings: "email, jid",
  outbox: "id, state, nextAttemptAt",
  sessions: "id",
  usage: "name",
};

/**
 * Version 2: history for one person is read through a compound [counterpart+at] index
 * (no scan of everyone's history), the outbox finds due items through [state+nextAttemptAt],
 * and rows from version 1 get the fields added since (origin, attachments, transitions).
 */
export const V2 = {
  exchanges: "id, [counterpart+at], key",
  mappings: "email, jid",
  outbox: "id, [state+nextAttemptAt], to",
  sessions: "id, createdAt",
  usage: "name",
};

export async function upgradeToV2(tx: Transaction): Promise<void> {
  await tx
    .table("exchanges")
    .toCollection()
    .modify((row: Record<string, unknown>) => {
      if (typeof row.counterpart === "string") row.counterpart = row.counterpart.trim().toLowerCase();
      row.origin ??= "ours";
      row.attachments ??= [];
    });
  await tx
    .table("outbox")
    .toCollection()
    .modify((row: Record<string, unknown>) => {
      row.transitions ??= [];
      row.attempts ??= 0;
      row.nextAttemptAt ??= 0;
    });
}

/** Version 3: a small key-value table for the engine's own bookkeeping (e.g. the last MAM sync). */
export const V3 = { ...V2, meta: "key" };

/** Version 4: exchanges by time alone too, so the retention setting can forget old ones. */
export const V4 = { ...V3, exchanges: "id, [counterpart+at], key, at" };

/**
 * Version 5: a session's records (what is said in the room) are rows of their own, appended one
 * by one, instead of an array rewritten whole in the session's row at every group message (5,000
 * messages cost 12.5 million record copies). `seq` keeps the order they came in within one time
 * stamp (archive stamps are whole seconds); `[session+id]` keeps each record once.
 */
export const V5 = { ...V4, sessionRecords: "++seq, &[session+id], [session+at]" };

export async function upgradeToV5(tx: Transaction): Promise<void> {
  const moved: Record<string, unknown>[] = [];
  await tx
    .table("sessions")
    .toCollection()
    .modify((row: Record<string, unknown>) => {
      const records = Array.isArray(row.records) ? (row.records as Record<string, unknown>[]) : [];
      const seen = new Set<unknown>();
      for (const r of records) {
        if (seen.has(r.id)) continue;
        seen.add(r.id);
        moved.push({ ...r, session: row.id });
      }
      delete row.records;
    });
  await tx.table("sessionRecords").bulkAdd(moved);
}

export function declareSchema(db: Dexie, upTo = SCHEMA_VERSION): void {
  db.version(1).stores(V1);
  if (upTo >= 2) db.version(2).stores(V2).upgrade(upgradeToV2);
  if (upTo >= 3) db.version(3).stores(V3);
  if (upTo >= 4) db.version(4).stores(V4);
  if (upTo >= 5) db.version(5).stores(V5).upgrade(upgradeToV5);
}
