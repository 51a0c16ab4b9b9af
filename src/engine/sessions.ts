// F10–F13 sessions: a live chat room for an email's recipients (made, configured, invited to),
// its audience and records kept here (F12), rejoined after a restart, and its transcript for the
// banner beside the email that carries the invitation (F13).
import {
  CLAIMED_SOURCES,
  invitationHtml,
  invitationLink,
  invitationText,
  invitationUri,
  newSessionId,
  roomJid,
  UserFacingError,
  type Invitation,
  type Session,
} from "../core";
import type { Mam } from "../xmpp/mam";
import type { Muc } from "../xmpp/muc";
import { conditionOf } from "../xmpp/stanza-error";
import type { EngineContext } from "./context";
import type { Transcript } from "./types";

/** The XMPP error condition of a failure (a StanzaError's or a MucError's), if it has one. */
/** The room is gone, or its archive is closed to this user: for the user, the session has ended. */
const ENDED = new Set(["item-not-found", "gone", "forbidden", "not-allowed", "registration-required", "recipient-unavailable"]);

/** A chat service the user chose: their server's own, or one under their account's domain. */
function ownServer(mucDomain: string, serversMuc: string | undefined, account: string): boolean {
  const d = mucDomain.toLowerCase();
  const home = account.slice(account.indexOf("@") + 1).toLowerCase();
  return d === serversMuc?.toLowerCase() || d === home || d.endsWith(`.${home}`);
}

/** Most participants a session names in its audience (a flood of guests must not grow its row without end). */
const MAX_AUDIENCE = 500;

