// The outbox keeps IMs the user chose to retry (F6a) and sends them when they are due or when
// the contact comes online. Every step is written to the store before it is acted on, so a
// restart resumes where it stopped. Exactly-once: each attempt reuses the IM's stanza id (the
// receiver deduplicates on it), an item is claimed atomically before it is sent, and a
// receipt that arrives late wins over any attempt still in flight. In order: a person's kept IMs
// go out oldest first, and a later one never overtakes an earlier one that did not go through
// (the retry times carry random jitter, so their order is not the order written).
import { advance, canAdvance } from "./delivery";
import type { Clock, OutboxStore } from "./ports";
import type { OutboxItem } from "./schemas";

export interface RetryPolicy {
  baseMs: number; // first retry after about this long
  capMs: number; // never wait longer than this between attempts
  maxAttempts: number; // then give up and tell the user
}
export const DEFAULT_RETRY: RetryPolicy = { baseMs: 15_000, capMs: 15 * 60_000, maxAttempts: 40 };

/** Exponential backoff with "equal jitter": half the delay fixed, half random. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const exp = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + (exp / 2) * random());
}

export type AttemptOutcome = "acked" | "unavailable" | { error: string };

export interface OutboxDeps {
  store: OutboxStore;
  clock: Clock;
  random?: () => number;
  policy?: RetryPolicy;
  /** Sends the IM (same id every time) if the contact is available. */
  attempt(item: OutboxItem): Promise<AttemptOutcome>;
  /** Called on every state change, for the IM window and notifications. */
  onChange?(item: OutboxItem): void;
}

export interface Outbox {
  /** Puts a new IM into the queue (state queued), due at once. */
  enqueue(item: OutboxItem): Promise<OutboxItem>;
  /** Tries, for every person with a due item, their queued IMs oldest first; returns how many were attempted. */
  drain(limit?: number): Promise<number>;
  /** The contact came online: everything queued for them is due now. */
  contactOnline(jid: string): Promise<number>;
  /** A receipt (or a late ack) for an IM id. Idempotent. */
  receipt(id: string): Promise<OutboxItem | undefined>;
  /** After a restart: items caught mid-send go back to the queue. */
  resume(): Promise<number>;
  /**
   * After the connection was lost: IMs the server took but the contact never confirmed go back
   * to the queue, since the server may have lost them with the connection. Their ids do not
   * change, so a receiver that did get them shows them once.
   */
  requeueUnconfirmed(): Promise<number>;
}

export function createOutbox(deps: OutboxDeps): Outbox {
  const { store, clock } = deps;
  const random = deps.random ?? Math.random;
  const policy = deps.policy ?? DEFAULT_RETRY;
  const changed = (item: OutboxItem | undefined) => {
    if (item) deps.onChange?.(item);
    return item;
  };

  async function enqueue(item: OutboxItem): Promise<OutboxItem> {
    const now = clock.now();
    const queued: OutboxItem = item.state === "queued" ? item : advance(item, { type: "keep" }, now);
    const row = { ...queued, nextAttemptAt: now };
    await store.put(row);
    return changed(row)!;
  }

  async function settle(id: string, outcome: AttemptOutcome): Promise<OutboxItem | undefined> {
    return store.update(id, (item) => {
      const now = clock.now();
      if (item.state !== "sending") return undefined; // a receipt or the user got there first
      if (outcome === "acked") return advance(item, { type: "acked" }, now);
      const reason = outcome === "unavailable" ? "contact offline" : outcome.error;
      if (item.attempts >= policy.maxAttempts) {
        return advance(
          item,
          {
            type: "fail",
            code: "gave-up",
            reason: `gave up after ${item.attempts} attempts (${reason}); convert it to an email or try again later`,
          },
          now,
        );
      }
      const back = advance(item, { type: "unavailable" }, now);
      return { ...back, reason, nextAttemptAt: now + backoffDelay(item.attempts, policy, random) };
    });
  }

  /** One attempt; the item as it ended, or undefined when it was not queued any more. */
  async function tryOne(id: string): Promise<OutboxItem | undefined> {
    const claimed = await store.update(id, (item) => {
      if (item.state !== "queued") return undefined;
      return { ...advance(item, { type: "retry" }, clock.now()), attempts: item.attempts + 1 };
    });
    if (!claimed) return undefined;
    changed(claimed);
    let outcome: AttemptOutcome;
    try {
      outcome = await deps.attempt(claimed);
    } catch (e) {
      outcome = { error: e instanceof Error ? e.message : String(e) };
    }
    return changed(await settle(id, outcome)) ?? (await store.get(id));
  }

  /** A person's queued IMs, oldest first, until one does not go through; how many were attempted. */
  async function sendInOrder(to: string, queued: OutboxItem[]): Promise<number> {
    let n = 0;
    for (const item of queued.filter((i) => i.to === to).sort((a, b) => a.createdAt - b.createdAt)) {
      const after = await tryOne(item.id);
      if (!after) continue; // taken meanwhile (a receipt, the user): the next one may go
      n++;
      if (after.state === "queued" || after.state === "failed") break; // an earlier IM waits: so do the later ones
    }
    return n;
  }

  async function drain(limit = 500): Promise<number> {
    const due = await store.due(clock.now(), limit);
    if (!due.length) return 0;
    const queued = await store.inStates(["queued"]);
    let n = 0;
    for (const to of new Set(due.map((i) => i.to))) n += await sendInOrder(to, queued);
    return n;
  }

  async function contactOnline(jid: string): Promise<number> {
    const now = clock.now();
    const queued = (await store.inStates(["queued"])).filter((i) => i.to === jid);
    for (const item of queued) {
      await store.update(item.id, (i) => (i.state === "queued" ? { ...i, nextAttemptAt: now } : undefined));
    }
    return sendInOrder(jid, queued);
  }

  async function receipt(id: string): Promise<OutboxItem | undefined> {
    return changed(await store.update(id, (item) => (canAdvance(item.state, "receipt") ? advance(item, { type: "receipt" }, clock.now()) : undefined)));
  }

  async function resume(): Promise<number> {
    const stuck = await store.inStates(["sending"]);
    for (const item of stuck) {
      await store.update(item.id, (i) =>
        i.state === "sending" ? { ...advance(i, { type: "unavailable" }, clock.now()), nextAttemptAt: clock.now() } : undefined,
      );
    }
    return stuck.length;
  }

  async function requeueUnconfirmed(): Promise<number> {
    let n = 0;
    for (const item of await store.inStates(["sent"])) {
      const moved = await store.update(item.id, (i) =>
        i.state === "sent" ? { ...advance(i, { type: "keep" }, clock.now()), nextAttemptAt: clock.now() } : undefined,
      );
      if (moved) {
        n++;
        changed(moved);
      }
    }
    return n;
  }

  return { enqueue, drain, contactOnline, receipt, resume, requeueUnconfirmed };
}
