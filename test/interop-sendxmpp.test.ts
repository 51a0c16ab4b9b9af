// Interop with a third, independent client: go-sendxmpp (Debian's package; Go, on its own XMPP
// library), over TCP c2s with STARTTLS verified against the run's CA (test/interop/go-sendxmpp.ts),
// on each of the run's servers (Prosody and ejabberd: one suite, `describe.each(servers())`).
// It must read our IM and its history as plain text, and what it sends must land in our store
// once. go-sendxmpp neither answers nor asks for delivery receipts (XEP-0184): our IM to it stays
// "sent", and the receipt we owe is checked with a stanza it sends as written (--raw).
import type { Element } from "@xmpp/xml";
import type { IncomingIm } from "../src/engine/engine";
import type { Account } from "../src/xmpp/connection";
import { stopEngines, testEngine } from "./kit/engine";
import { servers, until, usersOn, type XmppServer } from "./kit/xmpp";
import { goSendxmpp, stopAll, type GoSendxmpp } from "./interop/go-sendxmpp";

afterEach(async () => {
  await stopAll();
  await stopEngines();
});

/** What the person did once in another client: bob accepted alice as a contact, so she sees when he is online. */
async function contacts(alice: Account, bob: Account) {
  const a = testEngine(alice);
  const b = testEngine(bob);
  await Promise.all([a.start(), b.start()]);
  await a.features.presence.subscribe(bob.jid);
  await until(() => ["to", "both"].includes(a.features.presence.rosterItem(bob.jid)?.subscription ?? ""), "bob to accept alice");
  await b.stop();
  return a;
}

/** The messages go-sendxmpp printed (`2026-11-30T12:00:00Z alice@localhost: text`, bodies of several lines as they are). */
function received(peer: GoSendxmpp, from: string): string[] {
  return peer
    .stdout()
    .split(new RegExp(`^\\S+ ${from.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: `, "m"))
    .slice(1)
    .map((m) => m.replace(/\n$/, ""));
}

const withStderr = (peer: GoSendxmpp) => (e: Error) => {
  throw new Error(`${e.message}\ngo-sendxmpp said: ${peer.stderr() || "nothing"}`);
};

describe.each(servers())("on %s", (_name: string, info: XmppServer) => {
  describe("F3 interop with go-sendxmpp", () => {
    const { listen, send, sendRaw } = goSendxmpp(info);
    it("go-sendxmpp receives our IM, and its text carries the readable history", async () => {
      const { alice, bob } = await usersOn(info, "alice", "bob");
      const a = await contacts(alice, bob);
      await a.recordEmail(
        { messageId: "<plan@example.org>", from: bob.jid, to: [alice.jid], subject: "Launch plan", date: Date.UTC(2026, 10, 20), text: "Launch is on Monday." },
        bob.jid,
      );
      const peer = await listen(bob);
      await until(() => a.features.presence.isAvailable(bob.jid), "go-sendxmpp online as bob", 15_000).catch(withStderr(peer));

      const out = await a.replyViaIm("Is Monday still on?", { to: bob.jid });
      expect(out.state).toBe("sent"); // the server took it; go-sendxmpp sends no receipt, so never "delivered"

      const [text] = await until(() => {
        const m = received(peer, alice.jid);
        return m.length ? m : undefined;
      }, "go-sendxmpp to print the IM").catch(withStderr(peer));
      expect(text).toMatch(/^Is Monday still on\?\n\nEarlier exchanges with /);
      expect(text).toContain(`Email from ${bob.jid} — "Launch plan"`);
      expect(text).toContain("Launch is on Monday.");
      expect(received(peer, alice.jid)).toHaveLength(1);
    });

    it("what go-sendxmpp sends is stored with the person once, shown once, and a receipt it asks for is sent to it", async () => {
      const { alice, bob } = await usersOn(info, "alice", "bob");
      const a = testEngine(alice);
      await a.start();
      await a.contacts.accept(bob.jid); // someone alice talks with: a stranger would get no receipt (F14)
      const got: IncomingIm[] = [];
      a.events.on("message", (m) => got.push(m));

      await send(bob, alice.jid, "hello from go-sendxmpp");
      await until(() => got.length === 1, "the IM from go-sendxmpp");
      expect(got[0]).toMatchObject({ from: bob.jid, text: "hello from go-sendxmpp", history: { stored: 0, items: [] } });
      expect((await a.history(bob.jid)).items.map((x) => [x.kind, x.direction, x.text])).toEqual([["im", "in", "hello from go-sendxmpp"]]);

      // a receipt request, which go-sendxmpp's own messages lack (it sends this one as written, then
      // logs out at once, so what comes back may find it gone): alice's engine answers it, to that client
      const sent: Element[] = [];
      a.connection!.xmpp.on("send", (el: Element) => sent.push(el));
      await sendRaw(bob, `<message to="${alice.jid}" type="chat" id="gsx-1"><body>did you get this?</body><request xmlns="urn:xmpp:receipts"/></message>`);
      const receipt = await until(
        () => sent.find((el) => el.is("message") && el.getChild("received", "urn:xmpp:receipts")?.attrs.id === "gsx-1"),
        "alice's receipt for go-sendxmpp's IM",
      );
      expect(receipt.attrs.to).toMatch(new RegExp(`^${bob.jid}/go-sendxmpp\\.`));
      // the receipt may leave before the IM is shown: the store's write and the event come after it
      await until(() => got.length >= 2, "the second IM shown");
      expect(got.map((m) => m.text)).toEqual(["hello from go-sendxmpp", "did you get this?"]);
      expect((await a.history(bob.jid)).items.map((x) => x.text)).toEqual(["hello from go-sendxmpp", "did you get this?"]);
    });
  });
});
