// Where a round trip's time goes: timestamps of IMs and receipts as each WebSocket sends and
// receives them, so a round splits into the clients' own time and the server's (wire + Prosody).
// Sockets are named in the order they open.

export type Leg = "sends IM" | "gets IM" | "sends receipt" | "gets receipt";

export interface Wire {
  /** Starts a round: the first of each (socket, leg) is kept, relative to now. */
  round(): Map<string, number>;
  /** Names the next sockets to open, in order. */
  expect(...names: string[]): void;
  /** Puts the global WebSocket back (sockets already open stay traced). */
  restore(): void;
}

const legOf = (data: unknown, dir: "sends" | "gets"): Leg | undefined => {
  const s = typeof data === "string" ? data : typeof Buffer !== "undefined" && Buffer.isBuffer(data) ? data.toString("utf8") : "";
  if (!s.startsWith("<message")) return undefined;
  if (s.includes("<received")) return `${dir} receipt`;
  if (s.includes("<body")) return `${dir} IM`;
  return undefined;
};

/** Wraps the global WebSocket (installed already) so every socket opened from now on is traced. */
export function traceWire(): Wire {
  const g = globalThis as unknown as {
    WebSocket: new (...a: unknown[]) => { send(d: unknown, ...rest: unknown[]): void; addEventListener(t: string, f: (e: { data: unknown }) => void): void };
  };
  const Base = g.WebSocket;
  const names: string[] = [];
  let current: Map<string, number> | undefined;
  const mark = (who: string, leg: Leg | undefined) => {
    if (!leg || !current) return;
    const k = `${who} ${leg}`;
    if (!current.has(k)) current.set(k, performance.now());
  };
  g.WebSocket = class extends Base {
    private who = names.shift() ?? "other";
    constructor(...args: unknown[]) {
      super(...args);
      this.addEventListener("message", (e) => mark(this.who, legOf(e.data, "gets")));
    }
    override send(data: unknown, ...rest: unknown[]) {
      mark(this.who, legOf(data, "sends"));
      super.send(data, ...rest);
    }
  };
  return {
    round: () => (current = new Map([["start", performance.now()]])),
    expect: (...n) => void names.push(...n),
    restore: () => void (g.WebSocket = Base),
  };
}

/** The legs of one round, in ms: sender's own, server to the receiver, receiver's own, server back, sender's own after. */
export function legs(m: Map<string, number>, sender: string, receiver: string, end: number): number[] | undefined {
  const at = (k: string) => m.get(k);
  const ts = [at("start"), at(`${sender} sends IM`), at(`${receiver} gets IM`), at(`${receiver} sends receipt`), at(`${sender} gets receipt`), end];
  if (ts.some((t) => t === undefined)) return undefined;
  return ts.slice(1).map((t, i) => t! - ts[i]!);
}
