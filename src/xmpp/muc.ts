// Multi-user chat (XEP-0045) for invitation sessions: rooms named by a UUID, created as instant
// rooms (or configured members-only / password-protected, with the archive closed to those
// without the password: see configure), joined and left; the creator's nickname reserved; direct
// invitations (XEP-0249) to the people on the email.
import { xml, type Client } from "@xmpp/client";
import type { Element } from "@xmpp/xml";
import { NS_DELAY } from "./chat";
import { bareOf, newId, resourceOf } from "./jids";
import { mam } from "./mam";
import { conditionOf, readStanzaError } from "./stanza-error";
import { Emitter } from "../core/emitter";
import { UserFacingError, type ProblemCode, type ProblemDetails } from "../core/errors";

const NS_MUC = "http://jabber.org/protocol/muc";
const NS_USER = "http://jabber.org/protocol/muc#user";
const NS_OWNER = "http://jabber.org/protocol/muc#owner";
const NS_ADMIN = "http://jabber.org/protocol/muc#admin";
const NS_CONFERENCE = "jabber:x:conference";
const NS_REGISTER = "jabber:iq:register";
const NS_MUC_REGISTER = "http://jabber.org/protocol/muc#register";
/** The one archive switch known to close the archive to MAM queries when off (Prosody's). */
const ARCHIVE_OFF_CLOSES = "muc#roomconfig_enablearchiving";
/** History asked with a password join, and kept by a room without an archive. */
const JOIN_HISTORY = 50;
/** Answers that say a server has no such registration, not that it refused ours. */
const NOT_OFFERED = new Set(["service-unavailable", "feature-not-implemented", "not-allowed"]);

export interface RoomOptions {
  membersOnly?: boolean;
  password?: string;
  persistent?: boolean;
  name?: string;
}
/** What a room was made (members-only may be more than asked: see configure). */
export interface RoomAccess {
  membersOnly: boolean;
  /** whether the room keeps an archive (off for a password-only room where that closes it) */
  archived: boolean;
}
export interface Occupant {
  nick: string;
  jid?: string;
  role: string;
  affiliation: string;
}
export interface RoomMessage {
  room: string;
  nick: string;
  body: string;
  id?: string;
  stanzaId?: string;
  stamp?: number;
  self: boolean;
}
export interface Invitation {
  room: string;
  from: string;
  reason?: string;
  password?: string;
}

/** What a room's XMPP error condition means to the person: the code a page says in their language. */
const CODE_OF: Record<string, ProblemCode> = {
  "registration-required": "room-members-only",
  "not-authorized": "room-password",
  "item-not-found": "room-gone",
  conflict: "nick-taken",
  forbidden: "banned",
  "service-unavailable": "room-unavailable",
  timeout: "timeout",
};

export class MucError extends UserFacingError {
  constructor(
    readonly condition: string,
    message: string,
    details: ProblemDetails = {},
  ) {
    super(CODE_OF[condition] ?? "server-error", message, "", { condition, ...details });
    this.name = "MucError";
  }
}

const MESSAGES: Record<string, string> = {
  "registration-required": "This chat session is for invited people only. Ask the sender to invite your address.",
  "not-authorized": "This chat session needs a password. Use the link from the invitation.",
  "item-not-found": "This chat session does not exist (any more). Ask the sender for a new invitation.",
  conflict: "Somebody in the session already uses that name. Choose another name.",
  forbidden: "You are banned from this chat session.",
  "service-unavailable": "The chat session is full or unavailable. Try again later.",
};

