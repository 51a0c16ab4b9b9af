// The engine against a second server: a private ejabberd (scripts/ejabberd.mjs) next to the
// run's Prosody, reached over TLS with the run's CA. What a user does with the add-in — an IM
// with its history and receipt, one kept for a contact who is away, a chat session and its
// archive, an attachment, a guest on the join page — works the same on both.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEjabberd, type EjabberdServer } from "../scripts/ejabberd.mjs";
import { issueCert, makeCa } from "../scripts/test-ca.mjs";
import { findInvitation } from "../src/core";
import type { IncomingIm } from "../src/engine/engine";
import { connect, type Account } from "../src/xmpp/connection";
import { mam } from "../src/xmpp/mam";
import { muc } from "../src/xmpp/muc";
import { upload } from "../src/xmpp/upload";
import { stopEngines, testEngine } from "./kit/engine";
import { TEST_CA_DIR } from "./kit/global-setup";
import { until } from "./kit/xmpp";

const USERS = { alice: "alice-pw", bob: "bob-pw", carol: "carol-pw", dave: "dave-pw", erin: "erin-pw", frank: "frank-pw" };
const JOIN_PAGE = "https://addins.example.org/web/join.html";
let server: EjabberdServer;
let work: string;
let seq = 0;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "rvi-ejabberd-"));
  const tls = await issueCert(await makeCa(TEST_CA_DIR), join(work, "certs"));
  server = await startEjabberd({ dir: join(work, "server"), users: USERS, tls });
  process.stdout.write(`ejabberd ready in ${server.readyInMs} ms, users registered after ${server.startedInMs} ms\n`);
}, 120_000);

afterAll(async () => {
  await stopEngines();
  await server?.stop();
  await rm(work, { recursive: true, force: true });
}, 30_000);

afterEach(stopEngines);

function account(user: keyof typeof USERS): Account {
  return { service: server.secureService!, jid: `${user}@${server.domain}`, password: USERS[user], resource: `ej${++seq}` };
}

async function online(user: keyof typeof USERS) {
  const e = testEngine(account(user));
  await e.start();
  const inbox: IncomingIm[] = [];
  e.events.on("message", (m) => inbox.push(m));
  return Object.assign(e, { inbox });
}

