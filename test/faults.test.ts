// Faults with a server of the test's own: killed while the outbox drains, then restarted.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startProsody, type ProsodyServer } from "../scripts/prosody.mjs";
import type { IncomingIm } from "../src/engine/engine";
import { stopEngines, testEngine } from "./kit/engine";
import { server, until } from "./kit/xmpp";

let prosody: ProsodyServer | undefined;
afterEach(async () => {
  await stopEngines();
  await prosody?.stop({ purge: true });
});

const acct = (p: ProsodyServer, user: string) => ({ service: p.secureService ?? p.service, jid: `${user}@${p.domain}`, password: p.users[user], resource: "faults" });

describe("F6 nothing is lost when the server dies", () => {
  it("Prosody SIGKILLed mid-drain and restarted: every queued IM delivered exactly once", async () => {
    const dir = await mkdtemp(join(tmpdir(), "rvi-fault-"));
    prosody = await startProsody({ dir, tls: server().tls, users: { alice: "a-pw", bob: "b-pw" } });
    const patient = { retry: { baseMs: 100, capMs: 400, maxAttempts: 10_000 } };
    const a = testEngine(acct(prosody, "alice"), patient);
    const b0 = testEngine(acct(prosody, "bob"));
    await b0.start();
    await a.start();
    expect((await a.replyViaIm("hi bob", { to: "bob@localhost" })).state).toBe("delivered");
    await b0.stop();
    await until(() => !a.features.presence.isAvailable("bob@localhost"), "bob offline");

    const N = 30;
    const ids: string[] = [];
    for (let i = 0; i < N; i++) {
      const asked = await a.replyViaIm(`queued ${i}`, { to: "bob@localhost", history: false });
      ids.push((await a.decide(asked.id, "keep")).id);
    }

    const b = testEngine(acct(prosody, "bob"), { factory: b0.factory });
    const got: IncomingIm[] = [];
    b.events.on("message", (m) => got.push(m));
    // kill the server as soon as the drain has begun
    let killed = false;
    a.events.on("state", (item) => {
      if (!killed && item.state === "sending" && item.text.startsWith("queued")) {
        killed = true;
        process.kill(prosody!.pid, "SIGKILL");
      }
    });
    await b.start().catch(() => undefined);
    await until(() => killed, "the drain to start", 10_000);
    await until(() => a.connection?.xmpp.status !== "online", "alice to notice", 10_000);

    prosody = await startProsody({ dir, tls: server().tls, ports: { c2sPort: prosody.c2sPort, httpPort: prosody.httpPort, httpsPort: prosody.httpsPort }, users: prosody.users });
    if (!b.connection) await b.start(); // bob's first start may have been cut off by the kill

    await until(async () => {
      const states = await Promise.all(ids.map((id) => a.item(id).then((i) => i?.state)));
      return states.every((s) => s === "delivered");
    }, "all queued IMs delivered", 40_000).catch(async (e: Error) => {
      const rows = await Promise.all(ids.map((id) => a.item(id)));
      const summary = rows.map((r) => `${r?.text}: ${r?.state} ${r?.reason ?? ""} ${r?.transitions.map((t) => t.state).join(">")}`).join("\n");
      throw new Error(`${e.message}; alice ${a.connection?.xmpp.status}, bob ${b.connection?.xmpp.status}, bob seen ${a.features.presence.isAvailable("bob@localhost")}\n${summary}`);
    });
    await new Promise((r) => setTimeout(r, 500));
    const texts = (await b.history("alice@localhost", { limit: 500 })).items.map((x) => x.text).filter((t) => t.startsWith("queued"));
    expect(texts.sort()).toEqual(Array.from({ length: N }, (_, i) => `queued ${i}`).sort());
    expect(got.filter((m) => m.text.startsWith("queued")).length).toBe(N); // each shown once
  }, 90_000);
});

describe("F21 the connection comes back by itself", () => {
  it("reconnects with backoff after the server restarts, and says so", async () => {
    const dir = await mkdtemp(join(tmpdir(), "rvi-fault-"));
    prosody = await startProsody({ dir, tls: server().tls, users: { alice: "a-pw" } });
    const a = testEngine(acct(prosody, "alice"));
    const seen: string[] = [];
    a.events.on("status", (s) => seen.push(s));
    await a.start();
    await prosody.stop();
    await until(() => seen.includes("offline"), "offline");
    await new Promise((r) => setTimeout(r, 1500)); // a few failed attempts while it is down
    prosody = await startProsody({ dir, tls: server().tls, ports: { c2sPort: prosody.c2sPort, httpPort: prosody.httpPort, httpsPort: prosody.httpsPort }, users: prosody.users });
    await until(() => seen.at(-1) === "online", "online again", 30_000);
    expect(seen[0]).toBe("offline");
    expect(seen).toContain("reconnecting");
    expect(a.connection?.xmpp.status).toBe("online");
  }, 60_000);
});
