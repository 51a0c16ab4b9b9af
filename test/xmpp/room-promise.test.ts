// F10–F12 rooms that keep their promise (issue 21, item 5), on the run's Prosody and ejabberd.
// The attacks come from outside the engine, as raw stanzas from other accounts:
// - someone who has the link but not the password (an account of the server, or an anonymous
//   guest) asks the room's archive (XEP-0313 to the room JID) without joining — neither server
//   checks the password there (Prosody's mod_muc_mam checks members-only, ejabberd's mod_mam
//   members-only or being in the room), so the add-in must close the archive another way;
// - a guest takes the inviter's nickname while the inviter is away (the join page and the
//   records attribute by nickname): the add-in reserves it with the room or the service.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { xml } from "@xmpp/client";
import type { Element } from "@xmpp/xml";
import { startProsody } from "../../scripts/prosody.mjs";
import { connect, type Connection } from "../../src/xmpp/connection";
import { mam } from "../../src/xmpp/mam";
import { muc, type RoomMessage } from "../../src/xmpp/muc";
import { stopEngines, testEngine } from "../kit/engine";
import { loginAs, logoutAll, server, servers, until, usersOn, type XmppServer } from "../kit/xmpp";

const guests: Connection[] = [];
afterEach(async () => {
  await Promise.all(guests.splice(0).map((g) => g.stop()));
  await stopEngines();
  await logoutAll();
});

const NS_MAM = "urn:xmpp:mam:2";

/** A raw MAM query to the room from `conn`, who is not in it: the bodies it reads, or the server's refusal. */
async function outsideRead(conn: Connection, room: string): Promise<string[] | { refused: string }> {
  const queryid = `outside-${globalThis.crypto.randomUUID()}`;
  const bodies: string[] = [];
  const collect = (st: Element) => {
    const result = st.is("message") ? st.getChild("result", NS_MAM) : undefined;
    if (result?.attrs.queryid !== queryid) return;
    const body = result.getChild("forwarded", "urn:xmpp:forward:0")?.getChild("message")?.getChildText("body");
    if (body) bodies.push(body);
  };
  conn.xmpp.on("stanza", collect);
  try {
    await conn.xmpp.iqCaller.request(xml("iq", { type: "set", to: room }, xml("query", { xmlns: NS_MAM, queryid })));
    return bodies;
  } catch (err) {
    return { refused: String((err as { condition?: string }).condition ?? err) };
  } finally {
    conn.xmpp.removeListener("stanza", collect);
  }
}

async function guestOn(info: XmppServer) {
  const g = await connect({ account: { service: info.service, jid: info.guestDomain, resource: "join-page" } });
  guests.push(g);
  return g;
}

/** What the join page does: listen, join with the password, then read the archive (a closed one gives nothing). */
async function joinPageRead(conn: Connection, room: string, nick: string, password: string): Promise<string[]> {
  const m = muc({ xmpp: conn.xmpp });
  const heard: string[] = [];
  m.onMessage((msg: RoomMessage) => msg.room === room && heard.push(msg.body));
  await m.join(room, nick, { password });
  const archived = await mam({ xmpp: conn.xmpp })
    .all({ archive: room }, 500)
    .catch(() => []);
  for (const h of archived) {
    const body = h.message.getChildText("body");
    if (body && !heard.includes(body)) heard.push(body);
  }
  return heard;
}

const said = (heard: string[] | { refused: string }) => (Array.isArray(heard) ? heard : []);

