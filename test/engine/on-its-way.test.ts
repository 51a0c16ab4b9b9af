// F5/F6 an IM on its way (issue 25's fast path): the IM to a contact who is online is stored once,
// as being sent, before it goes on the wire; its ack and receipt are shown from memory and
// stored right behind; the receiver answers the receipt before its own write when the server
// archives every IM. Each step is safe against a crash: the IM still arrives once. Real engines
// on the run's Prosody; a "crash" is an engine that stops mid-way and a new one on the same store.
import { xml } from "@xmpp/client";
import type { OutboxItem } from "../../src/core";
import { stopEngines, testEngine } from "../kit/engine";
import { until, users } from "../kit/xmpp";

afterEach(stopEngines);

const never = <T>() => new Promise<T>(() => {});

async function pair() {
  const { alice, bob } = await users("alice", "bob");
  const a = testEngine(alice);
  const b = testEngine(bob);
  await Promise.all([a.start(), b.start()]);
  // the first IM makes them contacts (each approves the other): the ones below take the fast path
  expect((await a.replyViaIm("hello", { to: bob.jid })).state).toBe("delivered");
  await until(() => a.features.presence.rosterItem(bob.jid)?.subscription === "both", "alice and bob subscribed to each other");
  return { a, b, alice, bob };
}

const textsOf = async (e: ReturnType<typeof testEngine>, jid: string) => (await e.history(jid)).items.filter((x) => x.kind === "im").map((x) => x.text);

describe("F5 an IM to a contact who is online", () => {
  it("is stored, as being sent, before it goes on the wire, and written once before it", async () => {
    const { a, bob } = await pair();
    const writes: string[] = [];
    const put = a.store.outbox.put.bind(a.store.outbox);
    const update = a.store.outbox.update.bind(a.store.outbox);
    a.store.outbox.put = (item) => (writes.push(`put ${item.state}`), put(item));
    a.store.outbox.update = (id, change) => (writes.push("update"), update(id, change));
    const send = a.features.chat.send;
    const rowOnSend: (OutboxItem | undefined)[] = [];
    a.features.chat.send = async (m) => {
      rowOnSend.push(await a.store.outbox.get(m.id));
      writes.push("wire");
      return send(m);
    };
    const out = await a.replyViaIm("Are we still on for Friday?", { to: bob.jid });
    expect(out.state).toBe("delivered");
    expect(rowOnSend.map((r) => r?.state)).toEqual(["sending"]);
    expect(writes.slice(0, writes.indexOf("wire") + 1)).toEqual(["put sending", "wire"]);
    // every step is on the IM's record, in order, and the store ends where the window does (the
    // receipt may overtake the server's ack: "sent" is then skipped)
    const steps = (await a.store.outbox.get(out.id))?.transitions.map((t) => t.state).filter((s) => s !== "sent");
    expect(steps).toEqual(["composing", "checking", "sending", "delivered"]);
  });

  it("is shown delivered when the receipt comes, before the store has written it", async () => {
    const { a, bob } = await pair();
    const update = a.store.outbox.update.bind(a.store.outbox);
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    a.store.outbox.update = async (id, change) => (await slow, update(id, change)); // a disk that is slow today
    const shown: string[] = [];
    a.events.on("state", (i) => i.text === "Lunch?" && shown.push(i.state));
    const out = a.replyViaIm("Lunch?", { to: bob.jid });
    await until(() => shown.includes("delivered"), "delivered shown while the writes wait");
    expect((await a.store.outbox.inStates(["sending"])).map((i) => i.text)).toEqual(["Lunch?"]);
    release();
    expect((await out).state).toBe("delivered"); // replyViaIm answers once the store agrees
    expect((await a.store.outbox.inStates(["delivered"])).map((i) => i.text)).toContain("Lunch?");
    expect(shown.filter((s) => s === "delivered")).toHaveLength(1);
  });
});

describe("F6 a crash while an IM is on its way", () => {
  it("between the write and the wire: the IM goes at the next start, once", async () => {
    const { a: a0, b, alice, bob } = await pair();
    const got: string[] = [];
    b.events.on("message", (m) => got.push(m.text));
    a0.features.chat.send = () => never(); // the add-in stops right after its write
    void a0.replyViaIm("Sent just before the crash", { to: bob.jid });
    await until(async () => (await a0.store.outbox.inStates(["sending"])).length === 1, "the IM stored as being sent");
    await a0.stop();
    const a = testEngine(alice, { factory: a0.factory });
    await a.start();
    await until(() => got.includes("Sent just before the crash"), "the IM at bob's after alice's restart");
    await until(async () => (await a.store.outbox.inStates(["delivered"])).some((i) => i.text === "Sent just before the crash"), "delivered");
    expect(got.filter((t) => t === "Sent just before the crash")).toHaveLength(1);
  });

  it("after the wire, before the ack and receipt are stored: sent again with the same id, shown once", async () => {
    const { a: a0, b, alice, bob } = await pair();
    const got: string[] = [];
    b.events.on("message", (m) => got.push(m.text));
    a0.store.outbox.update = () => never(); // nothing after the first write reaches the disk
    void a0.replyViaIm("On the wire, then the crash", { to: bob.jid });
    await until(() => got.includes("On the wire, then the crash"), "the IM at bob's");
    await a0.stop();
    const a = testEngine(alice, { factory: a0.factory });
    await a.start(); // the row still says "sending": it goes again, with its id
    await until(
      async () => (await a.store.outbox.inStates(["delivered"])).some((i) => i.text === "On the wire, then the crash"),
      "delivered after the restart",
    );
    await new Promise((r) => setTimeout(r, 300)); // a second copy would have arrived by now
    expect(got.filter((t) => t === "On the wire, then the crash")).toHaveLength(1);
    expect((await textsOf(b, alice.jid)).filter((t) => t === "On the wire, then the crash")).toHaveLength(1);
  });
});

describe("F5 the receiver's receipt", () => {
  it("goes before its write when the server archives every IM, and a crash before the write loses nothing", async () => {
    const { a, b: b0, alice, bob } = await pair();
    expect(b0.support?.archivesAll).toBe(true); // the run's Prosody: default_archive_policy = true
    b0.store.exchanges.add = () => never(); // bob's device stops before it writes the IM
    expect((await a.replyViaIm("Kept by the archive", { to: bob.jid })).state).toBe("delivered");
    await b0.stop();
    const b = testEngine(bob, { factory: b0.factory });
    await b.start(); // reads the archive since its last sync
    expect((await textsOf(b, alice.jid)).filter((t) => t === "Kept by the archive")).toHaveLength(1);
  });

  it("waits for the write when the user's archive does not keep every IM", async () => {
    const { a, b: b0, bob } = await pair();
    // bob's archive keeps nothing by default now (XEP-0313 §6 prefs), and his device learns it at its start
    await b0.connection!.xmpp.iqCaller.set(xml("prefs", { xmlns: "urn:xmpp:mam:2", default: "never" }));
    await b0.stop();
    const b = testEngine(bob, { factory: b0.factory });
    await b.start();
    expect(b.support?.archivesAll).toBe(false);
    b.store.exchanges.add = () => never();
    const out = await a.replyViaIm("Not archived", { to: bob.jid });
    expect(out.state).toBe("sent"); // the server has it; bob's device has not confirmed it, so it is not "delivered"
  });
});
