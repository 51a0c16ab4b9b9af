// `npm run bench` and `npm run bench:thunderbird` in a small size (RVI_BENCH_SIZE=small: a few
// rounds each), so that a benchmark cannot break unseen: each suite runs to its end and prints
// its tables, and none reports a lost message or an answer that differs. No time is asserted —
// the figures of a small run mean nothing; `npm run bench` is where they are read.
import { spawn } from "node:child_process";
import { ROOT } from "./kit/build";

const SUITES = ["history", "outbox", "xmpp", "login", "join", "pane", "text", "soak", "engine"];

/** Runs `node scripts/bench.mjs ARGS` in the small size: its exit code and everything it printed. */
function bench(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((ok) => {
    const child = spawn(process.execPath, ["scripts/bench.mjs", ...args], { cwd: ROOT, env: { ...process.env, RVI_BENCH_SIZE: "small" } });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("exit", (code) => ok({ code, out }));
  });
}

/** The output of each suite, by name (bench/index.ts prints "## NAME" before each). */
function sections(out: string): Map<string, string> {
  const parts = new Map<string, string>();
  for (const block of out.split("\n## ").slice(1)) {
    const end = block.indexOf("\n");
    parts.set(block.slice(0, end).trim(), block.slice(end + 1));
  }
  return parts;
}

/** A table as bench/kit.ts prints it: a title, a head, and at least one row holding a figure. */
const hasTable = (text: string) => text.split("\n").some((line) => /\d/.test(line) && / {2}/.test(line.trim()));

describe("the benchmarks, in a small size", () => {
  it("npm run bench: every suite runs to its end and prints its figures", async () => {
    const { code, out } = await bench([]);
    expect({ code, tail: code === 0 ? "" : out.slice(-3000) }).toEqual({ code: 0, tail: "" });
    const parts = sections(out);
    expect([...parts.keys()]).toEqual(SUITES);
    for (const [name, text] of parts) expect({ name, table: hasTable(text) }).toEqual({ name, table: true });
    expect(out).not.toMatch(/MISMATCH|LOST:/);
  }, 600_000);

  it("npm run bench:thunderbird: real Thunderbird's Reply beside Reply via IM, printed", async () => {
    const { code, out } = await bench(["thunderbird"]);
    expect({ code, tail: code === 0 ? "" : out.slice(-3000) }).toEqual({ code: 0, tail: "" });
    const text = sections(out).get("thunderbird") ?? "";
    expect(text).toMatch(/Reply via IM → IM window +\d/);
    expect(text).toMatch(/baseline: Reply → compose window +\d/);
    // the add-in's cost to Thunderbird's start: the same profile with the add-in and without
    expect(text).toMatch(/with the add-in: main window ready \(session restored\) +\d/);
    expect(text).toMatch(/baseline, add-in disabled: main window ready \(session restored\) +\d/);
  }, 300_000);
});
