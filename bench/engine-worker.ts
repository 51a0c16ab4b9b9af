// Each end of the engine bench's pairs runs in a thread of its own (its own event loop), as each
// person's client runs on a machine of its own: what one end (or the other pair) still does after
// a round never delays another end's socket. The main thread asks the sender for a round and puts
// its socket marks together with the receiver's (clock: each thread's timeOrigin + now, in ms).
import { performance } from "node:perf_hooks";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { IDBFactory, IDBKeyRange } from "fake-indexeddb";
import { installWebSocket } from "../src/node/websocket";
import { openStore } from "../src/store";
import { bareEnd, engineEnd, timedStore, type End, type EndSpec } from "./engine-pairs";
import { legs, traceWire } from "./wire";

type Ask = { pairUp: true } | { mark: number } | { round: number } | { marks: true } | { report: true } | { stop: true };
type Marks = [string, number][];
type Answer =
  | { ready: true }
  | { ok: true }
  | { ms: number; marks: Marks; busy: number }
  | { marks: Marks; busy: number }
  | { spent: [string, number[]][] }
  | { error: string };

/** One end, driven from the main thread. */
interface RemoteEnd {
  ask(q: Ask): Promise<Answer>;
  stop(): Promise<void>;
}

async function endInThread(spec: EndSpec): Promise<RemoteEnd> {
  const worker = new Worker(new URL(import.meta.url), { workerData: spec });
  let waiting: { resolve: (a: Answer) => void; reject: (e: Error) => void } | undefined;
  const ask = (q: Ask | undefined) =>
    new Promise<Answer>((resolve, reject) => {
      waiting = { resolve, reject };
      if (q) worker.postMessage(q);
    });
  worker.on("message", (a: Answer) => {
    const w = waiting;
    waiting = undefined;
    if ("error" in a) w?.reject(new Error(`${spec.me} (${spec.kind}): ${a.error}`));
    else w?.resolve(a);
  });
  worker.on("error", (e) => waiting?.reject(e));
  worker.on("exit", (code) => waiting?.reject(new Error(`${spec.me}'s thread ended (${code})`)));
  await ask(undefined);
  return {
    ask,
    async stop() {
      await ask({ stop: true }).catch(() => undefined); // a thread that ended already is stopped
      await worker.terminate();
    },
  };
}

export interface RemotePair {
  /** One round: the sender's time until delivered, its legs as the sockets saw them, both ends' busy time. */
  round(i: number): Promise<{ ms: number; legs?: number[]; busy: number }>;
  /** The engines' store calls, by end and call (empty for the bare pair). */
  spent(): Promise<Record<string, Map<string, number[]>>>;
  stop(): Promise<void>;
}

/** Starts a pair (sender → receiver), each end in its thread; resolves once they are subscribed to each other. */
export async function pairInThreads(
  kind: "engine" | "bare",
  server: { service: string; domain: string },
  [a, b]: [string, string],
  passwords: Record<string, string>,
): Promise<RemotePair> {
  const spec = (me: string, peer: string, role: EndSpec["role"]): EndSpec => ({ kind, role, ...server, me, peer, password: passwords[me]! });
  const ends: RemoteEnd[] = [];
  try {
    ends.push(await endInThread(spec(a, b, "sender")), await endInThread(spec(b, a, "receiver")));
    await Promise.all(ends.map((e) => e.ask({ pairUp: true })));
  } catch (e) {
    await Promise.allSettled(ends.map((x) => x.stop()));
    throw e;
  }
  const [sender, receiver] = ends as [RemoteEnd, RemoteEnd];
  return {
    async round(i) {
      await receiver.ask({ mark: i });
      const s = (await sender.ask({ round: i })) as { ms: number; marks: Marks; busy: number };
      const r = (await receiver.ask({ marks: true })) as { marks: Marks; busy: number };
      const m = new Map([...r.marks.filter(([k]) => k !== "start"), ...s.marks]);
      return { ms: s.ms, legs: legs(m, a, b, m.get("start")! + s.ms), busy: s.busy + r.busy };
    },
    async spent() {
      const out: Record<string, Map<string, number[]>> = {};
      for (const [who, end] of [
        [a, sender],
        [b, receiver],
      ] as const)
        out[who] = new Map(((await end.ask({ report: true })) as { spent: [string, number[]][] }).spent);
      return out;
    },
    stop: async () => void (await Promise.allSettled(ends.map((e) => e.stop()))),
  };
}

/** In an end's thread: sets the end up and answers the main thread's asks. */
export async function serveEnd(): Promise<void> {
  const spec = workerData as EndSpec;
  const port = parentPort!;
  installWebSocket();
  const wire = traceWire();
  wire.expect(spec.me);
  const spent = new Map<string, number[]>();
  const abs = (m: Map<string, number>): Marks => [...m].map(([k, t]) => [k, performance.timeOrigin + t]);
  let end: End;
  try {
    // in Node the engine's store is fake-indexeddb (in memory, in this thread: its work is this end's)
    end =
      spec.kind === "engine"
        ? await engineEnd(spec, timedStore(openStore({ name: spec.me, indexedDB: new IDBFactory(), IDBKeyRange }), spent))
        : await bareEnd(spec);
  } catch (e) {
    port.postMessage({ error: (e as Error).message } satisfies Answer);
    return;
  }
  let marks = new Map<string, number>();
  let elu = performance.eventLoopUtilization();
  async function answer(q: Ask) {
    try {
      if ("pairUp" in q) {
        await end.pairUp();
        port.postMessage({ ok: true } satisfies Answer);
      } else if ("mark" in q) {
        if (q.mark === 0) spent.clear(); // the measured rounds only
        marks = wire.round();
        elu = performance.eventLoopUtilization();
        port.postMessage({ ok: true } satisfies Answer);
      } else if ("round" in q) {
        if (q.round === 0) spent.clear(); // the measured rounds only
        marks = wire.round();
        elu = performance.eventLoopUtilization();
        const ms = await end.round(q.round);
        // this thread's busy time over the round, the waits for the server left out
        port.postMessage({ ms, marks: abs(marks), busy: performance.eventLoopUtilization(elu).active } satisfies Answer);
      } else if ("marks" in q) {
        port.postMessage({ marks: abs(marks), busy: performance.eventLoopUtilization(elu).active } satisfies Answer);
      } else if ("report" in q) {
        port.postMessage({ spent: [...spent] } satisfies Answer);
      } else {
        await end.stop();
        port.postMessage({ ok: true } satisfies Answer);
        port.close();
      }
    } catch (e) {
      port.postMessage({ error: (e as Error).message } satisfies Answer);
    }
  }
  port.on("message", (q: Ask) => void answer(q)); // answer() says its own failures to the main thread
  port.postMessage({ ready: true } satisfies Answer);
}

export const inEndThread = !isMainThread && (workerData as EndSpec | undefined)?.kind !== undefined;
