// Usage figures (F22): counts of what the add-in did, for the user to see and export.
import type { UsageStore } from "./ports";

export const USAGE_COUNTERS = [
  "imsSent",
  "imsDelivered",
  "imsQueued",
  "imsRetried",
  "imsCancelled",
  "imsConverted",
  "imsFailed",
  "imsReceived",
  "repliesByEmail",
  "historyBytes",
  "attachmentBytes",
  "invitationsCreated",
] as const;
export type UsageCounter = (typeof USAGE_COUNTERS)[number];

export function createUsage(store: UsageStore) {
  return {
    count: (name: UsageCounter, n = 1) => (n > 0 ? store.add(name, n) : Promise.resolve()),
    async figures(): Promise<Record<UsageCounter, number>> {
      const stored = await store.all();
      return Object.fromEntries(USAGE_COUNTERS.map((k) => [k, stored[k] ?? 0])) as Record<UsageCounter, number>;
    },
    /** CSV for an organisation's accounting: one counter a line. */
    async exportCsv(at: Date = new Date()): Promise<string> {
      const f = await this.figures();
      return ["counter,count,exported_at", ...USAGE_COUNTERS.map((k) => `${k},${f[k]},${at.toISOString()}`)].join("\n") + "\n";
    },
  };
}
export type Usage = ReturnType<typeof createUsage>;

/**
 * Counts kept in memory and written together a moment later: an IM costs three counts, and
 * three store writes on its way out and back cost more than the IM's own round trip on a near
 * server. Reading the figures writes what is pending first, so they are never behind.
 */
export function batchedUsage(store: UsageStore, { flushMs = 1000, onError }: { flushMs?: number; onError?: (err: unknown) => void } = {}) {
  const inner = createUsage(store);
  const pending = new Map<UsageCounter, number>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  async function flush(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    const batch = [...pending];
    pending.clear();
    for (const [name, n] of batch) await inner.count(name, n);
  }
  return {
    count(name: UsageCounter, n = 1): void {
      if (n <= 0) return;
      pending.set(name, (pending.get(name) ?? 0) + n);
      timer ??= setTimeout(() => void flush().catch((err) => onError?.(err)), flushMs);
    },
    flush,
    async figures() {
      await flush();
      return inner.figures();
    },
    async exportCsv(at?: Date) {
      await flush();
      return inner.exportCsv(at);
    },
  };
}