describe("the engine on ejabberd", () => {
  it("offers what the add-in needs over wss://: the strongest SCRAM, MAM, carbons, group chat with archive, upload", async () => {
    const a = testEngine(account("alice"));
    const logins: string[] = [];
    a.events.on("login", (r) => logins.push(r.mechanism));
    await a.start();
    expect(a.connection!.bare).toBe("alice@localhost");
    expect(logins).toEqual(["SCRAM-SHA-512"]); // passwords stored in plain: ejabberd offers every SCRAM, and PLAIN
    expect(a.support).toMatchObject({ mam: true, carbons: true, muc: server.mucDomain, upload: { jid: server.uploadDomain, maxSize: 10 * 1024 * 1024 } });
    expect((await a.features.disco.info(server.mucDomain)).features).toContain("urn:xmpp:mam:2"); // its rooms are archived
  });

  it("an IM with the earlier email: the contact's receipt makes it delivered, and both keep the history", async () => {
    const a = await online("alice");
    const b = await online("bob");
    await a.recordEmail({
      messageId: "<budget-1@mail.example.org>", from: "alice@localhost", to: ["bob@localhost"], subject: "Budget 2027",
      date: Date.UTC(2026, 10, 1), text: "Email 1: the budget numbers are attached.", attachments: [],
    }, "bob@localhost");
    const out = await a.replyViaIm("Can we talk about the budget now?", { to: "bob@localhost" });
    expect(out).toMatchObject({ state: "delivered", to: "bob@localhost" });
    await until(() => b.inbox.length === 1, "bob's IM");
    expect(b.inbox[0]).toMatchObject({ from: "alice@localhost", text: "Can we talk about the budget now?", history: { stored: 1 } });
    expect((await b.history("alice@localhost")).items.map((x) => `${x.kind}:${x.direction}:${x.origin}`)).toEqual(["email:in:theirs", "im:in:ours"]);
    // ejabberd archives it (default: always), with the digest any client can read
    const archived = await until(async () => (await a.features.mam.all({ with: "bob@localhost" })).map((x) => x.message.getChildText("body") ?? "").filter(Boolean), "archived IM");
    expect(archived[0]).toMatch(/^Can we talk about the budget now\?\n\nEarlier exchanges with /);
  });

  it("the contact is away: keep, retried, delivered exactly once when the contact logs in", async () => {
    const c = await online("carol");
    const d0 = testEngine(account("dave"));
    await d0.start();
    expect((await c.replyViaIm("hello while you are here", { to: "dave@localhost" })).state).toBe("delivered");
    await d0.stop();
    await until(() => !c.features.presence.isAvailable("dave@localhost"), "dave offline");
    const asked = await c.replyViaIm("are you back?", { to: "dave@localhost" });
    expect(asked.state).toBe("asked");
    expect((await c.decide(asked.id, "keep")).state).toBe("queued");
    await until(async () => ((await c.store.outbox.get(asked.id))?.attempts ?? 0) > 1, "retries while dave is away");
    // what another client sends meanwhile is kept by ejabberd (mod_offline) and archived (MAM):
    // both reach dave at login, and he sees it once
    await c.features.chat.send({ to: "dave@localhost", id: "from-another-client-1", body: "sent from my phone" });

    const d = testEngine(account("dave"), { factory: d0.factory });
    const got: IncomingIm[] = [];
    d.events.on("message", (m) => got.push(m));
    await d.start();
    await until(async () => (await c.store.outbox.get(asked.id))?.state === "delivered", "delivered", 15_000);
    expect((await c.replyViaIm("one more", { to: "dave@localhost" })).state).toBe("delivered");
    await until(() => got.some((m) => m.text === "one more"), "the later IM");
    expect(got.filter((m) => m.text === "are you back?")).toHaveLength(1);
    expect(got.filter((m) => m.text === "sent from my phone")).toHaveLength(1);
    const texts = (await d.history("carol@localhost")).items.map((x) => x.text);
    expect(texts.filter((t) => t === "are you back?" || t === "sent from my phone").sort()).toEqual(["are you back?", "sent from my phone"]);
  });

  it("a chat session: the room is made and configured, the invitee joins, and what is said is in the room's archive", async () => {
    const a = await online("alice");
    const e = await online("erin");
    const invites: string[] = [];
    e.features.muc.onInvite((i) => invites.push(i.room));
    const s = await a.createSession({ recipients: ["erin@localhost"], subject: "Budget review", joinPage: JOIN_PAGE });
    expect(s.room).toBe(`${s.session}@${server.mucDomain}`);
    await until(() => invites.includes(s.room), "erin's invitation");
    expect(await e.features.muc.join(s.room, "Erin")).toEqual({ created: false });
    const aliceSaw: string[] = [];
    a.features.muc.onMessage((m) => aliceSaw.push(m.body));
    await e.features.muc.send(s.room, "Travel is fixed at 4k.");
    await until(() => aliceSaw.includes("Travel is fixed at 4k."), "alice to read erin"); // one order in the room: she answers
    await a.features.muc.send(s.room, "Good, then we are done.");
    const inv = findInvitation([`<a href="${s.html.match(/href="([^"]+)"/)![1]}">join</a>`])!;
    const theirs = await until(async () => { const t = await e.transcript(inv); return t.records.length === 2 && t; }, "both lines in the room archive");
    expect(theirs).toMatchObject({ own: false, ended: false, inviter: "alice@localhost", subject: "Budget review" });
    expect(theirs.records.map((r) => r.text)).toEqual(["Travel is fixed at 4k.", "Good, then we are done."]);
  });

  it("a session made members-only with a password: strangers and password-less joins are refused, and back to open", async () => {
    const a = await online("alice");
    const e = await online("erin");
    const c = await online("carol");
    const passwords: (string | undefined)[] = [];
    e.features.muc.onInvite((i) => passwords.push(i.password));
    const s = await a.createSession({ recipients: ["erin@localhost"], subject: "Budget review", joinPage: JOIN_PAGE });
    await a.configureSession(s.session, { membersOnly: true, password: "tulip-42" });
    await expect(c.features.muc.join(s.room, "Carol", { password: "tulip-42" })).rejects.toThrow(/for invited people only/);
    await expect(e.features.muc.join(s.room, "Erin")).rejects.toThrow(/needs a password/);
    await until(() => passwords.includes("tulip-42"), "erin's invitation with the password");
    await expect(e.features.muc.join(s.room, "Erin", { password: "tulip-42" })).resolves.toEqual({ created: false });
    await a.configureSession(s.session, { membersOnly: false });
    await expect(c.features.muc.join(s.room, "Carol")).resolves.toEqual({ created: false });
  });

  it("an attachment is uploaded, linked in the IM, and readable from another origin", async () => {
    const a = await online("alice");
    const f = await online("frank");
    const out = await a.replyViaIm("the minutes", { to: "frank@localhost", attachments: [{ name: "minutes.txt", contentType: "text/plain", data: new TextEncoder().encode("we agreed") }] });
    expect(out.state).toBe("delivered");
    await until(() => f.inbox.length === 1, "frank's IM");
    const url = (await a.history("frank@localhost")).items.at(-1)!.attachments[0]!.url!;
    expect(url).toMatch(/minutes\.txt$/);
    const res = await fetch(url, { headers: { origin: "https://addins.example.org" } });
    expect(await res.text()).toBe("we agreed");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    // a page's PUT from its own origin is preceded by the browser's preflight, which must pass
    const slot = await upload({ xmpp: a.connection!.xmpp, service: a.support!.upload! }).slot({ name: "notes.txt", size: 5, contentType: "text/plain" });
    const preflight = await fetch(slot.put, { method: "OPTIONS", headers: { origin: "https://addins.example.org", "access-control-request-method": "PUT", "access-control-request-headers": "content-type" } });
    expect(preflight.ok).toBe(true);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-methods")).toContain("PUT");
  });

  it("a guest logs in anonymously on the guest host, as the join page does, joins a session and reads its archive", async () => {
    const a = await online("alice");
    const s = await a.createSession({ recipients: ["bob@localhost"], subject: "Open house", joinPage: JOIN_PAGE });
    await a.features.muc.send(s.room, "Welcome, everyone.");
    const heard: string[] = [];
    a.features.muc.onMessage((m) => heard.push(`${m.nick}: ${m.body}`));
    const guest = await connect({ account: { service: server.secureService!, jid: server.guestDomain, resource: "join-page" } });
    try {
      expect(guest.anonymous).toBe(true);
      expect(guest.bare.endsWith(`@${server.guestDomain}`)).toBe(true);
      const room = muc({ xmpp: guest.xmpp });
      await room.join(s.room, "Visitor");
      const history = await until(async () => { const h = await mam({ xmpp: guest.xmpp }).all({ archive: s.room }); return h.length > 0 && h; }, "the room archive");
      expect(history.map((x) => x.message.getChildText("body"))).toContain("Welcome, everyone.");
      await room.send(s.room, "Hello from the join page");
      await until(() => heard.includes("Visitor: Hello from the join page"), "the guest's line in the room");
    } finally {
      await guest.stop();
    }
  });
});
