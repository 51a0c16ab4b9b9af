// Usage figures (F22): counts of what the add-in did, for the user to see and export.
import type { UsageStore } from "./ports";

export const USAGE_COUNTERS = [
  "imsSent", "imsDelivered", "imsQueued", "imsRetried", "imsCancelled", "imsConverted", "imsFailed",
  "imsReceived", "repliesByEmail", "historyBytes", "attachmentBytes", "invitationsCreated",
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