describe.each(servers())("F10 rooms that keep their promise, on %s", (_name, info) => {
  /** `later`: the room made open, then changed (as the invite UIs do); "after talk": with a line said while it was open. */
  async function aliceWithSession(access: { password?: string; membersOnly?: boolean; later?: false | "before talk" | "after talk" }) {
    const { alice, bob, carol } = await usersOn(info, "alice", "bob", "carol");
    const a = testEngine(alice);
    await a.start();
    const s = access.later
      ? await a.sessions.create({ recipients: [bob.jid], subject: "Budget 2027" })
      : await a.sessions.create({ recipients: [bob.jid], subject: "Budget 2027", password: access.password, membersOnly: access.membersOnly });
    if (access.later === "after talk") await a.features.muc.send(s.room, "Said while the room was open.");
    if (access.later) await a.sessions.configure(s.session, { membersOnly: !!access.membersOnly, password: access.password });
    await a.features.muc.send(s.room, "The budget is 40k, keep it to us.");
    return { a, s, alice, bob, carol };
  }

  const laters = [
    ["made with it", false],
    ["set after the session was made", "before talk"],
    ["set after a line was said in the open room", "after talk"],
  ] as const;
  describe.each(laters)("a password-only room (%s)", (_how, later) => {
    it("its archive is not read by someone with the link and no password: an account of the server or a guest", async () => {
      const { s, carol } = await aliceWithSession({ password: "tulip-42", later });
      const stranger = await loginAs(carol);
      const guest = await guestOn(info);
      const asStranger = await outsideRead(stranger, s.room);
      const asGuest = await outsideRead(guest, s.room);
      for (const secret of ["The budget is 40k, keep it to us.", "Said while the room was open."]) {
        expect(said(asStranger)).not.toContain(secret);
        expect(said(asGuest)).not.toContain(secret);
      }
    });
  });

  it("a password-only room: the invited, with the password, still see what was said before they came", async () => {
    const { s, bob } = await aliceWithSession({ password: "tulip-42" });
    const b = await loginAs(bob);
    expect(await joinPageRead(b, s.room, "Bob", "tulip-42")).toContain("The budget is 40k, keep it to us.");
  });

  // what each server enforces decides how the archive is closed (src/xmpp/muc.ts configure)
  if (info.kind === "prosody") {
    it("a password-only room keeps no archive: a guest with the link and the password joins and gets the history with the join", async () => {
      const { a, s } = await aliceWithSession({ password: "tulip-42" });
      expect((await a.sessions.get(s.session))!.access).toEqual({ membersOnly: false, password: "tulip-42" });
      const guest = await guestOn(info);
      expect(await joinPageRead(guest, s.room, "Visitor", "tulip-42")).toEqual(["The budget is 40k, keep it to us."]);
    });
    it("a room whose archive holds what was said while it was open is made members-only when a password is set, and its email says so", async () => {
      const { a, s } = await aliceWithSession({ password: "tulip-42", later: "after talk" });
      const row = (await a.sessions.get(s.session))!;
      expect(row.access).toEqual({ membersOnly: true, password: "tulip-42" });
      expect(row.records[0]!.text).toContain("Only the invited XMPP addresses can join");
    });
  } else {
    it("a password-only room is made members-only (its archive, even off, serves the room's history): a guest with the password is refused, the email says so", async () => {
      const { a, s } = await aliceWithSession({ password: "tulip-42" });
      const row = (await a.sessions.get(s.session))!;
      expect(row.access).toEqual({ membersOnly: true, password: "tulip-42" });
      expect(row.records[0]!.text).toContain("Only the invited XMPP addresses can join");
      const guest = await guestOn(info);
      await expect(joinPageRead(guest, s.room, "Visitor", "tulip-42")).rejects.toMatchObject({ condition: "registration-required" });
    });
  }

  it("a members-only room: an outsider's archive query is refused, the invited member reads it", async () => {
    const { s, bob, carol } = await aliceWithSession({ membersOnly: true });
    expect(await outsideRead(await loginAs(carol), s.room)).toEqual({ refused: "forbidden" });
    expect(await outsideRead(await guestOn(info), s.room)).toEqual({ refused: "forbidden" });
    const b = await loginAs(bob);
    expect(await joinPageRead(b, s.room, "Bob", "")).toContain("The budget is 40k, keep it to us.");
  });

  it("an open room (anyone with the link) keeps its archive for the link's holders", async () => {
    const { s } = await aliceWithSession({});
    const guest = await guestOn(info);
    await until(async () => said(await outsideRead(guest, s.room)).includes("The budget is 40k, keep it to us."), "the open room's archive");
  });

  describe("the inviter's nickname stays theirs", () => {
    /** A raw join as `nick`: the server's answer (joined, or the error condition). */
    async function tryNick(conn: Connection, room: string, nick: string): Promise<string> {
      return muc({ xmpp: conn.xmpp })
        .join(room, nick)
        .then(
          () => "joined",
          (err: { condition?: string }) => `refused: ${err.condition}`,
        );
    }
    /** A raw nickname change of an occupant to `nick` (presence to the new room JID): its answer. */
    function changeNick(conn: Connection, room: string, nick: string): Promise<string> {
      return new Promise((resolve) => {
        const seen = (st: Element) => {
          if (!st.is("presence") || st.attrs.from !== `${room}/${nick}`) return;
          conn.xmpp.removeListener("stanza", seen);
          resolve(st.attrs.type === "error" ? `refused: ${st.getChild("error")?.getChildElements()[0]?.name}` : "changed");
        };
        conn.xmpp.on("stanza", seen);
        void conn.xmpp.send(xml("presence", { to: `${room}/${nick}` }));
      });
    }

    it("while the inviter is away, a guest cannot join under their nickname, nor change to it; the inviter comes back under it", async () => {
      const { alice } = await usersOn(info, "alice");
      const a = testEngine(alice);
      await a.start();
      const s = await a.sessions.create({ recipients: [], subject: "Budget 2027" });
      const theirs = alice.jid.split("@")[0]!;
      await a.stop(); // away: the room is empty of her

      const guest = await guestOn(info);
      expect(await tryNick(guest, s.room, theirs)).toMatch(/^refused: conflict$/);
      expect(await tryNick(guest, s.room, "Visitor")).toBe("joined");
      expect(await changeNick(guest, s.room, theirs)).toBe("refused: conflict");

      const back = await loginAs(alice);
      expect(await tryNick(back, s.room, theirs)).toBe("joined");
    });
  });
});

describe("F10 a password-only room on a Prosody that archives every room (muc_log_all_rooms: no switch for the owner)", () => {
  it("is made members-only: an outsider's archive query is refused", async () => {
    const prosody = await startProsody({
      dir: await mkdtemp(join(tmpdir(), "rvi-room-all-logged-")),
      tls: server().tls,
      users: { alice: "alice-pw", carol: "carol-pw" },
      extraConfig: `Component "conference.localhost" "muc" { muc_log_all_rooms = true }`,
    });
    try {
      const on = (user: string) => ({ service: prosody.service, jid: `${user}@localhost`, password: `${user}-pw`, resource: "room-promise" });
      const a = testEngine(on("alice"));
      await a.start();
      const s = await a.sessions.create({ recipients: [], subject: "Budget 2027", password: "tulip-42" });
      expect((await a.sessions.get(s.session))!.access).toEqual({ membersOnly: true, password: "tulip-42" });
      await a.features.muc.send(s.room, "The budget is 40k, keep it to us.");
      expect(await outsideRead(await loginAs(on("carol")), s.room)).toEqual({ refused: "forbidden" });
    } finally {
      await stopEngines();
      await logoutAll();
      await prosody.stop({ purge: true });
    }
  });
});
