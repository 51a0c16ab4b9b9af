// `npm run bench text` (issue 21, item 1): each reader of untrusted text on inputs made to make a
// backtracking regex take hours, at 10 KB, 100 KB and 1 MB, with how much each 10× in size costs
// (×10: linear). Beside it the reader as it was (bench/text-before.ts), run only while it stays
// under a few seconds: its growth over the last two sizes run (from 2.5 and 5 KB on) says what the
// next size would take, and that size is skipped with the estimate said.
import { angleAddress, findInvitation, htmlToText, nameFromHeader, normaliseJid, parseEml } from "../src/core";
import { xmppUris } from "../src/core/scan";
import { sized, table } from "./kit";
import {
  addressesBefore,
  angleAddressBefore,
  findInvitationBefore,
  htmlToTextBefore,
  nameFromHeaderBefore,
  withoutQueryBefore,
  xmppUrisBefore,
} from "./text-before";

const SIZES = sized([10_000, 100_000, 1_000_000], [1_000, 10_000]);
const PILOT = sized([2_500, 5_000], [200, 400]);
const BUDGET_MS = 3_000;

interface Case {
  reader: string;
  input: string;
  /** The text of about `size` characters. */
  make(size: number): string;
  now(text: string): unknown;
  before?(text: string): unknown;
  /** False when `before` is only a step of the reader: its answer is not the reader's. */
  sameAnswer?: boolean;
}

const times = (unit: string, size: number) => unit.repeat(Math.ceil(size / unit.length));
const eml = (headers: string) => `From: alice@example.org\n${headers}\n\nHello`;
const answerOf = (f: () => unknown) => {
  try {
    return f();
  } catch (err) {
    return (err as Error).message; // a refusal is an answer too
  }
};

const CASES: Case[] = [
  {
    reader: "findInvitation",
    input: '"https://#s=" × n',
    make: (n) => times("https://#s=", n),
    now: (t) => findInvitation([t]),
    before: (t) => findInvitationBefore([t]),
  },
  {
    reader: "findInvitation",
    input: '"xmpp:a@" × n',
    make: (n) => times("xmpp:a@", n),
    now: (t) => findInvitation([t]),
    before: (t) => findInvitationBefore([t]),
  },
  { reader: "htmlToText", input: '"<style " × n', make: (n) => times("<style ", n), now: htmlToText, before: htmlToTextBefore },
  { reader: "htmlToText", input: '"<!--" × n', make: (n) => times("<!--", n), now: htmlToText, before: htmlToTextBefore },
  { reader: "htmlToText", input: '"<br" × n', make: (n) => times("<br", n), now: htmlToText, before: htmlToTextBefore },
  { reader: "htmlToText", input: '"<" × n', make: (n) => times("<", n), now: htmlToText, before: htmlToTextBefore },
  // before: the old split alone (the rest of parseEml did not change), the same list
  {
    reader: "parseEml To: split",
    input: '"a," × n',
    make: (n) => eml(`To: ${times("a,", n)}`),
    now: (t) => parseEml(t).to,
    before: (t) => addressesBefore(t.split("\n")[1]!.slice(4)),
  },
  {
    reader: "parseEml To: split",
    input: `'"' × n, then "a," × n`,
    make: (n) => eml(`To: ${times('"', n / 2)}${times("a,", n / 2)}`),
    now: (t) => parseEml(t).to,
    before: (t) => addressesBefore(t.split("\n")[1]!.slice(4)),
  },
  { reader: "parseEml headers", input: '"To: b\\n" × n', make: (n) => eml(times("To: b\n", n).trim()), now: (t) => parseEml(t).to.length },
  { reader: "parseEml encoded words", input: '"=?" × n', make: (n) => eml(`Subject: ${times("=?", n)}`), now: (t) => (parseEml(t).subject ?? "").length },
  { reader: "xmppUris (mapper)", input: '"xmpp:a" × n', make: (n) => times("xmpp:a", n), now: xmppUris, before: xmppUrisBefore },
  // before: its first step, the query cut (the rest of normaliseJid did not change)
  {
    reader: "normaliseJid",
    input: '"?" × n, "\\nx"',
    make: (n) => `a@example.org${times("?", n)}\nx`,
    now: (t) => answerOf(() => normaliseJid(t)),
    before: withoutQueryBefore,
    sameAnswer: false,
  },
  { reader: "angleAddress (history payload)", input: '"<" × n', make: (n) => times("<", n), now: angleAddress, before: angleAddressBefore },
  { reader: "nameFromHeader (From header)", input: '" " × n, "x"', make: (n) => `${times(" ", n)}x`, now: nameFromHeader, before: nameFromHeaderBefore },
];

