// What only ejabberd needs checking, on the run's ejabberd (test/kit/global-setup.ts) over TLS with
// the run's CA: what it offers the add-in, a message another client sends to a contact who is
// away (mod_offline and MAM both keep it), upload from another origin, and a guest on the join
// page. The engine's scenarios themselves (an IM with its history and receipt, the offline
// choices, chat sessions, attachments) run on both servers in test/engine/engine.test.ts.
import type { IncomingIm } from "../../src/engine/engine";
import { connect, type Account } from "../../src/xmpp/connection";
import { mam } from "../../src/xmpp/mam";
import { muc } from "../../src/xmpp/muc";
import { upload } from "../../src/xmpp/upload";
import { stopEngines, testEngine } from "../kit/engine";
import { ejabberdServer, until, usersOn } from "../kit/xmpp";

const JOIN_PAGE = "https://addins.example.org/web/join.html";
const server = ejabberdServer();

afterEach(stopEngines);

async function online(acc: Account) {
  const e = testEngine(acc);
  await e.start();
  const inbox: IncomingIm[] = [];
  e.events.on("message", (m) => inbox.push(m));
  return Object.assign(e, { inbox });
}

describe("the engine on ejabberd", () => {
  it("offers what the add-in needs over wss://: the strongest SCRAM, MAM, carbons, group chat with archive, upload", async () => {
    const { alice } = await usersOn(server, "alice");
    const a = testEngine(alice);
    const logins: string[] = [];
    a.events.on("login", (r) => logins.push(r.mechanism));
    await a.start();
    expect(a.connection!.bare).toBe(alice.jid);
    expect(logins).toEqual(["SCRAM-SHA-512"]); // passwords stored in plain: ejabberd offers every SCRAM, and PLAIN
    expect(a.support).toMatchObject({ mam: true, carbons: true, muc: server.mucDomain, upload: { jid: server.uploadDomain, maxSize: 10 * 1024 * 1024 } });
    expect((await a.features.disco.info(server.mucDomain)).features).toContain("urn:xmpp:mam:2"); // its rooms are archived
  });

  it("the contact is away and an IM is kept: what another client sends meanwhile (mod_offline and MAM both keep it) is seen once, as is the kept IM", async () => {
    const { carol, dave } = await usersOn(server, "carol", "dave");
    const c = await online(carol);
    const d0 = testEngine(dave);
    await d0.start();
    expect((await c.replyViaIm("hello while you are here", { to: dave.jid })).state).toBe("delivered");
    await d0.stop();
    await until(() => !c.features.presence.isAvailable(dave.jid), "dave offline");
    const asked = await c.replyViaIm("are you back?", { to: dave.jid });
    expect(asked.state).toBe("asked");
    expect((await c.decide(asked.id, "keep")).state).toBe("queued");
    await until(async () => ((await c.store.outbox.get(asked.id))?.attempts ?? 0) > 1, "retries while dave is away");
    await c.features.chat.send({ to: dave.jid, id: "from-another-client-1", body: "sent from my phone" });

    const d = testEngine(dave, { factory: d0.factory });
    const got: IncomingIm[] = [];
    d.events.on("message", (m) => got.push(m));
    await d.start();
    await until(async () => (await c.store.outbox.get(asked.id))?.state === "delivered", "delivered", 15_000);
    expect((await c.replyViaIm("one more", { to: dave.jid })).state).toBe("delivered");
    await until(() => got.some((m) => m.text === "one more"), "the later IM");
    expect(got.filter((m) => m.text === "are you back?")).toHaveLength(1);
    expect(got.filter((m) => m.text === "sent from my phone")).toHaveLength(1);
    const texts = (await d.history(carol.jid)).items.map((x) => x.text);
    expect(texts.filter((t) => t === "are you back?" || t === "sent from my phone").sort()).toEqual(["are you back?", "sent from my phone"]);
  });

  it("an upload is readable from another origin, and a page's PUT passes the browser's preflight", async () => {
    const { alice, frank } = await usersOn(server, "alice", "frank");
    const a = await online(alice);
    const f = await online(frank);
    const out = await a.replyViaIm("the minutes", {
      to: frank.jid,
      attachments: [{ name: "minutes.txt", contentType: "text/plain", data: new TextEncoder().encode("we agreed") }],
    });
    expect(out.state).toBe("delivered");
    await until(() => f.inbox.length === 1, "frank's IM");
    const url = (await a.history(frank.jid)).items.at(-1)!.attachments[0]!.url!;
    const res = await fetch(url, { headers: { origin: "https://addins.example.org" } });
    expect(await res.text()).toBe("we agreed");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const slot = await upload({ xmpp: a.connection!.xmpp, service: a.support!.upload! }).slot({ name: "notes.txt", size: 5, contentType: "text/plain" });
    const preflight = await fetch(slot.put, {
      method: "OPTIONS",
      headers: { origin: "https://addins.example.org", "access-control-request-method": "PUT", "access-control-request-headers": "content-type" },
    });
    expect(preflight.ok).toBe(true);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-methods")).toContain("PUT");
  });

  it("a guest logs in anonymously on the guest host, as the join page does, joins a session and reads its archive", async () => {
    const { alice, bob } = await usersOn(server, "alice", "bob");
    const a = await online(alice);
    const s = await a.sessions.create({ recipients: [bob.jid], subject: "Open house", joinPage: JOIN_PAGE });
    await a.features.muc.send(s.room, "Welcome, everyone.");
    const heard: string[] = [];
    a.features.muc.onMessage((m) => heard.push(`${m.nick}: ${m.body}`));
    const guest = await connect({ account: { service: server.service, jid: server.guestDomain, resource: "join-page" } });
    try {
      expect(guest.anonymous).toBe(true);
      expect(guest.bare.endsWith(`@${server.guestDomain}`)).toBe(true);
      const room = muc({ xmpp: guest.xmpp });
      await room.join(s.room, "Visitor");
      const history = await until(async () => {
        const h = await mam({ xmpp: guest.xmpp }).all({ archive: s.room });
        return h.length > 0 && h;
      }, "the room archive");
      expect(history.map((x) => x.message.getChildText("body"))).toContain("Welcome, everyone.");
      await room.send(s.room, "Hello from the join page");
      await until(() => heard.includes("Visitor: Hello from the join page"), "the guest's line in the room");
    } finally {
      await guest.stop();
    }
  });
});
