// The run's private Prosody (started by global-setup) and helpers to log its users in.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import type { ProsodyInfo } from "../../scripts/prosody.mjs";
import { connect, type Account, type Connection } from "../../src/xmpp/connection";

export function server(): ProsodyInfo {
  const raw = process.env.RVI_XMPP;
  if (!raw) throw new Error("RVI_XMPP is not set: run the tests through jest's global setup (npm test)");
  return JSON.parse(raw) as ProsodyInfo;
}

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
export async function users<N extends string>(...names: N[]): Promise<Record<N, Account>> {
  const info = server();
  const out = {} as Record<N, Account>;
  for (const name of names) {
    const user = `${name}-${globalThis.crypto.randomUUID().slice(0, 8)}`;
    const password = `pw-${user}`;
    await run("prosodyctl", ["--config", join(info.dir, "prosody.cfg.lua"), "register", user, info.domain, password]);
    out[name] = { service: info.service, jid: `${user}@${info.domain}`, password, resource: `r${++seq}` };
  }
  return out;
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
