// The engine's parts, each as a user meets it: waits that end, events told once, the user's
// other device (carbons), kept IMs after a restart, a start that fails halfway, and background
// work that fails without being lost. Real engines on the run's Prosody.
import { openChatContext } from "../../src/engine/im-window";
import type { IncomingIm } from "../../src/engine/engine";
import { stopEngines, testEngine } from "../kit/engine";
import { until, users } from "../kit/xmpp";

afterEach(stopEngines);

async function pair() {
  const { alice, bob } = await users("alice", "bob");
  const a = testEngine(alice);
  const b = testEngine(bob);
  await Promise.all([a.start(), b.start()]);
  return { a, b, alice, bob };
}

describe("F5 sending: every wait ends", () => {
  it("no ack or receipt is still awaited once the IMs are delivered", async () => {
    const { a, bob } = await pair();
    for (const text of ["one", "two", "three"]) expect((await a.replyViaIm(text, { to: bob.jid })).state).toBe("delivered");
    expect(a.pending()).toEqual({ acks: 0, receipts: 0 });
  });
});

describe("F17 contacts", () => {
  it("adding a contact tells the contacts view once", async () => {
    const { alice, carol } = await users("alice", "carol");
    const a = testEngine(alice);
    await a.start();
    let told = 0;
    let pushes = 0; // the server's roster pushes are changes of their own, each told once too
    a.events.on("contacts", () => told++);
    a.features.presence.onRoster(() => pushes++);
    await a.contacts.add(carol.jid);
    expect(told).toBe(1 + pushes);
  });
});

describe("F4 the user's other device (carbons, XEP-0280)", () => {
  it("an IM sent from one device is in the other's history once, as written, without the history digest", async () => {
    const { alice, bob } = await users("alice", "bob");
    const laptop = testEngine({ ...alice, resource: "laptop" });
    const office = testEngine({ ...alice, resource: "office" });
    const b = testEngine(bob);
    await Promise.all([laptop.start(), office.start(), b.start()]);
    await laptop.recordEmail(
      { messageId: "<plan@mail.example.org>", from: bob.jid, to: [alice.jid], subject: "Plan", date: Date.UTC(2026, 10, 1), text: "The plan is attached." },
      bob.jid,
    );
    expect((await laptop.replyViaIm("Shall we go through the plan?", { to: bob.jid })).state).toBe("delivered");
    const ims = async () => (await office.history(bob.jid)).items.filter((x) => x.kind === "im");
    const [seen] = await until(async () => {
      const l = await ims();
      return l.length ? l : undefined;
    }, "the carbon on the other device");
    expect(seen).toMatchObject({ direction: "out", text: "Shall we go through the plan?" });
    // bob answers; both devices get it; the office device restarts and reads the archive: still once each
    const inbox: IncomingIm[] = [];
    office.events.on("message", (m) => inbox.push(m));
    expect((await b.replyViaIm("Yes, at 3", { to: alice.jid })).state).toBe("delivered");
    await until(() => inbox.some((m) => m.text === "Yes, at 3"), "bob's answer on the other device");
    await office.stop();
    await office.start();
    expect((await ims()).map((x) => `${x.direction}:${x.text}`)).toEqual(["out:Shall we go through the plan?", "in:Yes, at 3"]);
  });
});

describe("F6 kept IMs after a restart", () => {
  it("the IM window opened on the email shows them with their state, and they arrive in the order written", async () => {
    const { alice, bob } = await users("alice", "bob");
    const b0 = testEngine(bob);
    const a0 = testEngine(alice, { retry: { baseMs: 60_000, capMs: 120_000, maxAttempts: 50 } });
    await Promise.all([b0.start(), a0.start()]);
    expect((await a0.replyViaIm("hello", { to: bob.jid })).state).toBe("delivered");
    await b0.stop();
    await until(() => !a0.features.presence.isAvailable(bob.jid), "bob offline");
    const email = { messageId: "<budget@mail.example.org>", from: bob.jid, to: [alice.jid], subject: "Budget", date: Date.UTC(2026, 10, 2), text: "Numbers?" };
    for (const text of ["first, about the budget", "second, about the date"]) {
      const asked = await a0.replyViaIm(text, { original: email });
      expect((await a0.decide(asked.id, "keep")).state).toBe("queued");
    }
    await a0.stop();

    // the mail client restarts: same store, a new engine; bob is still away
    const a = testEngine(alice, { factory: a0.factory, retry: { baseMs: 60_000, capMs: 120_000, maxAttempts: 50 } });
    await a.start();
    const ctx = await openChatContext(a, { mail: email });
    // on their way again (queued, or a retry in flight), and the earlier one as delivered
    expect(ctx.conversation.map((l) => [l.text, l.state === "queued" || l.state === "sending" ? "kept" : l.state])).toEqual([
      ["hello", "delivered"],
      ["first, about the budget", "kept"],
      ["second, about the date", "kept"],
    ]);
    expect(ctx.history.map((h) => h.text)).not.toContain("first, about the budget");

    const b = testEngine(bob, { factory: b0.factory });
    const got: string[] = [];
    b.events.on("message", (m) => got.push(m.text));
    await b.start();
    await until(() => got.length >= 2, "the kept IMs");
    expect(got).toEqual(["first, about the budget", "second, about the date"]);
  });
});

describe("F21 a start that fails halfway", () => {
  it("closes the connection it opened, so a retry does not leave a second one behind", async () => {
    const { alice, bob } = await users("alice", "bob");
    const b = testEngine(bob);
    const a0 = testEngine(alice);
    await Promise.all([b.start(), a0.start()]);
    await a0.contacts.add(bob.jid);
    await until(() => b.features.presence.isAvailable(alice.jid), "bob to see alice");
    await a0.stop();
    await until(() => !b.features.presence.isAvailable(alice.jid), "alice gone");

    const a = testEngine(alice, { factory: a0.factory });
    const inStates = a.store.outbox.inStates.bind(a.store.outbox);
    a.store.outbox.inStates = () => Promise.reject(new Error("the disk is full"));
    await expect(a.start()).rejects.toThrow("the disk is full");
    expect(a.connection).toBeUndefined();
    await until(() => !b.features.presence.isAvailable(alice.jid), "alice's half-started connection closed");
    a.store.outbox.inStates = inStates;
    await a.start();
    await until(() => b.features.presence.isAvailable(alice.jid), "alice back");
  });
});

describe("F6 background work that fails is reported, not lost", () => {
  it("a failing outbox round is reported as a problem and the next round tries again", async () => {
    const { alice } = await users("alice");
    const a = testEngine(alice);
    await a.start();
    const problems: string[] = [];
    a.events.on("problem", (where) => problems.push(where));
    const due = a.store.outbox.due.bind(a.store.outbox);
    let failures = 1;
    a.store.outbox.due = (now, limit) => (failures-- > 0 ? Promise.reject(new Error("the disk is full")) : due(now, limit));
    await until(() => problems.includes("sending kept IMs"), "the failed round reported");
    await until(() => failures < 0, "a later round");
  });
});
