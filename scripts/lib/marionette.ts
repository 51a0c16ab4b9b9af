// The Marionette wire client that drives Thunderbird (scripts/lib/thunderbird.ts): packets are
// `LENGTH:JSON`; the server greets with an object, commands are `[0, id, name, params]` and
// replies `[1, id, error, result]`. Imports only Node.
import net from "node:net";

export interface Marionette {
  /** Sends one command; resolves with its result, rejects with Marionette's error. */
  send(name: string, params?: Record<string, unknown>): Promise<unknown>;
  close(): void;
}

/** A minimal Marionette client: packets are `LENGTH:JSON`, commands `[0, id, name, params]`. */
export async function connectMarionette(port: number): Promise<Marionette> {
  const sock = net.connect(port, "127.0.0.1");
  let buf = Buffer.alloc(0);
  let id = 0;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let hello: () => void = () => {};
  sock.on("data", (d) => {
    buf = Buffer.concat([buf, d]);
    for (;;) {
      const i = buf.indexOf(":");
      if (i < 0) return;
      const len = Number(buf.subarray(0, i).toString());
      if (buf.length < i + 1 + len) return;
      const msg = JSON.parse(buf.subarray(i + 1, i + 1 + len).toString());
      buf = buf.subarray(i + 1 + len);
      if (!Array.isArray(msg)) {
        hello();
        continue;
      }
      const p = pending.get(msg[1]);
      pending.delete(msg[1]);
      if (msg[2]) p?.reject(new Error(`Marionette: ${JSON.stringify(msg[2]).slice(0, 2000)}`));
      else p?.resolve(msg[3]);
    }
  });
  await new Promise<void>((ok, fail) => {
    hello = ok;
    sock.once("error", fail);
  });
  sock.on("error", () => {});
  const send = (name: string, params: Record<string, unknown> = {}) =>
    new Promise<unknown>((resolve, reject) => {
      const m = JSON.stringify([0, ++id, name, params]);
      pending.set(id, { resolve, reject });
      sock.write(`${Buffer.byteLength(m)}:${m}`);
    });
  return { send, close: () => sock.destroy() };
}
