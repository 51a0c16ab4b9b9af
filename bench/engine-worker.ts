// Each pair of the engine bench runs in a thread of its own (its own event loop), so what one
// pair still does after a round (the engines' writes behind, timers) never delays the other
// pair's sockets. The main thread asks for a round and gets its time back. Both ends of a pair
// share their thread, as the two ends of a conversation share nothing but the server.
import { performance } from "node:perf_hooks";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { installWebSocket } from "../src/node/websocket";
import { barePair, enginePair, type Pair } from "./engine-pairs";
import { traceWire } from "./wire";

export interface PairSpec {
  kind: "engine" | "bare";
  service: string;
  domain: string;
  users: [string, string];
  passwords: Record<string, string>;
}
type Ask = { round: number } | { report: true } | { stop: true };
type Answer =
  { ready: true } | { ms: number; legs?: number[]; cpu: number } | { spent: Record<string, [string, number[]][]> } | { stopped: true } | { error: string };

export interface RemotePair {
  round(i: number): Promise<{ ms: number; legs?: number[]; cpu: number }>;
  /** The engines' store calls, by engine and call (empty for the bare pair). */
  spent(): Promise<Record<string, Map<string, number[]>>>;
  stop(): Promise<void>;
}

/** Starts a pair in a thread of its own; resolves once both ends are logged in and ready. */
export async function pairInThread(spec: PairSpec): Promise<RemotePair> {
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
    if ("error" in a) w?.reject(new Error(`the ${spec.kind} pair: ${a.error}`));
    else w?.resolve(a);
  });
  worker.on("error", (e) => waiting?.reject(e));
  worker.on("exit", (code) => waiting?.reject(new Error(`the ${spec.kind} pair's thread ended (${code})`)));
  await ask(undefined);
  return {
    round: async (i) => (await ask({ round: i })) as { ms: number; legs?: number[]; cpu: number },
    async spent() {
      const a = (await ask({ report: true })) as { spent: Record<string, [string, number[]][]> };
      return Object.fromEntries(Object.entries(a.spent).map(([who, calls]) => [who, new Map(calls)]));
    },
    async stop() {
      await ask({ stop: true }).catch(() => undefined); // a thread that ended already is stopped
      await worker.terminate();
    },
  };
}

/** In the pair's thread: sets the pair up and answers the main thread's asks. */
export async function servePair(): Promise<void> {
  const spec = workerData as PairSpec;
  const port = parentPort!;
  installWebSocket();
  const wire = traceWire();
  wire.expect(...spec.users);
  const spent: Record<string, Map<string, number[]>> = {};
  const password = (u: string) => spec.passwords[u]!;
  let pair: Pair;
  try {
    pair =
      spec.kind === "engine"
        ? await enginePair({ service: spec.service }, spec.domain, spec.users, password, wire, spent)
        : await barePair({ service: spec.service }, spec.domain, spec.users, password, wire);
  } catch (e) {
    port.postMessage({ error: (e as Error).message } satisfies Answer);
    return;
  }
  async function answer(q: Ask) {
    try {
      if ("round" in q) {
        if (q.round === 0) for (const m of Object.values(spent)) m.clear(); // the measured rounds only
        const before = performance.eventLoopUtilization();
        const r = await pair.round(q.round);
        // this thread's busy time over the round (both ends of the pair), the waits for the server left out
        port.postMessage({ ...r, cpu: performance.eventLoopUtilization(before).active } satisfies Answer);
      } else if ("report" in q) {
        port.postMessage({ spent: Object.fromEntries(Object.entries(spent).map(([w, m]) => [w, [...m]])) } satisfies Answer);
      } else {
        await pair.stop();
        port.postMessage({ stopped: true } satisfies Answer);
        port.close();
      }
    } catch (e) {
      port.postMessage({ error: (e as Error).message } satisfies Answer);
    }
  }
  port.on("message", (q: Ask) => void answer(q)); // answer() says its own failures to the main thread
  port.postMessage({ ready: true } satisfies Answer);
}

export const inPairThread = !isMainThread && (workerData as PairSpec | undefined)?.kind !== undefined;
