// One end of the engine bench in a Chromium page (bundled by bench/engine-pages.ts): the engine on
// the browser's own IndexedDB, as in the Outlook pane, or a bare xmpp.js client. The page's
// clock: timeOrigin + now, in ms, the same across pages and the bench's Node process.
import { openStore } from "../src/store";
import { bareEnd, engineEnd, timedStore, type End, type EndSpec } from "./engine-pairs";
import { traceWire, type Wire } from "./wire";

let end: End | undefined;
let wire: Wire | undefined;
let marks = new Map<string, number>();
const spent = new Map<string, number[]>();
const abs = (): [string, number][] => [...marks].map(([k, t]) => [k, performance.timeOrigin + t]);
const must = () => {
  if (!end || !wire) throw new Error("the end is not started");
  return { end, wire };
};

export const benchEnd = {
  async start(spec: EndSpec): Promise<void> {
    wire = traceWire();
    wire.expect(spec.me);
    const store = () => timedStore(openStore({ name: `bench-${spec.me}-${Date.now()}`, indexedDB, IDBKeyRange }), spent);
    end = spec.kind === "engine" ? await engineEnd(spec, store()) : await bareEnd(spec);
  },
  pairUp: () => must().end.pairUp(),
  mark(i: number): void {
    if (i === 0) spent.clear(); // the measured rounds only
    marks = must().wire.round();
  },
  async round(i: number): Promise<{ ms: number; marks: [string, number][] }> {
    const { end: e, wire: w } = must();
    if (i === 0) spent.clear();
    marks = w.round();
    const ms = await e.round(i);
    return { ms, marks: abs() };
  },
  marks: () => abs(),
  spent: () => [...spent],
  stop: () => must().end.stop(),
};
(window as unknown as { benchEnd: typeof benchEnd }).benchEnd = benchEnd;
