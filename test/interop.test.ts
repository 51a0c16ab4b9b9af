// Interop: the other side is an independent XMPP client (slixmpp, Debian's python3-slixmpp,
// run with /usr/bin/python3), over TCP c2s with STARTTLS verified against the run's CA, on each of
// the run's servers (Prosody and ejabberd: one suite, `describe.each(servers())`). It must read our
// IM and its history as plain text, and what it sends must land in our store.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { join } from "node:path";
import type { IncomingIm } from "../src/engine/engine";
import { stopEngines, testEngine } from "./kit/engine";
import { servers, until, usersOn, type XmppServer } from "./kit/xmpp";

const peers: ChildProcessWithoutNullStreams[] = [];
afterEach(async () => {
  for (const p of peers.splice(0)) {
    p.stdin.end();
    p.kill("SIGTERM");
  }
  await stopEngines();
});

/** slixmpp logged in as `jid` on `server` (its c2s port); `sendTo`/`text`: a chat message it sends once online. */
function slixPeer(server: XmppServer, jid: string, password: string, sendTo?: string, text?: string) {
  const args = [join(__dirname, "interop/slix_peer.py"), "127.0.0.1", String(server.c2sPort), jid, password, ...(sendTo ? [sendTo, text!] : [])];
  const p = spawn("/usr/bin/python3", args); // RVI_TEST_CA, the CA it verifies the server against, is in the environment
  peers.push(p);
  const events: Record<string, unknown>[] = [];
  let buf = "";
  p.stdout.on("data", (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf("\n")) >= 0) {
      events.push(JSON.parse(buf.slice(0, i)) as Record<string, unknown>);
      buf = buf.slice(i + 1);
    }
  });
  let err = "";
  p.stderr.on("data", (d) => (err += d));
  return { events, stderr: () => err };
}

describe.each(servers())("on %s", (_name: string, info: XmppServer) => {
  describe("F3 interop with slixmpp", () => {
    it("slixmpp receives our IM, and its body carries the readable history", async () => {
      const { alice, bob } = await usersOn(info, "alice", "bob");
      const peer = slixPeer(info, bob.jid, bob.password!);
      await until(() => peer.events.some((e) => e.ready), "slixmpp online", 10_000).catch((e: Error) => {
        throw new Error(`${e.message}\n${peer.stderr()}`);
      });
      const a = testEngine(alice);
      await a.start();
      await a.recordEmail(
        { messageId: "<plan@example.org>", from: bob.jid, to: [alice.jid], subject: "Launch plan", date: Date.UTC(2026, 10, 20), text: "Launch is on Monday." },
        bob.jid,
      );
      const out = await a.replyViaIm("Is Monday still on?", { to: bob.jid });
      expect(out.state).toBe("delivered"); // slixmpp's XEP-0184 plugin answered the receipt request
      const msg = await until(() => peer.events.find((e) => e.body) as { from: string; body: string } | undefined, "slixmpp to get the IM");
      expect(msg.from.startsWith(alice.jid)).toBe(true);
      expect(msg.body).toMatch(/^Is Monday still on\?\n\nEarlier exchanges with /);
      expect(msg.body).toContain(`Email from ${bob.jid} — "Launch plan"`);
      expect(msg.body).toContain("Launch is on Monday.");
    });

    it("what slixmpp sends is stored with the person", async () => {
      const { alice, bob } = await usersOn(info, "alice", "bob");
      const a = testEngine(alice);
      await a.start();
      const got: IncomingIm[] = [];
      a.events.on("message", (m) => got.push(m));
      slixPeer(info, bob.jid, bob.password!, alice.jid, "hello from slixmpp");
      await until(() => got.length === 1, "the IM from slixmpp", 10_000);
      expect(got[0]).toMatchObject({ from: bob.jid, text: "hello from slixmpp", history: { stored: 0, items: [] } });
      expect((await a.history(bob.jid)).items.map((x) => [x.kind, x.direction, x.text])).toEqual([["im", "in", "hello from slixmpp"]]);
    });
  });
});
