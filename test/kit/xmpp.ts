// The run's private XMPP servers (started by global-setup) and helpers to log their users in.
// Tests reach them over TLS (wss://localhost, the run's throw-away CA): server() is the Prosody
// every test uses, scramServer() the hardened one (SCRAM only, SCRAM-SHA-256 offered),
// ejabberdServer() the second server a suite runs against (`describe.each(servers())`).
// `plainService` is the same server's ws:// loopback address, for a test that needs it.
import { execFile } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import tls from "node:tls";
import { promisify } from "node:util";
import { registerEjabberdUser, type EjabberdInfo } from "../../scripts/ejabberd.mjs";
import type { ProsodyInfo } from "../../scripts/prosody.mjs";
import { connect, type Account, type Connection } from "../../src/xmpp/connection";
import { poolUser } from "./global-setup";

/** What a test may read of any of the run's servers: its own domains, its users, its addresses. */
export interface XmppServer {
  kind: "prosody" | "ejabberd";
  dir: string;
  domain: string;
  service: string;
  plainService: string;
  /** TCP c2s (STARTTLS with the run's certificate), for the foreign clients of the interop tests */
  c2sPort: number;
  guestDomain: string;
  mucDomain: string;
  uploadDomain: string;
  users: Record<string, string>;
}
export type TestServer = ProsodyInfo & XmppServer & { kind: "prosody" };
export type EjabberdTestServer = EjabberdInfo &
  XmppServer & {
    kind: "ejabberd";
    /** users `pool-0` … `pool-<size-1>` (password `pw-pool-<n>`), registered at start-up in one call */
    pool: number;
  };

function fromEnv<T extends ProsodyInfo | EjabberdInfo>(
  name: "RVI_XMPP" | "RVI_XMPP_SCRAM" | "RVI_XMPP_EJABBERD",
): T & { service: string; plainService: string } {
  const raw = process.env[name];
  if (!raw) throw new Error(`${name} is not set: run the tests through jest's global setup (npm test, or npx jest FILE)`);
  const info = JSON.parse(raw) as T;
  if (!info.secureService) throw new Error(`${name} names no TLS WebSocket: test/kit/global-setup.ts starts the servers with a certificate`);
  return { ...info, service: info.secureService, plainService: info.service };
}

export const server = (): TestServer => ({ ...fromEnv<ProsodyInfo>("RVI_XMPP"), kind: "prosody" });
export const scramServer = (): TestServer => ({ ...fromEnv<ProsodyInfo>("RVI_XMPP_SCRAM"), kind: "prosody" });
export const ejabberdServer = (): EjabberdTestServer => ({ pool: 0, ...fromEnv<EjabberdInfo>("RVI_XMPP_EJABBERD"), kind: "ejabberd" });
/** For `describe.each(servers())("… on %s", (_name, info) => …)`: the run's Prosody and its ejabberd. */
export const servers = (): [string, XmppServer][] => [
  ["Prosody", server()],
  ["ejabberd", ejabberdServer()],
];

/**
 * What NODE_EXTRA_CA_CERTS does, for the one process that cannot have it: jest's own, when it
 * runs the tests itself (one test file) and was not started with it (npx jest FILE). The run's
 * CA is added to the certificates Node trusts by default; verification stays on.
 */
function trustTheRunsCa() {
  const ca = process.env.RVI_TEST_CA;
  if (!ca || process.env.RVI_TEST_CA_LATE_PID !== String(process.pid)) return;
  const create = tls.createSecureContext as typeof tls.createSecureContext & { rviTestCa?: boolean };
  if (create.rviTestCa) return; // each test file loads this module again; once per process is enough
  const roots = [...tls.rootCertificates, readFileSync(ca, "utf8")];
  const trusting = Object.assign((options?: tls.SecureContextOptions) => create(options?.ca ? options : { ...options, ca: roots }), { rviTestCa: true });
  (tls as { createSecureContext: typeof tls.createSecureContext }).createSecureContext = trusting;
}
trustTheRunsCa();

const run = promisify(execFile);
let seq = 0;
export function account(user: string, info: Pick<ProsodyInfo, "service" | "domain" | "users"> = server()): Account {
  return { service: info.service, jid: `${user}@${info.domain}`, password: info.users[user], resource: `t${process.pid}-${++seq}` };
}

const open = new Set<Connection>();
export async function login(user: string, info?: ProsodyInfo): Promise<Connection> {
  const c = await connect({ account: account(user, info) });
  open.add(c);
  return c;
}
export async function logoutAll(): Promise<void> {
  await Promise.all([...open].map((c) => c.stop()));
  open.clear();
}

/**
 * Registers fresh users for one test (so no test sees another's roster, archive or offline
 * messages): `const { alice, bob } = await users("alice", "bob")`.
 */
export function users<N extends string>(...names: N[]): Promise<Record<N, Account>> {
  return usersOn(server(), ...names);
}

/** The same on another of the run's servers: `await usersOn(scramServer(), "alice")`. */
export async function usersOn<N extends string>(info: XmppServer, ...names: N[]): Promise<Record<N, Account>> {
  const out = {} as Record<N, Account>;
  for (const name of names) {
    const { user, password } = info.kind === "ejabberd" ? await ejabberdUser(info as EjabberdTestServer, name) : await prosodyUser(info, name);
    out[name] = { service: info.service, jid: `${user}@${info.domain}`, password, resource: `r${++seq}` };
  }
  return out;
}

async function prosodyUser(info: XmppServer, name: string) {
  const user = `${name}-${globalThis.crypto.randomUUID().slice(0, 8)}`;
  const password = `pw-${user}`;
  await run("prosodyctl", ["--config", join(info.dir, "prosody.cfg.lua"), "register", user, info.domain, password]);
  return { user, password };
}

// Every worker takes pool users through the same directory: a user is one test's when its claim
// file is created (O_EXCL), so no two tests share one. Past the pool, one ejabberdctl call each.
let nextClaim = 0;
async function ejabberdUser(info: EjabberdTestServer, name: string) {
  for (; nextClaim < info.pool; nextClaim++) {
    try {
      closeSync(openSync(join(info.dir, "claims", String(nextClaim)), "wx"));
      return poolUser(nextClaim++);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      // another test has this one: try the next
    }
  }
  const user = `${name}-${globalThis.crypto.randomUUID().slice(0, 8)}`;
  const password = `pw-${user}`;
  await registerEjabberdUser(info.dir, user, info.domain, password);
  return { user, password };
}

export async function loginAs(acc: Account): Promise<Connection> {
  const c = await connect({ account: acc });
  open.add(c);
  return c;
}

export function until<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  return new Promise((ok, fail) => {
    const tick = async () => {
      try {
        const v = await check();
        if (v) return ok(v);
      } catch (e) {
        return fail(e);
      }
      if (Date.now() > deadline) return fail(new Error(`timed out waiting for ${what}`));
      // tick settles the promise itself (ok or fail) and never rejects: nothing is lost
      setTimeout(() => void tick(), 10);
    };
    void tick();
  });
}
