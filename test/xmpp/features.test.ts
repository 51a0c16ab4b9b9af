// Each XMPP feature factory against the real Prosody of this run.
import { xml } from "@xmpp/client";
import { carbons } from "../../src/xmpp/carbons";
import { chat, type IncomingChat } from "../../src/xmpp/chat";
import { disco } from "../../src/xmpp/disco";
import { mam } from "../../src/xmpp/mam";
import { muc } from "../../src/xmpp/muc";
import { presence } from "../../src/xmpp/presence";
import { receipts } from "../../src/xmpp/receipts";
import { upload } from "../../src/xmpp/upload";
import { connect } from "../../src/xmpp/connection";
import { loginAs, logoutAll, server, until, users } from "../kit/xmpp";

afterEach(logoutAll);

async function pair() {
  const { alice, bob } = await users("alice", "bob");
  const a = await loginAs(alice);
  const b = await loginAs(bob);
  const pa = presence({ xmpp: a.xmpp, approve: () => true });
  const pb = presence({ xmpp: b.xmpp, approve: () => true });
  await pa.announce();
  await pb.announce();
  return { a, b, pa, pb, alice, bob };
}

describe("F5 roster and presence (RFC 6121)", () => {
  it("subscribes both ways when approved and sees each resource come and go", async () => {
    const { a, b, pa, bob } = await pair();
    await pa.subscribe(b.bare);
    await until(() => pa.isAvailable(b.bare), "alice to see bob");
    await until(() => pa.rosterItem(b.bare)?.subscription === "both", "mutual subscription");
    const b2 = await loginAs({ ...bob, resource: "phone" });
    presence({ xmpp: b2.xmpp });
    const phoneSeen = new Promise<void>((resolve) => pa.onChange((bare, on) => bare === b.bare && on && resolve()));
    await b2.xmpp.send(xml("presence", {}, xml("show", {}, "away")));
    await phoneSeen;
    // one of his two resources goes: bob is still online (the phone's next presence comes after
    // the server told alice of the first one leaving)
    const seen: boolean[] = [];
    pa.onChange((bare, on) => bare === b.bare && seen.push(on));
    await b.stop();
    const phoneAgain = new Promise<void>((resolve) => pa.onChange((bare, on) => bare === b.bare && on && resolve()));
    await b2.xmpp.send(xml("presence", {}, xml("show", {}, "dnd")));
    await phoneAgain;
    expect(seen).not.toContain(false);
    expect(pa.isAvailable(b.bare)).toBe(true);
    await b2.stop();
    await until(() => !pa.isAvailable(b.bare), "bob offline");
    expect(a.xmpp.status).toBe("online");
  });

  it("holds a request that is not approved and tells nobody's presence (F14)", async () => {
    const { alice, carol } = await users("alice", "carol");
    const a = await loginAs(alice);
    const c = await loginAs(carol);
    const pa = presence({ xmpp: a.xmpp, approve: () => false });
    const pc = presence({ xmpp: c.xmpp });
    await pa.announce();
    await pc.announce();
    const seen: string[] = [];
    pa.onRequest((j) => seen.push(j));
    await pc.subscribe(a.bare);
    await until(() => seen.length === 1, "the request");
    expect(pa.requests()).toEqual([c.bare]);
    expect(await pc.waitUntilAvailable(a.bare, 300)).toBe(false);
    await pa.approve(c.bare);
    expect(await pc.waitUntilAvailable(a.bare, 3000)).toBe(true);
  });
});

describe("F5 receipts (XEP-0184) and acks (XEP-0198)", () => {
  it("'sent' is the server's ack and 'delivered' the contact's receipt", async () => {
    const { a, b } = await pair();
    const ra = receipts({ xmpp: a.xmpp });
    const rb = receipts({ xmpp: b.xmpp });
    const cb = chat({ xmpp: b.xmpp });
    cb.onMessage((m) => rb.wanted(m.stanza) && void rb.confirm(m.stanza));
    const events: string[] = [];
    ra.onAcked((id) => events.push(`acked ${id}`));
    ra.onDelivered((id, from) => events.push(`delivered ${id} from ${from === b.bare ? "bob" : from}`));
    await chat({ xmpp: a.xmpp }).send({ to: b.bare, id: "m-1", body: "hello" });
    await until(() => events.length === 2, "ack and receipt");
    expect(events.sort()).toEqual(["acked m-1", "delivered m-1 from bob"]);
  });
});