const gc = (globalThis as { gc?: () => void }).gc; // scripts/bench.mjs runs node with --expose-gc

/** The best of several runs (at least `runs`, more while they add up to under 200 ms: small sizes are noisy). */
function ms(f: () => unknown, runs = 5): { ms: number; answer: unknown } {
  let best = Infinity;
  let answer: unknown;
  for (let i = 0, spent = 0; i < runs || (spent < 200 && i < 50); i++) {
    gc?.(); // the last run's garbage is not this run's time
    const t = performance.now();
    answer = f();
    const took = performance.now() - t;
    best = Math.min(best, took);
    spent += took;
  }
  return { ms: best, answer };
}

const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const growth = (xs: (number | undefined)[]) =>
  xs
    .slice(1)
    .map((x, i) => (x !== undefined && xs[i] !== undefined ? `×${(x / Math.max(xs[i], 0.01)).toFixed(1)}` : ""))
    .filter(Boolean)
    .join(" ") || "—";
const span = (ms: number) =>
  ms > 3_600_000 ? `${(ms / 3_600_000).toFixed(0)} h` : ms > 60_000 ? `${(ms / 60_000).toFixed(0)} min` : `${(ms / 1000).toFixed(0)} s`;

const sizeLabel = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000} MB` : `${n / 1000} KB`);
/** The growth column's head: how much each size is over the one before (10× in a full run). */
const step = `per ${SIZES[1]! / SIZES[0]!}×`;

export async function benchText() {
  const rows: (string | number)[][] = [];
  const notes: string[] = [];
  let mismatches = 0;
  for (const c of CASES) {
    const texts = SIZES.map((n) => c.make(n));
    ms(() => c.now(texts[0]!), 10); // warm up the JIT on this reader before measuring
    const now = texts.map((t) => ms(() => c.now(t)));
    const before: (number | undefined)[] = [];
    if (c.before) {
      // the growth so far, from the last two sizes run, says what the next size would take
      ms(() => c.before!(c.make(1_000)), 3); // warm up, as for the reader of today
      const seen = PILOT.map((n) => {
        const t = c.make(n);
        return [n, ms(() => c.before!(t), 3).ms] as const;
      });
      for (const [k, n] of SIZES.entries()) {
        const [[n1, t1], [n2, t2]] = seen.slice(-2) as [[number, number], [number, number]];
        const exponent = Math.max(1, Math.log(Math.max(t2, 0.01) / Math.max(t1, 0.01)) / Math.log(n2 / n1));
        const predicted = t2 * (n / n2) ** exponent;
        if (predicted > BUDGET_MS) {
          const when = predicted > 60_000 ? "minutes" : "seconds";
          notes.push(
            `${c.reader}, ${c.input}: before skipped above ${k ? `${SIZES[k - 1]! / 1000} KB` : `${n2 / 1000} KB`}: would take ${when} (~${span(predicted)} at ${n / 1000} KB, growing as size^${exponent.toFixed(1)})`,
          );
          break;
        }
        const r = ms(() => c.before!(texts[k]!), predicted < 200 ? 3 : 1);
        seen.push([n, r.ms]);
        before.push(r.ms);
        if (c.sameAnswer !== false && JSON.stringify(r.answer) !== JSON.stringify(now[k]!.answer)) mismatches++;
      }
    }
    const cell = (x: number | undefined) => (x === undefined ? "skipped" : fmt(x));
    rows.push([
      c.reader,
      c.input,
      ...now.map((r) => fmt(r.ms)),
      growth(now.map((r) => r.ms)),
      ...SIZES.map((_, k) => (c.before ? cell(before[k]) : "—")),
      c.before ? growth(before) : "—",
    ]);
  }
  table(
    "Readers of untrusted text (ms, best of 5): now vs before issue 21",
    ["reader", "input", ...SIZES.map(sizeLabel), step, ...SIZES.map((n, k) => (k ? sizeLabel(n) : `before ${sizeLabel(n)}`)), step],
    rows,
  );
  for (const n of notes) console.log(n);
  console.log(mismatches ? `${mismatches} answers differ from before  <-- MISMATCH` : "the same answers as before wherever both ran");
}
