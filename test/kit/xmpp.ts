// The run's private Prosody (started by global-setup) and helpers to log its users in.
import type { ProsodyInfo } from "../../scripts/prosody.mjs";
import { connect, type Account, type Connection } from "../../src/xmpp/connection";

export function server(): ProsodyInfo {
  const raw = process.env.RVI_XMPP;
  if (!raw) throw new Error("RVI_XMPP is not set: run the tests through jest's global setup (npm test)");
  return JSON.parse(raw) as ProsodyInfo;
}

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

/** Fresh, unique user names are registered on demand by in-band registration is not used:
 *  tests that need isolated users start their own server. */

export function until<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, ms = 5000): Promise<T> {
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
      setTimeout(tick, 10);
    };
    void tick();
  });
}