describe("F4 MAM (XEP-0313) and carbons (XEP-0280)", () => {
  it("pages through the archive with a contact", async () => {
    const { a, b } = await pair();
    const ca = chat({ xmpp: a.xmpp });
    for (let i = 0; i < 7; i++) await ca.send({ to: b.bare, id: `mam-${i}`, body: `message ${i}` });
    const m = mam({ xmpp: a.xmpp });
    await until(async () => (await m.all({ with: b.bare })).filter((x) => x.message.getChildText("body")).length === 7, "archive");
    const first = await m.page({ with: b.bare, max: 3 });
    expect(first.items).toHaveLength(3);
    expect(first.complete).toBe(false);
    const all = (await m.all({ with: b.bare, max: 3 })).filter((x) => x.message.getChildText("body"));
    expect(all.map((x) => x.message.attrs.id)).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `mam-${i}`));
    expect(all.every((x) => x.stamp > Date.now() - 60_000)).toBe(true);
  });

  it("a message sent from another device arrives here as a sent carbon", async () => {
    const { a, b, alice } = await pair();
    const cc = carbons({ xmpp: a.xmpp });
    await cc.enable();
    const copies: string[] = [];
    cc.onCarbon((dir, m) => copies.push(`${dir}: ${m.getChildText("body")}`));
    const other = await loginAs({ ...alice, resource: "phone" });
    await other.xmpp.send(xml("presence"));
    await chat({ xmpp: other.xmpp }).send({ to: b.bare, id: "c-1", body: "from my phone" });
    await until(() => copies.length === 1, "carbon");
    expect(copies).toEqual(["sent: from my phone"]);
  });

  it("ignores a forged carbon from someone else", async () => {
    const { a, b } = await pair();
    const cc = carbons({ xmpp: a.xmpp });
    await cc.enable();
    const copies: unknown[] = [];
    cc.onCarbon((d, m) => copies.push(m));
    const got: IncomingChat[] = [];
    chat({ xmpp: a.xmpp }).onMessage((m) => got.push(m));
    await b.xmpp.send(
      xml(
        "message",
        { to: a.bare, type: "chat" },
        xml(
          "received",
          { xmlns: "urn:xmpp:carbons:2" },
          xml(
            "forwarded",
            { xmlns: "urn:xmpp:forward:0" },
            xml("message", { xmlns: "jabber:client", from: "mallory@localhost", to: a.bare, type: "chat" }, xml("body", {}, "forged")),
          ),
        ),
      ),
    );
    await b.xmpp.send(xml("message", { to: a.bare, type: "chat", id: "after" }, xml("body", {}, "real")));
    await until(() => got.length === 1, "the real message");
    expect(copies).toEqual([]);
  });
});

describe("F20 disco (XEP-0030)", () => {
  it("reports what the server offers the add-in", async () => {
    const { alice } = await users("alice");
    const a = await loginAs(alice);
    const s = await disco({ xmpp: a.xmpp }).support();
    const info = server();
    expect(s).toEqual({
      websocket: true,
      streamManagement: true,
      mam: true,
      carbons: true,
      muc: info.mucDomain,
      upload: { jid: info.uploadDomain, maxSize: 10 * 1024 * 1024 },
    });
  });

  it("answers other clients with our features", async () => {
    const { a, b } = await pair();
    disco({ xmpp: b.xmpp });
    const i = await disco({ xmpp: a.xmpp }).info(b.jid);
    expect(i.features).toEqual(expect.arrayContaining(["urn:xmpp:receipts", "urn:reply-via-im:history:0", "jabber:x:conference"]));
  });
});

