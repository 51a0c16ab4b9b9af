// What the core needs from storage: small interfaces that src/store implements with Dexie
// and that tests may implement in memory. Rows are already validated when they come back.
import type { Exchange, Mapping, OutboxItem, Session } from "./schemas";

export interface ExchangeStore {
  /** Adds unless an exchange with the same id is stored; "ours" replaces "theirs". Returns true when stored. */
  add(exchange: Exchange): Promise<boolean>;
  /** Newest first, at most `limit`, none older than `since`. */
  recent(counterpart: string, opts: { since?: number; limit: number }): Promise<Exchange[]>;
  count(counterpart: string): Promise<number>;
  /** Forgets every exchange older than `at` (the retention setting); returns how many. */
  forgetBefore(at: number): Promise<number>;
  /** Forgets one person's exchanges older than `at` (a stranger's, after their retention); returns how many. */
  forgetOf(counterpart: string, at: number): Promise<number>;
}

export interface MappingStore {
  get(email: string): Promise<Mapping | undefined>;
  byJid(jid: string): Promise<Mapping | undefined>;
  put(mapping: Mapping): Promise<void>;
  all(): Promise<Mapping[]>;
  remove(email: string): Promise<void>;
}

export interface OutboxStore {
  put(item: OutboxItem): Promise<void>;
  get(id: string): Promise<OutboxItem | undefined>;
  /** Reads, changes and writes one row atomically; the mutator may return undefined to leave it. */
  update(id: string, change: (item: OutboxItem) => OutboxItem | undefined): Promise<OutboxItem | undefined>;
  /** Queued items whose next attempt is due, oldest due first. */
  due(now: number, limit: number): Promise<OutboxItem[]>;
  inStates(states: OutboxItem["state"][]): Promise<OutboxItem[]>;
}

/** A session's records are appended one by one (a busy room must not rewrite its history at every message). */
export interface SessionStore {
  /** Writes the session's row, and adds or replaces the records it names (the others stay). */
  put(session: Session): Promise<void>;
  /** The session with all its records, in the order they came. */
  get(id: string): Promise<Session | undefined>;
  /** The session without reading its records (`records` is empty): for who and how, not what was said. */
  summary(id: string): Promise<Session | undefined>;
  /** Adds the records not kept yet (by id); returns how many were new. */
  addRecords(id: string, records: Session["records"]): Promise<number>;
  /** Sessions created at or after `since`, newest first, without their records. */
  recent(since: number): Promise<Session[]>;
}

export interface UsageStore {
  add(name: string, n: number): Promise<void>;
  all(): Promise<Record<string, number>>;
}

export interface Clock {
  now(): number;
}
export const systemClock: Clock = { now: () => Date.now() };
