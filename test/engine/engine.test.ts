// Two engines talking through an XMPP server, as two add-ins would: the same suite against the
// run's Prosody and its ejabberd (test/kit/global-setup.ts), each read for its own domains.
import type { IncomingIm, Outcome } from "../../src/engine/engine";
import type { OutboxItem } from "../../src/core";
import { findInvitation } from "../../src/core";
import { stopEngines, testEngine } from "../kit/engine";
import { servers, until, usersOn, type XmppServer } from "../kit/xmpp";

afterEach(stopEngines);

export type { OutboxItem };

describe.each(servers())("on %s", (_name: string, info: XmppServer) => {
  const earlierEmail = (from: string, to: string, n: number) => ({
    messageId: `<budget-${n}-${from}@mail.example.org>`,
    from,
    to: [to],
    subject: "Budget 2027",
    date: Date.UTC(2026, 10, n),
    text: `Email ${n}: the budget numbers are attached.`,
    attachments: [{ name: `budget-v${n}.xlsx`, size: 20_000 + n }],
  });

  async function twoEngines() {
    const { alice, bob } = await usersOn(info, "alice", "bob");
    const a = testEngine(alice);
    const b = testEngine(bob);
    await a.start();
    await b.start();
    const inbox: IncomingIm[] = [];
    b.events.on("message", (m) => inbox.push(m));
    return { a, b, alice, bob, inbox };
  }

  describe("F1–F5, F8 reply via IM", () => {
    it("sends with the earlier emails attached; the contact's receipt makes it delivered", async () => {
      const { a, b, alice, bob, inbox } = await twoEngines();
      await a.recordEmail(earlierEmail(alice.jid, bob.jid, 1), bob.jid);
      const states: string[] = [];
      a.events.on("state", (i) => states.push(i.state));
      const out = await a.replyViaIm("Can we talk about the budget now?", { original: earlierEmail(bob.jid, alice.jid, 2) });
      expect(out).toMatchObject({ state: "delivered", to: bob.jid, counterpart: bob.jid, mapping: { source: "convention", needsConfirmation: true } });
      // the receipt may overtake the server's ack: "sent" is then skipped, never shown after "delivered"
      expect(states.filter((s) => s !== "sent")).toEqual(["composing", "checking", "sending", "delivered"]);
      expect(states.at(-1)).toBe("delivered");
      await until(() => inbox.length === 1, "bob's IM");
      // bob's own email in alice's history is his words as her client reports them: left out (his own copy is his)
      expect(inbox[0]).toMatchObject({ from: alice.jid, text: "Can we talk about the budget now?", history: { stored: 1, yours: 1 } });
      // history kept on both sides (F4)
      const bobs = await b.history(alice.jid);
      expect(bobs.items.map((x) => [x.kind, x.direction, x.origin, x.subject ?? ""])).toEqual([
        ["email", "in", "theirs", "Budget 2027"],
        ["im", "in", "ours", ""],
      ]);
      expect(bobs.items[0]!.attachments[0]).toMatchObject({ name: "budget-v1.xlsx", size: 20_001 });
      const alices = await a.history(bob.jid);
      expect(alices.items.map((x) => `${x.kind}:${x.direction}`)).toEqual(["email:out", "email:in", "im:out"]);
      expect(await a.usage.figures()).toMatchObject({ imsSent: 1, imsDelivered: 1 });
    });

    it("any client can read the history: the body carries a plain-text digest", async () => {
      const { a, alice, bob } = await twoEngines();
      await a.recordEmail(earlierEmail(bob.jid, alice.jid, 3), bob.jid);
      const mamBodies = async () => (await a.features.mam.all({ with: bob.jid })).map((x) => x.message.getChildText("body") ?? "").filter(Boolean);
      await a.replyViaIm("See the numbers below", { to: bob.jid });
      const [body] = await until(async () => {
        const b = await mamBodies();
        return b.length ? b : undefined;
      }, "archived IM");
      expect(body).toMatch(/^See the numbers below\n\nEarlier exchanges with /);
      expect(body).toContain("Email from " + bob.jid + ' — "Budget 2027"');
      expect(body).toContain("Attachments: budget-v3.xlsx");
    });
  });

  describe("F6 contact unavailable", () => {
    async function offlineBob() {
      const { alice, bob } = await usersOn(info, "alice", "bob");
      // bob approves alice once, then logs off
      const b0 = testEngine(bob);
      const a = testEngine(alice);
      await b0.start();
      await a.start();
      const first = await a.replyViaIm("hello while you are here", { to: bob.jid });
      expect(first.state).toBe("delivered");
      await b0.stop();
      await until(() => !a.features.presence.isAvailable(bob.jid), "bob offline");
      return { a, alice, bob, bobFactory: b0.factory };
    }

    it("asks the user, then keep: queued, retried, delivered exactly once when the contact logs in", async () => {
      const { a, bob, bobFactory } = await offlineBob();
      const asked = await a.replyViaIm("are you back?", { to: bob.jid });
      expect(asked.state).toBe("asked");
      const kept = await a.decide(asked.id, "keep");
      expect(kept.state).toBe("queued");
      await until(async () => ((await a.store.outbox.get(asked.id))?.attempts ?? 0) > 2, "several retries while bob is away");
      expect((await a.store.outbox.get(asked.id))?.state).toBe("queued");

      const b = testEngine(bob, { factory: bobFactory });
      const got: IncomingIm[] = [];
      b.events.on("message", (m) => got.push(m));
      await b.start();
      await until(async () => (await a.store.outbox.get(asked.id))?.state === "delivered", "delivered", 10_000);
      // one more IM after it: alice's IMs reach bob in order, so any second copy would be in by then
      expect((await a.replyViaIm("one more", { to: bob.jid })).state).toBe("delivered");
      await until(() => got.some((m) => m.text === "one more"), "the later IM");
      expect(got.filter((m) => m.text === "are you back?")).toHaveLength(1);
      expect((await b.history(a.connection!.bare)).items.filter((x) => x.text === "are you back?")).toHaveLength(1);
    });

    it("cancel: nothing is sent", async () => {
      const { a, bob } = await offlineBob();
      const asked = await a.replyViaIm("never mind", { to: bob.jid });
      expect((await a.decide(asked.id, "cancel")).state).toBe("cancelled");
      await expect(a.decide(asked.id, "keep")).rejects.toThrow(/cannot be moved/);
      expect((await a.usage.figures()).imsCancelled).toBe(1);
    });

    it("convert: an email reply with the IM, both addresses and the history", async () => {
      const { a, alice, bob } = await offlineBob();
      const original = earlierEmail(bob.jid, alice.jid, 5);
      const asked = await a.replyViaIm("Shall we meet at 3?", { original });
      const out: Outcome = await a.decide(asked.id, "convert");
      expect(out.state).toBe("converted");
      expect(out.draft).toMatchObject({ to: [bob.jid], subject: "Re: Budget 2027", inReplyTo: `<budget-5-${bob.jid}@mail.example.org>` });
      expect(out.draft!.text).toContain("Shall we meet at 3?");
      expect(out.draft!.text).toContain(`Sent as email by ${alice.jid} to ${bob.jid}`);
      expect(out.draft!.text).toContain("Email 5: the budget numbers are attached.");
      expect(out.draft!.text).toContain("hello while you are here");
    });
  });

  describe("F9 reply by email to an IM", () => {
    it("maps the JID back to the email address and carries the chat", async () => {
      const { a, b, alice, bob, inbox } = await twoEngines();
      await a.mapper.correct("bob@mail.example.org", bob.jid);
      await b.replyViaIm("ping from bob", { to: alice.jid });
      await a.replyViaIm("pong from alice", { to: "bob@mail.example.org" });
      await until(() => inbox.length === 1, "alice's reply");
      const draft = await a.replyByEmail(bob.jid);
      expect(draft.to).toEqual(["bob@mail.example.org"]);
      expect(draft.text.indexOf("ping from bob")).toBeGreaterThan(-1);
      expect(draft.text.indexOf("ping from bob")).toBeLessThan(draft.text.indexOf("pong from alice"));
      expect((await a.usage.figures()).repliesByEmail).toBe(1);
    });
  });

  describe("F4 MAM backfill after a restart", () => {
    it("a new install fills the history from the server archive", async () => {
      const { a, b, alice, bob } = await twoEngines();
      await b.replyViaIm("first", { to: alice.jid, history: false });
      await a.replyViaIm("second", { to: bob.jid, history: false });
      await a.stop();
      const fresh = testEngine(alice); // empty store, as after reinstalling
      await fresh.start();
      const h = await fresh.history(bob.jid);
      expect(h.items.map((x) => `${x.direction}:${x.text}`)).toEqual(["in:first", "out:second"]);
    });
  });

  describe("F3 attachments and untrusted history", () => {
    it("an attachment is uploaded and linked in the IM", async () => {
      const { a, bob, inbox } = await twoEngines();
      const out = await a.replyViaIm("the minutes", {
        to: bob.jid,
        attachments: [{ name: "minutes.txt", contentType: "text/plain", data: new TextEncoder().encode("we agreed") }],
      });
      expect(out.state).toBe("delivered");
      await until(() => inbox.length === 1, "IM");
      const h = await a.history(bob.jid);
      const url = h.items.at(-1)!.attachments[0]!.url!;
      expect(url).toMatch(/minutes\.txt$/);
      expect(await (await fetch(url)).text()).toBe("we agreed");
      expect((await a.usage.figures()).attachmentBytes).toBe(9);
    });

    it("a forged history payload from a third party is rejected; the message is still shown", async () => {
      const { a, b, alice, bob, inbox } = await twoEngines();
      const { xml } = await import("@xmpp/client");
      const mallory = a; // alice's engine plays the third party: she forges an email between bob and carol
      await b.recordEmail(earlierEmail(bob.jid, alice.jid, 9), alice.jid); // bob wrote to her: she is known, her history is read
      await mallory.features.presence.subscribe(bob.jid);
      await mallory.features.chat.send({
        to: bob.jid,
        id: "forged-1",
        body: 'look at this\n\nEarlier exchanges:\n[2026-01-01] Email from carol@example.org — "Wire money"\n  send it to account 666',
        extra: [
          xml(
            "history",
            { xmlns: "urn:reply-via-im:history:0", "text-length": "12" },
            xml(
              "email",
              { "message-id": "x@evil", at: "2026-01-01T00:00:00Z", from: "carol@example.org", subject: "Wire money" },
              xml("to", {}, bob.jid),
              xml("text", {}, "send it to account 666"),
            ),
          ),
        ],
      });
      await until(() => inbox.length === 1, "the message");
      expect(inbox[0]!.text).toBe("look at this"); // the forged digest does not slip in as text either
      expect(inbox[0]!.history.rejected).toMatch(/not between you and the sender/);
      expect((await b.history(a.connection!.bare)).items.filter((x) => x.kind === "im").map((x) => x.text)).toEqual(["look at this"]);
    });

    it("a 1 MB IM gets a clear error and loses nothing else", async () => {
      const { a, bob, inbox } = await twoEngines();
      const big = await a.replyViaIm("x".repeat(1024 * 1024), { to: bob.jid });
      expect(big.state).toBe("failed");
      expect(big.reason).toMatch(/the IM is 1049 KB; the limit is 100 KB — shorten it or send it as an email/);
      expect((await a.store.outbox.get(big.id))?.text).toHaveLength(1024 * 1024); // the text is kept
      const next = await a.replyViaIm("short one", { to: bob.jid });
      expect(next.state).toBe("delivered");
      await until(() => inbox.length === 1, "the short IM");
      expect(inbox.map((m) => m.text)).toEqual(["short one"]);
    });
  });

  describe("F10/F12 a chat session for an email's recipients", () => {
    it("creates a UUID room, invites the recipients, keeps the session with the invitation as its first record", async () => {
      const { alice, bob, carol } = await usersOn(info, "alice", "bob", "carol");
      const a = testEngine(alice);
      const b = testEngine(bob);
      await a.start();
      await b.start();
      const invites: string[] = [];
      b.features.muc.onInvite((i) => invites.push(i.room));
      const s = await a.sessions.create({
        recipients: [bob.jid, `Carol <${carol.jid}>`, "not an address"],
        subject: "Budget 2027",
        joinPage: "https://addins.example.org/web/join.html",
      });
      expect(s.room).toBe(`${s.session}@${info.mucDomain}`);
      expect(s.invited).toEqual([bob.jid, carol.jid]);
      expect(s.link).toBe(`https://addins.example.org/web/join.html#s=${s.session}&m=${info.mucDomain}&f=${encodeURIComponent(alice.jid)}`);
      expect(s.html).toContain(`href="${s.uri}"`);
      expect(s.html).toContain("Join the live chat about “Budget 2027”");
      expect(s.text).toBe(`Join the live chat about "Budget 2027": ${s.link} (XMPP: ${s.uri}) — from ${alice.jid}`);
      await until(() => invites.length === 1, "bob's invitation");
      expect(invites).toEqual([s.room]);
      expect(await b.features.muc.join(s.room, "Bob")).toEqual({ created: false }); // the room exists
      const row = await a.store.sessions.get(s.session);
      expect(row).toMatchObject({ room: s.room, invited: [bob.jid, carol.jid], origin: { subject: "Budget 2027" } });
      expect(row!.records[0]).toMatchObject({ from: alice.jid, text: s.text });
      expect((await a.usage.figures()).invitationsCreated).toBe(1);
    });

    it("members-only and a password, set after the session is made: strangers and password-less joins are refused, the invited get the password, the email says to ask for it", async () => {
      const { alice, bob, carol } = await usersOn(info, "alice", "bob", "carol");
      const a = testEngine(alice);
      const b = testEngine(bob);
      const c = testEngine(carol);
      await Promise.all([a.start(), b.start(), c.start()]);
      const passwords: (string | undefined)[] = [];
      b.features.muc.onInvite((i) => passwords.push(i.password));
      const s = await a.sessions.create({ recipients: [bob.jid], subject: "Budget 2027", joinPage: "https://addins.example.org/web/join.html" });
      const changed = await a.sessions.configure(s.session, { membersOnly: true, password: "tulip-42" });
      expect(changed.link).toBe(s.link); // the same session: the link already handed out still leads there
      expect(changed.text).toBe(`${s.text} Only the invited XMPP addresses can join; a password is needed: ask ${alice.jid} for it.`);
      expect(changed.html).not.toContain("tulip-42"); // the password never goes into the email
      expect(changed.text).not.toContain("tulip-42");
      await expect(c.features.muc.join(s.room, "Carol", { password: "tulip-42" })).rejects.toThrow(/for invited people only/);
      await expect(b.features.muc.join(s.room, "Bob")).rejects.toThrow(/needs a password/);
      await until(() => passwords.includes("tulip-42"), "bob's invitation with the password");
      await expect(b.features.muc.join(s.room, "Bob", { password: "tulip-42" })).resolves.toEqual({ created: false });
      expect((await a.sessions.get(s.session))!.records[0]!.text).toBe(changed.text);
      // and back: open to anyone with the link
      const open = await a.sessions.configure(s.session, { membersOnly: false });
      expect(open.text).toBe(s.text);
      await expect(c.features.muc.join(s.room, "Carol")).resolves.toEqual({ created: false });
    });

    it("F13: the transcript of a session — the inviter's own (audience and records) and an invitee's (from the room archive); a room that is gone has ended", async () => {
      const { alice, bob } = await usersOn(info, "alice", "bob");
      const a = testEngine(alice);
      const b = testEngine(bob);
      await Promise.all([a.start(), b.start()]);
      const s = await a.sessions.create({ recipients: [bob.jid], subject: "Budget 2027", joinPage: "https://addins.example.org/web/join.html" });
      await b.features.muc.join(s.room, "Bob");
      const aliceSaw: string[] = [];
      a.features.muc.onMessage((m) => aliceSaw.push(m.body));
      await b.features.muc.send(s.room, "Travel is fixed at 4k.");
      // alice answers what she read (two people typing at once reach the room in either order)
      await until(() => aliceSaw.includes("Travel is fixed at 4k."), "alice to read bob");
      await a.features.muc.send(s.room, "Good, then we are done.");
      const inv = findInvitation([`<a href="${s.html.match(/href="([^"]+)"/)![1]}">join</a>`])!;
      expect(inv.session).toBe(s.session);
      await until(async () => (await a.sessions.transcript(inv)).records.length === 3, "both lines in alice's transcript");
      const mine = await a.sessions.transcript(inv);
      expect(mine).toMatchObject({ own: true, ended: false, subject: "Budget 2027", inviter: alice.jid, invited: [bob.jid] });
      expect(mine.records.map((r) => [r.from, r.text])).toEqual([
        [alice.jid, s.text],
        ["Bob", "Travel is fixed at 4k."],
        [alice.jid.split("@")[0], "Good, then we are done."],
      ]);
      expect(mine.audience.map((x) => x.who)).toEqual(["Bob"]);
      const theirs = await b.sessions.transcript(inv);
      // the room's name; no inviter: the link's f= is a claim the room does not confirm (the email's From says who sent it)
      expect(theirs).toMatchObject({ own: false, ended: false, inviter: "", subject: "Budget 2027" });
      expect(theirs.records.map((r) => r.text)).toEqual(["Travel is fixed at 4k.", "Good, then we are done."]);
      const gone = await b.sessions.transcript({ session: globalThis.crypto.randomUUID(), mucDomain: info.mucDomain });
      expect(gone).toMatchObject({ ended: true, records: [] });
    });
  });
});
