// Issue 21, driven from outside the engine on both servers: a mail anyone could have sent, and
// raw stanzas from a stranger (mallory) or a known contact whose client lies. Each test is an
// attack the engine used to fall for: a spoofed header redirecting a Reply via IM, a receipt
// telling a stranger the user is online, history putting words in the user's mouth, and an
// email making the add-in query a server the sender runs.
import { xml } from "@xmpp/client";
import type { Element } from "@xmpp/xml";
import { isProblem, type MailEvidence } from "../src/core";
import type { IncomingIm } from "../src/engine/engine";
import { openChatContext } from "../src/engine/im-window";
import { historyElement } from "../src/xmpp/history-payload";
import { stopEngines, testEngine } from "./kit/engine";
import { loginAs, logoutAll, servers, until, usersOn } from "./kit/xmpp";

afterEach(async () => {
  await stopEngines();
  await logoutAll();
});

const BOB = "bob@corp.example";
const original = {
  messageId: "<budget-1@corp.example>",
  from: `Bob Builder <${BOB}>`,
  to: [] as string[],
  subject: "Budget",
  date: Date.UTC(2026, 10, 20),
  text: "Numbers attached.",
};

describe.each(servers())("issue 21 on %s: a mailbox is hostile ground", (_name, info) => {
  async function people() {
    const { alice, mallory, carol } = await usersOn(info, "alice", "mallory", "carol");
    return { alice, mallory, carol };
  }

  it("F2: a spoofed email's X-Jabber-ID is a claim — shown with its email, never sent to, never made known — until the user confirms it", async () => {
    const { alice, mallory } = await people();
    const spoofed: MailEvidence = { headers: { "x-jabber-id": mallory.jid }, text: "Regards, Bob", date: original.date, subject: "Budget" };
    // alice's own rules (no test shortcut for presence), her mailbox holding the spoofed email
    const a = testEngine(alice, { approveSubscription: undefined, lookups: { mailsFrom: async (e) => (e === BOB ? [spoofed] : []) } });
    const m = await loginAs(mallory);
    const got: Element[] = [];
    m.xmpp.on("stanza", (s: Element) => got.push(s));
    await m.xmpp.send(xml("presence")); // available: an IM to his bare address would reach him at once
    await a.start();
    const inbox: IncomingIm[] = [];
    a.events.on("message", (x) => inbox.push(x));

    const r = await a.mapper.resolve(BOB);
    expect(r).toMatchObject({
      jid: mallory.jid,
      source: "mail-header",
      needsConfirmation: true,
      evidence: { part: "header", subject: "Budget", date: original.date },
    });
    const sent = await a.replyViaIm("Here is the history of our budget emails", { original }).catch((err: unknown) => err);
    expect(isProblem(sent, "address-unconfirmed")).toBe(true);
    expect(await a.outgoingTo(BOB)).toEqual([]);

    // the stored claim does not make mallory known: his subscription is held, his IMs wait
    // under his own address (not under Bob's name)
    expect(await a.contacts.isKnown(mallory.jid)).toBe(false);
    await m.xmpp.send(xml("presence", { to: alice.jid, type: "subscribe" }));
    await m.xmpp.send(xml("message", { to: alice.jid, type: "chat", id: "m1" }, xml("body", {}, "It's Bob, new address")));
    await until(() => inbox.length === 1, "mallory's IM stored");
    expect(inbox[0]).toMatchObject({ known: false, counterpart: mallory.jid });
    expect(inbox[0]!.name).toBeUndefined();
    await until(async () => a.features.presence.requests().includes(mallory.jid), "the subscription request held");
    expect(got.filter((s) => s.is("presence") && s.attrs.type === "subscribed")).toEqual([]);
    expect(got.filter((s) => s.is("message") && s.getChildText("body"))).toEqual([]); // nothing of alice's history reached him

    // the IM window open on Bob's email, alice typing: nothing goes to the claimed address (no
    // vCard asked of his server, no chat state) — the window says where the address came from
    const out: Element[] = [];
    a.connection!.xmpp.on("send", (s: Element) => out.push(s));
    const window = await openChatContext(a, { mail: original });
    expect(window.to).toMatchObject({ jid: mallory.jid, source: "mail-header", needsConfirmation: true, evidence: { subject: "Budget" } });
    await a.tellTyping(mallory.jid, "composing");
    const beforeConfirm = out.length;

    // confirmed by the user, the address is hers to use
    await a.mapper.correct(BOB, mallory.jid);
    await a.tellTyping(mallory.jid, "composing");
    await a.replyViaIm("Confirmed by me", { original });
    await until(() => got.some((s) => s.is("message") && s.getChildText("body")?.startsWith("Confirmed by me")), "the IM after confirmation");
    expect(out.slice(0, beforeConfirm).filter((s) => s.attrs.to && s.attrs.to.startsWith(mallory.jid))).toEqual([]);
    expect(got.some((s) => s.is("message") && s.getChild("composing"))).toBe(true); // after confirming, typing is told
    await openChatContext(a, { mail: original }); // and his picture is asked for
    await until(() => out.some((s) => s.is("iq") && s.attrs.to === mallory.jid && s.getChild("vCard")), "a vCard request after confirmation");
  });

  it("F14: no receipt to a stranger (it would say that the user is online), one to a contact", async () => {
    const { alice, mallory, carol } = await people();
    const a = testEngine(alice, { approveSubscription: undefined });
    await a.start();
    await a.recordEmail({ messageId: "<c1@x>", from: carol.jid, to: [alice.jid], subject: "Hi", date: Date.UTC(2026, 10, 2), text: "Hello" }, carol.jid);
    const [m, c] = await Promise.all([loginAs(mallory), loginAs(carol)]);
    const receipts = { m: [] as string[], c: [] as string[] };
    const receiptsTo = (list: string[]) => (s: Element) => {
      const r = s.getChild("received", "urn:xmpp:receipts");
      if (r) list.push(String(r.attrs.id));
    };
    m.xmpp.on("stanza", receiptsTo(receipts.m));
    c.xmpp.on("stanza", receiptsTo(receipts.c));
    const inbox: IncomingIm[] = [];
    a.events.on("message", (x) => inbox.push(x));
    const probe = (conn: typeof m, id: string) =>
      conn.xmpp.send(xml("message", { to: alice.jid, type: "chat", id }, xml("body", {}, "are you there?"), xml("request", { xmlns: "urn:xmpp:receipts" })));
    await probe(m, "probe-1");
    await until(() => inbox.length === 1, "the stranger's IM stored");
    await probe(c, "probe-2");
    await until(() => receipts.c.includes("probe-2"), "the contact's receipt");
    expect(receipts.m).toEqual([]); // sent before carol's, it would have arrived by now
    await until(() => inbox.length === 2, "the contact's IM shown"); // its receipt may go out first
    expect(inbox.map((x) => x.known)).toEqual([false, true]);
    // the user takes mallory on: the receipt held for his IM goes out now (the IM reached her)
    await a.contacts.accept(mallory.jid);
    await until(() => receipts.m.includes("probe-1"), "the held receipt, after accepting");
    expect(receipts.m).toEqual(["probe-1"]);
  });

  it("F14: the user answering a stranger sends the receipts held for them; their later IMs are receipted at once", async () => {
    const { alice, mallory } = await people();
    const a = testEngine(alice, { approveSubscription: undefined });
    await a.start();
    const m = await loginAs(mallory);
    const receipts: string[] = [];
    m.xmpp.on("stanza", (s: Element) => {
      const r = s.getChild("received", "urn:xmpp:receipts");
      if (r) receipts.push(String(r.attrs.id));
    });
    const inbox: IncomingIm[] = [];
    a.events.on("message", (x) => inbox.push(x));
    for (const id of ["q-1", "q-2"])
      await m.xmpp.send(xml("message", { to: alice.jid, type: "chat", id }, xml("body", {}, `question ${id}`), xml("request", { xmlns: "urn:xmpp:receipts" })));
    await until(() => inbox.length === 2, "the stranger's IMs stored");
    expect(receipts).toEqual([]);
    await a.replyViaIm("Who is this?", { to: mallory.jid });
    await until(() => receipts.length === 2, "the held receipts after answering");
    expect(receipts.sort()).toEqual(["q-1", "q-2"]);
    await m.xmpp.send(
      xml("message", { to: alice.jid, type: "chat", id: "q-3" }, xml("body", {}, "It's Mallory"), xml("request", { xmlns: "urn:xmpp:receipts" })),
    );
    await until(() => receipts.includes("q-3"), "the receipt for an IM after the answer");
  });

  it("F3: history from a contact's client keeps only their own words; dates in the future are refused; a stranger's history is not kept at all", async () => {
    const { alice, mallory, carol } = await people();
    const a = testEngine(alice, { approveSubscription: undefined });
    await a.start();
    await a.recordEmail({ messageId: "<c2@x>", from: alice.jid, to: [carol.jid], subject: "Trip", date: Date.UTC(2026, 10, 2), text: "See you" }, carol.jid);
    const [m, c] = await Promise.all([loginAs(mallory), loginAs(carol)]);
    const inbox: IncomingIm[] = [];
    a.events.on("message", (x) => inbox.push(x));
    const im = (from: string, to: string, at: number, text: string, key: string) => ({
      id: `im:${key}`,
      kind: "im" as const,
      key,
      counterpart: "",
      direction: "in" as const,
      at,
      from,
      to: [to],
      text,
      attachments: [],
      origin: "ours" as const,
    });
    const withHistory = (items: ReturnType<typeof im>[], id: string) =>
      xml("message", { to: alice.jid, type: "chat", id }, xml("body", {}, "see below"), historyElement(items));

    // carol's client says alice wrote "I resign": left out, never shown or stored as alice's
    await c.xmpp.send(
      withHistory(
        [im(alice.jid, carol.jid, Date.UTC(2026, 10, 3), "I resign", "h1"), im(carol.jid, alice.jid, Date.UTC(2026, 10, 3, 1), "Noted", "h2")],
        "c-1",
      ),
    );
    await until(() => inbox.length === 1, "carol's IM");
    expect(inbox[0]!.history).toMatchObject({ stored: 1, yours: 1 });
    // pinned on top with the year 9999: refused whole
    await c.xmpp.send(withHistory([im(carol.jid, alice.jid, Date.UTC(9999, 0, 1), "Pinned", "h3")], "c-2"));
    await until(() => inbox.length === 2, "carol's second IM");
    expect(inbox[1]!.history).toMatchObject({ stored: 0, rejected: expect.stringMatching(/future/) });
    const kept = (await a.history(carol.jid, { limit: 50 })).items.map((x) => [x.direction, x.text]);
    expect(kept).toContainEqual(["in", "Noted"]);
    expect(kept.some(([, t]) => t === "I resign" || t === "Pinned")).toBe(false);

    // a stranger's history plants nothing in alice's store
    await m.xmpp.send(withHistory([im(mallory.jid, alice.jid, Date.UTC(2026, 10, 1), "As agreed, the bank details", "h4")], "m-1"));
    await until(() => inbox.length === 3, "mallory's IM");
    expect(inbox[2]).toMatchObject({ known: false, history: { stored: 0, items: [] } });
    expect((await a.history(mallory.jid, { limit: 50 })).items.map((x) => x.text)).toEqual(["see below"]);
  });

  it("F13/F14: an email naming a chat room on a stranger's server makes no request there and names no inviter; the user's own server is asked", async () => {
    const { alice } = await people();
    const a = testEngine(alice);
    await a.start();
    const out: Element[] = [];
    a.connection!.xmpp.on("send", (s: Element) => out.push(s));
    const session = globalThis.crypto.randomUUID();
    const tr = await a.sessions.transcript({ session, mucDomain: "muc.evil.example", from: "ceo@corp.example" });
    expect(tr).toMatchObject({ elsewhere: true, inviter: "", records: [] });
    expect(out.filter((s) => String(s.attrs.to ?? "").includes("evil.example"))).toEqual([]);
    // a room on her own server is read (it is gone: it has ended)
    const home = await a.sessions.transcript({ session, mucDomain: info.mucDomain });
    expect(home).toMatchObject({ ended: true });
    expect(home.elsewhere).toBeUndefined();
    expect(out.some((s) => String(s.attrs.to ?? "").endsWith(`@${info.mucDomain}`))).toBe(true);
  });
});
