export function percentiles(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
  return { p50: at(50), p95: at(95), n: s.length };
}

export function table(title: string, head: string[], rows: (string | number)[][]) {
  const cells = rows.map((r) => r.map((c) => (typeof c === "number" ? (Number.isInteger(c) ? String(c) : c.toFixed(2)) : c)));
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)));
  console.log(`\n${title}`);
  console.log(head.map((h, i) => h.padEnd(widths[i]!)).join("  "));
  for (const r of cells) console.log(r.map((c, i) => (i ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  "));
}

/**
 * `RVI_BENCH_SIZE=small` (what `npm test` runs: test/bench.test.ts): every suite in a few rounds,
 * to check that it still runs and prints; its figures mean nothing. Otherwise the full size.
 */
export const SMALL = process.env.RVI_BENCH_SIZE === "small";
/** `full` for a real run, `small` for the check that the suite runs. */
export const sized = <T>(full: T, small: T): T => (SMALL ? small : full);
