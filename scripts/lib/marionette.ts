// The Marionette wire client that drives Thunderbird (scripts/lib/thunderbird.ts): packets are
// `LENGTH:JSON`; the server greets with an object, commands are `[0, id, name, params]` and
// replies `[1, id, error, result]`. When the socket closes or fails, every command in flight and
// every later one rejects at once (a dropped Thunderbird must not hang a test). Imports only Node.
import net from "node:net";

export interface Marionette {
  /** Sends one command; resolves with its result, rejects with Marionette's error or a closed connection. */
  send(name: string, params?: Record<string, unknown>): Promise<unknown>;
  close(): void;
}

const BY_THUNDERBIRD = " (Thunderbird quit or crashed: see its log)";
const closedError = (reason: string, during: string) => new Error(`Marionette connection to Thunderbird closed: ${reason}, ${during}`);

/** Connects and waits for Marionette's greeting (up to `greetingMs`). */
export async function connectMarionette(port: number, host = "127.0.0.1", greetingMs = 30_000): Promise<Marionette> {
  const sock = net.connect(port, host);
  let buf = Buffer.alloc(0);
  let id = 0;
  const pending = new Map<number, { name: string; resolve(v: unknown): void; reject(e: Error): void }>();
  let greeted = false;
  let closed: string | undefined; // why, once the socket is gone
  let greeting: { resolve(): void; reject(e: Error): void } | undefined;

  const fail = (why: string, hint = BY_THUNDERBIRD) => {
    if (closed) return;
    const reason = why + hint;
    closed = reason;
    sock.destroy();
    greeting?.reject(closedError(reason, "before its greeting"));
    for (const [, p] of pending) p.reject(closedError(reason, `while waiting for ${p.name}`));
    pending.clear();
  };
  // 'error' is followed by 'close': the error's text is the better reason, so it comes first
  sock.on("error", (e) => fail(e.message));
  sock.on("close", () => fail("the socket closed"));

  const read = (msg: unknown) => {
    if (!Array.isArray(msg)) {
      greeted = true;
      greeting?.resolve();
      return;
    }
    const p = pending.get(msg[1] as number);
    pending.delete(msg[1] as number);
    if (msg[2]) p?.reject(new Error(`Marionette: ${JSON.stringify(msg[2]).slice(0, 2000)}`));
    else p?.resolve(msg[3]);
  };
  sock.on("data", (d) => {
    buf = Buffer.concat([buf, d]);
    for (let i = buf.indexOf(":"); i >= 0 && !closed; i = buf.indexOf(":")) {
      const len = Number(buf.subarray(0, i).toString());
      if (!Number.isInteger(len) || len < 0) return fail(`a packet's length was ${JSON.stringify(buf.subarray(0, Math.min(i, 40)).toString())}`);
      if (buf.length < i + 1 + len) return;
      const text = buf.subarray(i + 1, i + 1 + len).toString();
      buf = buf.subarray(i + 1 + len);
      let msg: unknown;
      try {
        msg = JSON.parse(text);
      } catch {
        return fail(`a packet was not JSON: ${text.slice(0, 200)}`);
      }
      read(msg);
    }
  });

  if (!greeted) {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail(`no greeting within ${greetingMs} ms`, " (is that port Marionette's?)"), greetingMs);
      greeting = {
        resolve: () => (clearTimeout(timer), resolve()),
        reject: (e) => (clearTimeout(timer), reject(e)),
      };
      if (closed) greeting.reject(closedError(closed, "before its greeting"));
    });
    greeting = undefined;
  }

  const send = (name: string, params: Record<string, unknown> = {}) =>
    new Promise<unknown>((resolve, reject) => {
      if (closed) return reject(closedError(closed, `before ${name} was sent`));
      const m = JSON.stringify([0, ++id, name, params]);
      pending.set(id, { name, resolve, reject });
      sock.write(`${Buffer.byteLength(m)}:${m}`);
    });
  return { send, close: () => fail("closed by this client", "") };
}