describe("F10 MUC (XEP-0045) and direct invitations (XEP-0249)", () => {
  it("creates a UUID room, invites, and three people (one an anonymous guest) talk", async () => {
    const { a, b } = await pair();
    const info = server();
    const room = `${globalThis.crypto.randomUUID()}@${info.mucDomain}`;
    const ma = muc({ xmpp: a.xmpp });
    const mb = muc({ xmpp: b.xmpp });
    const invites: string[] = [];
    mb.onInvite((i) => invites.push(`${i.room} from ${i.from === a.bare ? "alice" : i.from}`));
    await ma.create(room, "Alice", { membersOnly: false });
    await ma.invite(room, b.bare, "Budget chat");
    await until(() => invites.length === 1, "invitation");
    expect(invites).toEqual([`${room} from alice`]);
    expect(await mb.join(room, "Bob")).toEqual({ created: false });
    const guest = await connect({ account: { service: info.service, jid: info.guestDomain } });
    try {
      const mg = muc({ xmpp: guest.xmpp });
      await mg.join(room, "Guest");
      const heard: Record<string, string[]> = { alice: [], bob: [], guest: [] };
      ma.onMessage((m) => heard.alice!.push(`${m.nick}: ${m.body}`));
      mb.onMessage((m) => heard.bob!.push(`${m.nick}: ${m.body}`));
      mg.onMessage((m) => heard.guest!.push(`${m.nick}: ${m.body}`));
      await ma.send(room, "hello all");
      await until(() => heard.guest!.length === 1 && heard.bob!.length === 1, "alice's message");
      await mg.send(room, "hi, guest here");
      await mb.send(room, "bob too");
      await until(() => heard.alice!.length === 3 && heard.guest!.length === 3, "everyone's messages");
      expect([...heard.alice!].sort()).toEqual(["Alice: hello all", "Bob: bob too", "Guest: hi, guest here"]);
      await until(() => ma.occupants(room).length === 3, "three occupants");
      expect(
        ma
          .occupants(room)
          .map((o) => o.nick)
          .sort(),
      ).toEqual(["Alice", "Bob", "Guest"]);
      const archived = () =>
        mam({ xmpp: a.xmpp })
          .all({ archive: room })
          .then((r) => r.map((x) => x.message.getChildText("body")));
      await until(async () => (await archived()).length === 3, "room archive");
      expect((await archived()).sort()).toEqual(["bob too", "hello all", "hi, guest here"]);
      await mg.leave(room);
      await until(() => ma.occupants(room).length === 2, "guest left");
    } finally {
      await guest.stop();
    }
  });

  it("a members-only room keeps strangers out with a clear reason", async () => {
    const { a, b } = await pair();
    const room = `${globalThis.crypto.randomUUID()}@${server().mucDomain}`;
    await muc({ xmpp: a.xmpp }).create(room, "Alice", { membersOnly: true });
    await expect(muc({ xmpp: b.xmpp }).join(room, "Bob")).rejects.toThrow(/for invited people only/);
    await muc({ xmpp: a.xmpp }).invite(room, b.bare);
    await expect(muc({ xmpp: b.xmpp }).join(room, "Bob")).resolves.toEqual({ created: false });
  });
});

describe("F3 HTTP upload (XEP-0363)", () => {
  it("uploads an attachment and the link serves it back", async () => {
    const { alice } = await users("alice");
    const a = await loginAs(alice);
    const s = await disco({ xmpp: a.xmpp }).support();
    const up = upload({ xmpp: a.xmpp, service: s.upload! });
    const data = new TextEncoder().encode("minutes of the meeting\n");
    const url = await up.send({ name: "minutes.txt", contentType: "text/plain", data });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/file_share\/.+\/minutes\.txt$/);
    expect(await (await fetch(url)).text()).toBe("minutes of the meeting\n");
    await expect(up.slot({ name: "huge.bin", size: 11 * 1024 * 1024, contentType: "application/octet-stream" })).rejects.toThrow(
      /accepts files up to 10485760 bytes/,
    );
  });
});