export function muc({ xmpp }: { xmpp: Client }) {
  const rooms = new Map<string, { nick: string; occupants: Map<string, Occupant> }>();
  const events = new Emitter<{ message: [RoomMessage]; occupant: [room: string, o: Occupant, present: boolean]; invite: [Invitation] }>();

  xmpp.on("stanza", (st: Element) => {
    const from = st.attrs.from ?? "";
    const room = bareOf(from);
    const state = rooms.get(room);
    if (st.is("presence") && state) {
      const x = st.getChild("x", NS_USER);
      const item = x?.getChild("item");
      const nick = resourceOf(from);
      if (!nick || !item) return;
      const o: Occupant = {
        nick,
        jid: item.attrs.jid ? bareOf(item.attrs.jid) : undefined,
        role: item.attrs.role ?? "none",
        affiliation: item.attrs.affiliation ?? "none",
      };
      const present = st.attrs.type !== "unavailable";
      if (present) state.occupants.set(nick, o);
      else state.occupants.delete(nick);
      events.emit("occupant", room, o, present);
    } else if (st.is("message") && st.attrs.type === "groupchat" && state) {
      const body = st.getChildText("body");
      if (body === null || body === undefined || st.getChild("subject")) return;
      const nick = resourceOf(from);
      const delay = Date.parse(st.getChild("delay", NS_DELAY)?.attrs.stamp ?? "");
      const sid = st.getChildren("stanza-id").find((s) => s.attrs.by === room)?.attrs.id;
      events.emit("message", {
        room,
        nick,
        body,
        id: st.attrs.id,
        stanzaId: sid,
        stamp: Number.isFinite(delay) ? delay : undefined,
        self: nick === state.nick,
      });
    } else if (st.is("message") && st.attrs.type !== "error") {
      const direct = st.getChild("x", NS_CONFERENCE);
      if (direct?.attrs.jid) {
        events.emit("invite", { room: bareOf(direct.attrs.jid), from: bareOf(from), reason: direct.attrs.reason, password: direct.attrs.password });
      }
    }
  });

  /**
   * Joins (creating when absent). Resolves with `created` when the room is new and locked.
   * History comes from the room's archive (MAM) unless asked: a join with a password asks for
   * it with the join, since a password-only room may keep no archive (see configure) — the
   * join is where the password is checked, so that is where its history may be given.
   */
  function join(room: string, nick: string, opts: { password?: string; maxHistory?: number } = {}): Promise<{ created: boolean }> {
    room = room.toLowerCase();
    rooms.set(room, { nick, occupants: new Map() });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => done(new MucError("timeout", `Joining ${room} took too long. Check your connection and try again.`)), 15_000);
      const onStanza = (st: Element) => {
        if (!st.is("presence") || bareOf(st.attrs.from) !== room) return;
        if (st.attrs.type === "error") {
          const cond = readStanzaError(st)!.condition;
          rooms.delete(room);
          return done(new MucError(cond, MESSAGES[cond] ?? `Could not join the chat session (${cond}).`));
        }
        const codes =
          st
            .getChild("x", NS_USER)
            ?.getChildren("status")
            .map((s) => s.attrs.code) ?? [];
        if (codes.includes("110")) done(undefined, { created: codes.includes("201") });
      };
      const done = (err?: Error, value?: { created: boolean }) => {
        clearTimeout(timer);
        xmpp.removeListener("stanza", onStanza);
        if (err) reject(err);
        else resolve(value!);
      };
      xmpp.on("stanza", onStanza);
      xmpp
        .send(
          xml(
            "presence",
            { to: `${room}/${nick}` },
            xml(
              "x",
              { xmlns: NS_MUC },
              opts.password ? xml("password", {}, opts.password) : undefined,
              xml("history", { maxstanzas: String(opts.maxHistory ?? (opts.password ? JOIN_HISTORY : 0)) }),
            ),
          ),
        )
        .catch((e: Error) => done(e));
    });
  }

  /**
   * Submits the room's configuration in the server's own words: the owner form is read first and
   * only the fields it names are sent (ejabberd answers bad-request to a field it does not know).
   * Servers name the archive switch differently: Prosody `muc#roomconfig_enablearchiving`,
   * ejabberd `mam`; a room form with neither archives as the service does (or not at all).
   *
   * A password must guard the archive too, and neither server asks for it there: a MAM query to
   * the room (XEP-0313) is checked only against members-only and bans (Prosody's mod_muc_mam,
   * ejabberd's mod_mam). So a password-only room keeps no archive where switching it off closes
   * it (Prosody: its query then reads only the empty store; the history comes with the join,
   * which asks the password), and is made members-only where it does not (ejabberd serves the
   * room's recent history to the same query with its archive off; Prosody with
   * `muc_log_all_rooms` offers no switch), or when its archive already holds what was said
   * while it was open. Resolves with what the room now is.
   */
  async function configure(room: string, o: RoomOptions, { fresh = false } = {}): Promise<RoomAccess> {
    const form = (await xmpp.iqCaller.get(xml("query", { xmlns: NS_OWNER }), room)).getChild("x", "jabber:x:data");
    const known = new Set((form?.getChildren("field") ?? []).map((f) => f.attrs.var as string).filter(Boolean));
    // what the user asked for must be honoured, not dropped because the server cannot do it
    const cannot = [
      o.membersOnly && !known.has("muc#roomconfig_membersonly") && "members-only",
      o.password && !known.has("muc#roomconfig_roomsecret") && "password-protected",
    ].filter(Boolean);
    if (cannot.length) {
      throw new MucError(
        "feature-not-implemented",
        `The chat service at ${room.split("@")[1]} cannot make a room ${cannot.join(" or ")}. Make the session without it, or ask your administrator.`,
      );
    }
    const passwordOnly = !!o.password && !o.membersOnly;
    const closable = known.has(ARCHIVE_OFF_CLOSES) && (fresh || !(await archiveHolds(room)));
    const access: RoomAccess = { membersOnly: !!o.membersOnly || (passwordOnly && !closable), archived: !(passwordOnly && closable) };
    const wanted: [string[], string][] = [
      [["muc#roomconfig_persistentroom"], o.persistent === false ? "0" : "1"],
      [["muc#roomconfig_membersonly"], access.membersOnly ? "1" : "0"],
      [["muc#roomconfig_publicroom"], "0"],
      [[ARCHIVE_OFF_CLOSES, "mam"], access.archived ? "1" : "0"],
      // an empty secret clears the password (Prosody reads the secret, not the boolean)
      [["muc#roomconfig_passwordprotectedroom"], o.password ? "1" : "0"],
      [["muc#roomconfig_roomsecret"], o.password ?? ""],
    ];
    // without an archive, the join's history is all a newcomer gets: as much of it as it asks
    if (!access.archived) wanted.push([["muc#roomconfig_historylength"], String(JOIN_HISTORY)]);
    if (o.name) wanted.push([["muc#roomconfig_roomname"], o.name]);
    const fields: [string, string][] = [["FORM_TYPE", "http://jabber.org/protocol/muc#roomconfig"]];
    for (const [names, value] of wanted) {
      const name = names.find((n) => known.has(n));
      if (name) fields.push([name, value]);
    }
    await xmpp.iqCaller.set(
      xml(
        "query",
        { xmlns: NS_OWNER },
        xml("x", { xmlns: "jabber:x:data", type: "submit" }, ...fields.map(([v, val]) => xml("field", { var: v }, xml("value", {}, val)))),
      ),
      room,
    );
    return access;
  }

  /** Whether the room's archive holds anything (asked as its owner, one item is enough). */
  async function archiveHolds(room: string): Promise<boolean> {
    const { items } = await mam({ xmpp })
      .page({ archive: room, max: 1 })
      .catch(() => ({ items: [] }));
    return items.length > 0;
  }

  /**
   * Reserves `nick` in `room` for this account (XEP-0045 §7.10), so nobody else enters under it
   * while we are away: the join page and the records name people by nickname. Prosody registers
   * nicknames with the room (kept with our owner affiliation, a conflict for any other JID);
   * ejabberd only with the service, for all its rooms. A nickname this account already has there
   * is kept (it is the user's choice, and it is theirs everywhere). Resolves with where it is
   * reserved, or `undefined` when the server offers neither.
   */
  async function reserveNick(room: string, nick: string): Promise<"room" | "service" | "kept" | undefined> {
    const form = xml(
      "query",
      { xmlns: NS_REGISTER },
      xml(
        "x",
        { xmlns: "jabber:x:data", type: "submit" },
        xml("field", { var: "FORM_TYPE" }, xml("value", {}, NS_MUC_REGISTER)),
        xml("field", { var: "muc#register_roomnick" }, xml("value", {}, nick)),
      ),
    );
    const unsupported = (err: unknown) => NOT_OFFERED.has(conditionOf(err));
    const fail = (err: unknown, where: string): never => {
      const condition = conditionOf(err);
      throw new MucError(
        condition,
        `The chat service did not reserve the name ${nick} for you ${where} (${condition}); somebody else may join under it while you are away.`,
      );
    };
    try {
      await xmpp.iqCaller.set(form, room);
      return "room";
    } catch (err) {
      if (!unsupported(err)) fail(err, "in this room");
    }
    const service = room.split("@")[1] ?? room;
    try {
      const info = await xmpp.iqCaller.get(xml("query", { xmlns: NS_REGISTER }), service);
      if (info.getChild("registered")) {
        const current = info.getChildText("nick") ?? info.getChildText("username");
        if (current && current !== nick) return "kept";
        if (current === nick) return "service";
      }
      await xmpp.iqCaller.set(form, service);
      return "service";
    } catch (err) {
      if (unsupported(err)) return undefined;
      return fail(err, `at ${service}`);
    }
  }

  return {
    join,
    /** Changes a room's configuration (owner only): members-only, password, name. */
    configure: (room: string, o: RoomOptions) => configure(room, o),
    /**
     * Creates a room (as owner) and configures it; an existing room is refused (UUIDs do not
     * collide). Resolves with what the room was made (see configure).
     */
    async create(room: string, nick: string, options: RoomOptions = {}): Promise<RoomAccess> {
      const { created } = await join(room, nick);
      if (!created) {
        await this.leave(room);
        throw new MucError("conflict", `The room ${room} exists already.`);
      }
      return configure(room, options, { fresh: true });
    },
    reserveNick,
    async leave(room: string) {
      const state = rooms.get(room);
      if (!state) return;
      rooms.delete(room);
      await xmpp.send(xml("presence", { to: `${room}/${state.nick}`, type: "unavailable" }));
    },
    send: (room: string, body: string, id = newId("muc")) =>
      xmpp.send(xml("message", { to: room, type: "groupchat", id }, xml("body", {}, body), xml("origin-id", { xmlns: "urn:xmpp:sid:0", id }))).then(() => id),
    occupants: (room: string) => [...(rooms.get(room)?.occupants.values() ?? [])],
    /** Makes `jid` a member (for members-only rooms) and sends a direct invitation (XEP-0249). */
    async invite(room: string, jid: string, reason?: string, password?: string) {
      await xmpp.iqCaller.set(xml("query", { xmlns: NS_ADMIN }, xml("item", { jid, affiliation: "member" })), room);
      await xmpp.send(xml("message", { to: jid, id: newId("inv") }, xml("x", { xmlns: NS_CONFERENCE, jid: room, reason, password })));
    },
    onMessage: (fn: (m: RoomMessage) => void) => events.on("message", fn),
    onOccupant: (fn: (room: string, o: Occupant, present: boolean) => void) => events.on("occupant", fn),
    onInvite: (fn: (i: Invitation) => void) => events.on("invite", fn),
  };
}
export type Muc = ReturnType<typeof muc>;