export function sessionsPart(ctx: EngineContext) {
  const { store, clock, me } = ctx;
  const nick = () => me.split("@")[0] ?? "host";

  // updates of one session's row (its audience) are queued, so none is lost; what is said is
  // appended as records of its own, never by rewriting the session
  const queues = new Map<string, Promise<void>>();
  function updateSession(room: string, change: (s: Session) => Session | undefined): Promise<void> {
    const id = room.split("@")[0] ?? "";
    const next = (queues.get(id) ?? Promise.resolve())
      .then(async () => {
        const s = await store.sessions.summary(id);
        if (!s || s.room !== room) return;
        const updated = change(s);
        if (updated) await store.sessions.put(updated); // no records named: the kept ones stay
      })
      .catch((err) => ctx.report("session record", err));
    queues.set(id, next);
    return next;
  }
  /** Keeps what was said in one of the user's sessions (someone else's room is not recorded here). */
  async function record(room: string, records: Session["records"]): Promise<void> {
    const id = room.split("@")[0] ?? "";
    const s = await store.sessions.summary(id);
    if (s?.room === room && records.length) await store.sessions.addRecords(id, records);
  }

  /** F12: who comes into the user's rooms and what is said there, as it happens. */
  function track(m: Muc) {
    m.onOccupant((room, o, present) => {
      const own = ctx.online()?.conn.bare.toLowerCase();
      if (!present || (o.jid && o.jid.toLowerCase() === own)) return;
      // bounded: a room flooded by guests names the first MAX_AUDIENCE of them
      void updateSession(room, (s) =>
        s.audience.length >= MAX_AUDIENCE || s.audience.some((a) => a.who === o.nick)
          ? undefined
          : { ...s, audience: [...s.audience, { who: o.nick, joinedAt: clock.now() }] },
      );
    });
    m.onMessage(
      (msg) =>
        void record(msg.room, [
          { at: msg.stamp ?? clock.now(), from: msg.nick, text: msg.body, id: msg.stanzaId ?? msg.id ?? `${msg.nick}-${clock.now()}` },
        ]).catch((err) => ctx.report("session record", err)),
    );
  }

  /** What a room's archive holds, as session records (the speaker's nickname, in archive order). */
  async function roomArchive(mam: Mam, room: string): Promise<Session["records"]> {
    const out: Session["records"] = [];
    for (const h of await mam.all({ archive: room }, 1000)) {
      const text = h.message.getChildText("body");
      const from = (h.message.attrs.from ?? "").split("/")[1];
      if (text && from) out.push({ at: h.stamp, from, text, id: h.archiveId });
    }
    return out;
  }

  /** After a restart: back into this week's sessions, and what was said meanwhile from the room's archive. */
  async function rejoin(): Promise<void> {
    const { features } = ctx.need();
    for (const s of await store.sessions.recent(clock.now() - 7 * 86_400_000)) {
      if (s.createdBy !== me) continue;
      try {
        await features.muc.join(s.room, nick(), { password: s.access?.password });
        await record(s.room, await roomArchive(features.mam, s.room));
      } catch (err) {
        if (ENDED.has(String(conditionOf(err)))) continue; // a session that ended (room gone) is left alone
        ctx.report(`rejoining the chat session ${s.room}`, err);
      }
    }
  }

  /** What the email carries for a session: the content, its HTML and its plain line. */
  function invitationOf(s: Session) {
    const content = {
      ...s.invitation!,
      inviter: s.createdBy,
      subject: s.origin?.subject || undefined,
      membersOnly: s.access?.membersOnly,
      passwordNeeded: !!s.access?.password,
    };
    return { ...content, html: invitationHtml(content), text: invitationText(content) };
  }
  const inviteReason = (subject?: string) => (subject ? `Chat about "${subject}"` : undefined);

  /**
   * F10/F12: a live chat session for an email's recipients — a UUID room, each recipient
   * invited (XEP-0249, and made a member), the session kept with its audience; the first
   * record is the invitation itself.
   */
  /** Given a join page, the invitation has its web `link` (typed so); without one, only the xmpp: `uri`. */
  async function createSession<J extends string | undefined = undefined>(o: {
    recipients: string[];
    subject?: string;
    joinPage?: J;
    iconUrl?: string;
    membersOnly?: boolean;
    password?: string;
    messageId?: string;
  }) {
    const { features, support } = ctx.need();
    if (!support.muc)
      throw new UserFacingError(
        "no-group-chat",
        "This XMPP server offers no group chat, so no chat session can be made.",
        "Ask your administrator to enable MUC (XEP-0045).",
      );
    const session = newSessionId();
    const room = roomJid({ session, mucDomain: support.muc });
    const asked = { membersOnly: o.membersOnly ?? false, password: o.password || undefined };
    // the room may be made members-only beyond what was asked (its archive could not be closed
    // otherwise): the email then says so
    const made = await features.muc.create(room, nick(), { ...asked, name: o.subject });
    const access = { ...asked, membersOnly: made.membersOnly };
    // the user's nickname stays theirs while they are away (guests and records go by nickname);
    // a server that cannot reserve it still has the session
    await features.muc.reserveNick(room, nick()).catch((err) => ctx.report(`reserving your name in ${room}`, err));
    const invited: string[] = [];
    for (const r of o.recipients) {
      try {
        const { jid, source, needsConfirmation } = await ctx.mapper.resolve(r);
        // an address only a mail claims is not made a member of the user's room unasked: that
        // recipient joins by the link in the email
        if (needsConfirmation && CLAIMED_SOURCES.has(source)) continue;
        await features.muc.invite(room, jid, inviteReason(o.subject), access.password);
        invited.push(jid);
      } catch (err) {
        // an address that cannot be mapped or invited still gets the link in the email; the
        // popup names only the people invited by IM
        ctx.report(`inviting ${r}`, err);
      }
    }
    // no join page set up: no web link at all (never one that works for nobody), the xmpp: URI stays
    const link = o.joinPage ? invitationLink(o.joinPage, { session, mucDomain: support.muc, from: me }) : undefined;
    const invitation = { ...(link ? { link } : {}), uri: invitationUri({ session, mucDomain: support.muc }), iconUrl: o.iconUrl };
    const now = clock.now();
    const row: Session = {
      id: session,
      room,
      createdAt: now,
      createdBy: me,
      origin: { messageId: o.messageId, subject: o.subject ?? "" },
      invited,
      audience: [],
      records: [],
      invitation,
      access,
    };
    const written = invitationOf(row);
    row.records.push({ at: now, from: me, text: written.text, id: `invitation-${session}` });
    await store.sessions.put(row);
    ctx.count("invitationsCreated");
    return { session, room, invited, ...written } as typeof written & { session: string; room: string; invited: string[] } & (J extends string
        ? { link: string }
        : unknown);
  }

  /**
   * F10 options, changed after the session was made (the invite UIs make it at once, with the
   * room open to anyone holding the link): members-only and/or a room password. The invited
   * people get the password in a new direct invitation; the email's text says to ask for it.
   */
  async function configureSession(id: string, access: { membersOnly: boolean; password?: string }) {
    const s = await store.sessions.get(id);
    if (!s?.invitation || s.createdBy !== me) throw new UserFacingError("invalid-invitation", "This chat session was not made here.", "Make a new invitation.");
    const { features } = ctx.need();
    const asked = { membersOnly: access.membersOnly, password: access.password || undefined };
    const made = await features.muc.configure(s.room, { ...asked, name: s.origin?.subject || undefined });
    const next = { ...asked, membersOnly: made.membersOnly };
    if (next.password && next.password !== s.access?.password) {
      for (const jid of s.invited) {
        await features.muc
          .invite(s.room, jid, inviteReason(s.origin?.subject), next.password)
          .catch((err) => ctx.report(`giving ${jid} the room password`, err)); // the others still get it
      }
    }
    const updated: Session = { ...s, access: next };
    const written = invitationOf(updated);
    // the invitation's record says what the email says now; the other records stay as they are
    updated.records = s.records.filter((r) => r.id === `invitation-${id}`).map((r) => ({ ...r, text: written.text }));
    await store.sessions.put(updated);
    return { session: id, room: s.room, invited: s.invited, ...written };
  }

  /**
   * F13: the transcript of the session an email carries. The user's own session: its audience and
   * records (brought up to date from the room's archive when connected). Somebody else's: what the
   * room's archive gives. A room that is gone has ended; a server that cannot be asked is said so.
   */
  async function transcript(inv: Invitation): Promise<Transcript> {
    const room = roomJid(inv).toLowerCase();
    const own = await store.sessions.get(inv.session);
    const kept = new Map((own?.records ?? []).map((r) => [r.id, r]));
    let archived: Transcript["records"] | undefined;
    let ended = false;
    let unreachable = false;
    let subject = own?.origin?.subject ?? "";
    const o = ctx.online();
    // F14: displaying an email makes no request to a server the user has not chosen
    const elsewhere = !own && !!o && !ownServer(inv.mucDomain, o.support.muc, o.conn.bare);
    if (!o) unreachable = true;
    else if (!elsewhere) {
      try {
        // the room's name is the email's subject (set when it was made); a nameless room answers its id
        const name = (await o.features.disco.info(room)).identities.find((i) => i.category === "conference")?.name ?? "";
        if (!subject && name && name.toLowerCase() !== inv.session) subject = name;
        archived = (await roomArchive(o.features.mam, room)).map((r) => kept.get(r.id) ?? r);
      } catch (err) {
        if (ENDED.has(String(conditionOf(err)))) ended = true;
        else {
          unreachable = true; // a timeout or a dropped connection says nothing about the room
          ctx.report(`reading the chat session ${room}`, err);
        }
      }
    }
    // the invitation first, then the archive in its own order (its stamps are whole seconds),
    // then anything kept here that the archive no longer has
    const inArchive = new Set(archived?.map((r) => r.id));
    const invitation = [...kept.values()].filter((r) => r.id === `invitation-${inv.session}`);
    const rest = [...kept.values()].filter((r) => !inArchive.has(r.id) && !invitation.includes(r)).sort((a, b) => a.at - b.at);
    const all = archived ? [...invitation, ...archived, ...rest] : [...invitation, ...rest];
    if (own && archived) void record(room, archived).catch((err) => ctx.report("session record", err));
    return {
      session: inv.session,
      room,
      own: !!own,
      ended,
      unreachable,
      ...(elsewhere ? { elsewhere } : {}),
      subject,
      inviter: own?.createdBy ?? "",
      audience: own?.audience ?? [],
      invited: own?.invited ?? [],
      records: all,
    };
  }

  return { track, rejoin, createSession, configureSession, transcript, session: (id: string) => store.sessions.get(id) };
}
