// SASL SCRAM (RFC 5802; SHA-256 RFC 7677; SHA-512 as servers name it) through WebCrypto, so it
// runs the same in Node, in Thunderbird and in an Outlook pane, and costs milliseconds: xmpp.js's
// own SCRAM-SHA-1 is pure JavaScript (about a second of PBKDF2 in Node) and is left out of its
// browser build. The server must prove it knows the password too (its signature is checked).
// After a login, only what SCRAM needs is kept (F21): the salted password's client and server
// keys, with the salt and iteration count they were made with — never the password.

import { UserFacingError } from "../core/errors";

export type ScramHash = "SHA-1" | "SHA-256" | "SHA-512";
export const SCRAM_MECHANISMS: Record<string, ScramHash> = {
  "SCRAM-SHA-512": "SHA-512",
  "SCRAM-SHA-256": "SHA-256",
  "SCRAM-SHA-1": "SHA-1",
};

/** What a SCRAM login leaves to keep instead of the password (base64 keys). */
export interface ScramKeys {
  mechanism: string;
  salt: string;
  iterations: number;
  clientKey: string;
  serverKey: string;
}

export class ScramError extends UserFacingError {
  constructor(
    readonly condition: "server-not-proven" | "bad-server-message" | "needs-password" | "plain-after-scram" | "server-error",
    message: string,
  ) {
    super(condition === "bad-server-message" ? "server-error" : condition, message);
    this.name = "ScramError";
  }
}

const enc = new TextEncoder();
const subtle = () => globalThis.crypto.subtle;
/** WebCrypto's BufferSource, as TypeScript 5.9 types a Uint8Array that is not over a SharedArrayBuffer. */
const bytes = (b: Uint8Array) => b as Uint8Array<ArrayBuffer>;

export const toBase64 = (bytes: Uint8Array) => globalThis.btoa(String.fromCharCode(...bytes));
export const fromBase64 = (b64: string) => Uint8Array.from(globalThis.atob(b64), (c) => c.charCodeAt(0));

async function hmac(hash: ScramHash, key: Uint8Array, data: string): Promise<Uint8Array> {
  const k = await subtle().importKey("raw", bytes(key), { name: "HMAC", hash }, false, ["sign"]);
  return new Uint8Array(await subtle().sign("HMAC", k, enc.encode(data)));
}
async function digest(hash: ScramHash, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle().digest(hash, bytes(data)));
}
const BITS: Record<ScramHash, number> = { "SHA-1": 160, "SHA-256": 256, "SHA-512": 512 };

/** Hi() of RFC 5802: PBKDF2 with the mechanism's hash. */
export async function saltedPassword(hash: ScramHash, password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await subtle().importKey("raw", enc.encode(password.normalize("NFKC")), "PBKDF2", false, ["deriveBits"]);
  return new Uint8Array(await subtle().deriveBits({ name: "PBKDF2", hash, salt: bytes(salt), iterations }, key, BITS[hash]));
}

/** RFC 5802 saslname: "=" and "," escaped. */
const saslName = (s: string) => s.replace(/=/g, "=3D").replace(/,/g, "=2C");

function attributes(message: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of message.split(",")) {
    const i = part.indexOf("=");
    if (i === 1) out.set(part[0]!, part.slice(2));
  }
  return out;
}

/** The salt a server-first-message carries (base64, as sent), or undefined in an error or malformed one. */
export function saltOf(serverFirst: string): string | undefined {
  return attributes(serverFirst).get("s") || undefined;
}

export interface ScramOptions {
  mechanism: string;
  username: string;
  password?: string;
  /** Keys from an earlier login; used when the server's salt and iteration count are the same. */
  keys?: ScramKeys;
  /** The client nonce (tests give RFC vectors; otherwise random). */
  nonce?: string;
}

/**
 * One SCRAM exchange: first() → the client-first-message; final(serverFirst) → the client-final
 * message; verify(serverFinal) checks the server's signature. `keys` holds what to keep afterwards.
 */
export function scramExchange(o: ScramOptions) {
  const hash = SCRAM_MECHANISMS[o.mechanism];
  if (!hash) throw new Error(`${o.mechanism} is not a SCRAM mechanism`);
  const cnonce = o.nonce ?? toBase64(globalThis.crypto.getRandomValues(new Uint8Array(18)));
  const firstBare = `n=${saslName(o.username)},r=${cnonce}`;
  let authMessage = "";
  let serverKey: Uint8Array | undefined;
  let keys: ScramKeys | undefined;

  return {
    first: () => `n,,${firstBare}`,
    async final(serverFirst: string): Promise<string> {
      const a = attributes(serverFirst);
      if (a.has("e")) throw new ScramError("server-error", `the server refused the login (${a.get("e")})`);
      const nonce = a.get("r") ?? "";
      const salt = a.get("s") ?? "";
      const iterations = Number(a.get("i"));
      if (!nonce.startsWith(cnonce) || nonce.length === cnonce.length || !salt || !Number.isInteger(iterations) || iterations < 1) {
        throw new ScramError("bad-server-message", "the server's SCRAM answer is malformed");
      }
      let clientKey: Uint8Array;
      // a typed password wins (it may be a new one); the kept keys log in when there is none
      const same = o.password === undefined && o.keys && o.keys.mechanism === o.mechanism && o.keys.salt === salt && o.keys.iterations === iterations;
      if (same) {
        clientKey = fromBase64(o.keys!.clientKey);
        serverKey = fromBase64(o.keys!.serverKey);
      } else {
        if (o.password === undefined) {
          throw new ScramError("needs-password", "the server now keeps the password differently (a new salt or iteration count), so it is needed once more");
        }
        const salted = await saltedPassword(hash, o.password, fromBase64(salt), iterations);
        clientKey = await hmac(hash, salted, "Client Key");
        serverKey = await hmac(hash, salted, "Server Key");
      }
      const withoutProof = `c=biws,r=${nonce}`;
      authMessage = `${firstBare},${serverFirst},${withoutProof}`;
      const signature = await hmac(hash, await digest(hash, clientKey), authMessage);
      const proof = clientKey.map((b, i) => b ^ signature[i]!);
      keys = { mechanism: o.mechanism, salt, iterations, clientKey: toBase64(clientKey), serverKey: toBase64(serverKey) };
      return `${withoutProof},p=${toBase64(proof)}`;
    },
    async verify(serverFinal: string): Promise<void> {
      const a = attributes(serverFinal);
      if (a.has("e")) throw new ScramError("server-error", `the server refused the login (${a.get("e")})`);
      if (!serverKey || !authMessage) throw new ScramError("bad-server-message", "the server ended the login before the SCRAM exchange was done");
      const expected = toBase64(await hmac(hash, serverKey, authMessage));
      if (a.get("v") !== expected) throw new ScramError("server-not-proven", "the server could not prove that it knows the password");
    },
    get keys() {
      return keys;
    },
  };
}
export type ScramExchange = ReturnType<typeof scramExchange>;
