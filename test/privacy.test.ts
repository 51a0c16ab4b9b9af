// F14, the no-IM-spam promise: an email (or the user's own choice) is the permission. IMs from
// people the user never chose wait in a requests list, unannounced; presence goes only to
// contacts the user knows. Two or three engines against the run's Prosody.
import type { IncomingIm } from "../src/engine/engine";
import { emailExchange } from "../src/core";
import { stopEngines, testEngine } from "./kit/engine";
import { until, users } from "./kit/xmpp";

afterEach(stopEngines);

let seq = 0;
/** A plain chat message, as any XMPP client would send it (a stranger sees no presence to wait for). */
const im = (from: ReturnType<typeof testEngine>, to: string, body: string) => from.features.chat.send({ to, id: `p${++seq}-${Date.now()}`, body });

async function setup() {
  const { alice, mallory, carol } = await users("alice", "mallory", "carol");
  // alice uses the product's own rules: no test shortcut for who may see her presence
  const a = testEngine(alice, { approveSubscription: undefined });
  const m = testEngine(mallory);
  const c = testEngine(carol);
  await Promise.all([a.start(), m.start(), c.start()]);
  const inbox: IncomingIm[] = [];
  a.events.on("message", (x) => inbox.push(x));
  return { a, m, c, alice, mallory, carol, inbox };
}

describe("F14 privacy: no IM spam", () => {
  it("a stranger's IMs are kept in the requests list, never announced — their own IMs or forged history do not make them known", async () => {
    const { a, m, alice, mallory, inbox } = await setup();
    const requests: string[] = [];
    a.events.on("request-im", (from) => requests.push(from));
    // history a sender attaches is stored as theirs: an "email from alice" in it proves nothing
    await a.store.exchanges.add({
      ...emailExchange(mallory.jid, "out", {
        messageId: "<forged@x>",
        from: alice.jid,
        to: [mallory.jid],
        subject: "We met",
        date: Date.UTC(2026, 9, 1),
        text: "Sure, IM me",
      }),
      origin: "theirs",
    });
    await im(m, alice.jid, "Cheap watches!");
    await im(m, alice.jid, "Still there? Cheap watches!");
    await until(() => inbox.length === 2, "both IMs stored");
    expect(inbox.map((x) => x.known)).toEqual([false, false]);
    expect(inbox[0]!.text).toBe("Cheap watches!"); // kept (nothing is lost), only not announced
    expect(await a.contacts.requests()).toEqual([{ from: mallory.jid, at: expect.any(Number), text: "Still there? Cheap watches!", count: 2 }]);
    expect(requests).toEqual([mallory.jid, mallory.jid]);
    expect(await a.contacts.isKnown(mallory.jid)).toBe(false);
  });

  it("people the user chose are known: someone she emailed, someone invited to her session, a contact she accepted", async () => {
    const { a, m, c, alice, mallory, carol, inbox } = await setup();
    await a.recordEmail(
      { messageId: "<e1@x>", from: alice.jid, to: [carol.jid], subject: "Budget", date: Date.UTC(2026, 10, 1), text: "Numbers attached" },
      carol.jid,
    );
    await im(c, alice.jid, "Got it");
    await until(() => inbox.length === 1, "carol's IM");
    expect(inbox[0]!.known).toBe(true);
    expect(await a.contacts.requests()).toEqual([]);

    const { dave } = await users("dave");
    await a.sessions.create({ recipients: [dave.jid], joinPage: "https://join.example.org/join.html" });
    expect(await a.contacts.isKnown(dave.jid)).toBe(true);

    await im(m, alice.jid, "Hello, we met at the fair");
    await until(async () => (await a.contacts.requests()).length === 1, "the request");
    await a.contacts.accept(mallory.jid);
    expect(await a.contacts.requests()).toEqual([]);
    await im(m, alice.jid, "Thanks for accepting");
    await until(() => inbox.length === 3, "mallory's second IM");
    expect(inbox[2]!.known).toBe(true);
  });

  it("refusing takes the request away for good; later IMs stay unannounced and off the list", async () => {
    const { a, m, alice, mallory, inbox } = await setup();
    await im(m, alice.jid, "Buy now");
    await until(async () => (await a.contacts.requests()).length === 1, "the request");
    await a.contacts.refuse(mallory.jid);
    expect(await a.contacts.requests()).toEqual([]);
    await im(m, alice.jid, "Buy now!!");
    await until(() => inbox.length === 2, "the second IM");
    expect(inbox[1]!.known).toBe(false);
    expect(await a.contacts.requests()).toEqual([]);
  });

  it("presence is shared only with known people: a stranger's subscription is held, a correspondent's approved", async () => {
    const { a, m, c, alice, carol } = await setup();
    await a.recordEmail({ messageId: "<e2@x>", from: carol.jid, to: [alice.jid], subject: "Hi", date: Date.UTC(2026, 10, 2), text: "Hello" }, carol.jid);
    await m.features.presence.subscribe(alice.jid);
    await c.features.presence.subscribe(alice.jid);
    await until(() => c.features.presence.isAvailable(alice.jid), "carol sees alice online");
    await new Promise((r) => setTimeout(r, 500));
    expect(m.features.presence.isAvailable(alice.jid)).toBe(false);
  });

  it("an IM that came while she was away is handled when she logs in: shown once, a stranger's in the requests list", async () => {
    const { alice, mallory, carol } = await users("alice", "mallory", "carol");
    const m = testEngine(mallory);
    const c = testEngine(carol);
    await Promise.all([m.start(), c.start()]);
    await im(m, alice.jid, "Cheap watches, while you were out");
    await im(c, alice.jid, "Call me when you are back");
    const a = testEngine(alice, { approveSubscription: undefined });
    await a.recordEmail({ messageId: "<e3@x>", from: alice.jid, to: [carol.jid], subject: "Trip", date: Date.UTC(2026, 10, 3), text: "See you" }, carol.jid);
    const inbox: IncomingIm[] = [];
    a.events.on("message", (x) => inbox.push(x));
    await a.start();
    await until(() => inbox.length === 2, "both IMs from while she was away");
    expect(inbox.map((x) => [x.text, x.known]).sort()).toEqual([
      ["Call me when you are back", true],
      ["Cheap watches, while you were out", false],
    ]);
    expect((await a.contacts.requests()).map((r) => r.from)).toEqual([mallory.jid]);
    await new Promise((r) => setTimeout(r, 300));
    expect(inbox).toHaveLength(2); // not again from offline storage
  });
});
