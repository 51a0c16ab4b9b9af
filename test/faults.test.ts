// Faults with a server of the test's own, on each kind the suites run against (Prosody and
// ejabberd): killed while the outbox drains, or stopped, then restarted on the same ports with
// its data. Each kind is a small factory: how to start one, restart it, kill it.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEjabberd, type EjabberdServer } from "../scripts/ejabberd.mjs";
import { startProsody, type ProsodyServer } from "../scripts/prosody.mjs";
import type { IncomingIm } from "../src/engine/engine";
import { stopEngines, testEngine } from "./kit/engine";
import { server, until } from "./kit/xmpp";

type OwnServer = ProsodyServer | EjabberdServer;
interface ServerKind {
  start(dir: string, users: Record<string, string>): Promise<OwnServer>;
  /** the same server again, from its directory, on its ports, with its users and data */
  restart(s: OwnServer): Promise<OwnServer>;
  /** SIGKILL to the server process itself, as a crash or the OOM killer would */
  kill(s: OwnServer): void;
}
const portsOf = (s: OwnServer) => ({ c2sPort: s.c2sPort, httpPort: s.httpPort, httpsPort: s.httpsPort });
const prosodyKind: ServerKind = {
  start: (dir, users) => startProsody({ dir, tls: server().tls, users }),
  restart: (s) => startProsody({ dir: s.dir, tls: server().tls, ports: portsOf(s), users: s.users }),
  kill: (s) => process.kill(s.pid, "SIGKILL"),
};
const ejabberdKind: ServerKind = {
  start: (dir, users) => startEjabberd({ dir, tls: server().tls, users }),
  restart: (s) => startEjabberd({ dir: s.dir, tls: server().tls, ports: portsOf(s) }),
  // beam itself (`pid`), not the `timeout` it runs under (`supervisorPid`), whose death beam would outlive
  kill: (s) => process.kill(s.pid, "SIGKILL"),
};

let own: OwnServer | undefined;
afterEach(async () => {
  await stopEngines();
  await own?.stop({ purge: true });
  own = undefined;
});

const acct = (s: OwnServer, user: string) => ({
  service: s.secureService ?? s.service,
  jid: `${user}@${s.domain}`,
  password: s.users[user],
  resource: "faults",
});

/** Reconnection backoff for these tests: still doubling, capped at 2 s instead of a minute. */
const QUICK = { baseMs: 250, capMs: 2_000 };

describe.each([
  ["Prosody", prosodyKind],
  ["ejabberd", ejabberdKind],
] as const)("on %s", (name, kind) => {
  describe("F6 nothing is lost when the server dies", () => {
    it(`${name} SIGKILLed mid-drain and restarted: every queued IM delivered exactly once`, async () => {
      own = await kind.start(await mkdtemp(join(tmpdir(), "rvi-fault-")), { alice: "a-pw", bob: "b-pw" });
      const [aliceJid, bobJid] = [`alice@${own.domain}`, `bob@${own.domain}`];
      // retries and reconnections quick enough for a test (a server takes 1–11 s to come back)
      const patient = { retry: { baseMs: 100, capMs: 400, maxAttempts: 10_000 }, reconnect: QUICK };
      const a = testEngine(acct(own, "alice"), patient);
      const b0 = testEngine(acct(own, "bob"), { reconnect: QUICK });
      await b0.start();
      await a.start();
      expect((await a.replyViaIm("hi bob", { to: bobJid })).state).toBe("delivered");
      await b0.stop();
      await until(() => !a.features.presence.isAvailable(bobJid), "bob offline");

      const N = 30;
      const ids: string[] = [];
      for (let i = 0; i < N; i++) {
        const asked = await a.replyViaIm(`queued ${i}`, { to: bobJid, history: false });
        ids.push((await a.decide(asked.id, "keep")).id);
      }

      const b = testEngine(acct(own, "bob"), { factory: b0.factory, reconnect: QUICK });
      const got: IncomingIm[] = [];
      b.events.on("message", (m) => got.push(m));
      // kill the server as soon as the drain has begun
      let killed = false;
      const dying = own;
      a.events.on("state", (item) => {
        if (!killed && item.state === "sending" && item.text.startsWith("queued")) {
          killed = true;
          kind.kill(dying);
        }
      });
      await b.start().catch(() => undefined);
      await until(() => killed, "the drain to start", 10_000);
      await until(() => a.connection?.xmpp.status !== "online", "alice to notice", 10_000);

      own = await kind.restart(own);
      if (!b.connection) await b.start(); // bob's first start may have been cut off by the kill

      await until(
        async () => {
          const states = await Promise.all(ids.map((id) => a.item(id).then((i) => i?.state)));
          return states.every((s) => s === "delivered");
        },
        "all queued IMs delivered",
        40_000,
      ).catch(async (e: Error) => {
        const rows = await Promise.all(ids.map((id) => a.item(id)));
        const summary = rows.map((r) => `${r?.text}: ${r?.state} ${r?.reason ?? ""} ${r?.transitions.map((t) => t.state).join(">")}`).join("\n");
        throw new Error(
          `${e.message}; alice ${a.connection?.xmpp.status}, bob ${b.connection?.xmpp.status}, bob seen ${a.features.presence.isAvailable(bobJid)}\n${summary}`,
        );
      });
      await new Promise((r) => setTimeout(r, 500));
      const texts = (await b.history(aliceJid, { limit: 500 })).items.map((x) => x.text).filter((t) => t.startsWith("queued"));
      expect(texts.sort()).toEqual(Array.from({ length: N }, (_, i) => `queued ${i}`).sort());
      expect(got.filter((m) => m.text.startsWith("queued")).length).toBe(N); // each shown once
    }, 120_000);
  });

  describe("F21 the connection comes back by itself", () => {
    it(`reconnects with backoff after ${name} restarts, and says so`, async () => {
      own = await kind.start(await mkdtemp(join(tmpdir(), "rvi-fault-")), { alice: "a-pw" });
      const a = testEngine(acct(own, "alice"), { reconnect: QUICK }); // backs off still: 250 ms doubling to 2 s
      const seen: string[] = [];
      a.events.on("status", (s) => seen.push(s));
      await a.start();
      await own.stop();
      await until(() => seen.includes("offline"), "offline");
      await new Promise((r) => setTimeout(r, 1500)); // a few failed attempts while it is down
      own = await kind.restart(own);
      await until(() => seen.at(-1) === "online", "online again", 30_000);
      expect(seen[0]).toBe("offline");
      expect(seen).toContain("reconnecting");
      expect(a.connection?.xmpp.status).toBe("online");
    }, 90_000);
  });
});
