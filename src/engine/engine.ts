// The engine: mapping → presence → send with history → outcome (F1–F8), the offline decision
// (F6), the outbox loop, incoming IMs with their history (F3, F4), contacts and requests
// (F14, F17), sessions (F10–F13), reply by email (F9) and usage (F22). It runs unchanged in Node
// and in a page; hosts give it an account, a store and the address-book and mail lookups.
// This file wires the parts (each a factory over one explicit context, in the xmpp.js manner)
// and owns the order of start and stop.
import { batchedUsage, type Exchange } from "../core";
import { Emitter } from "../core/emitter";
import { carbons } from "../xmpp/carbons";
import { chat, type ChatState } from "../xmpp/chat";
import type { Connection } from "../xmpp/connection";
import { disco } from "../xmpp/disco";
import { bareOf } from "../xmpp/jids";
import { readIncoming } from "../xmpp/incoming";
import { mam } from "../xmpp/mam";
import { muc } from "../xmpp/muc";
import { presence } from "../xmpp/presence";
import { receipts } from "../xmpp/receipts";
import { contactsPart } from "./contacts";
import { createContext, type Online } from "./context";
import { receivingPart } from "./receiving";
import { sendingPart } from "./sending";
import { sessionsPart } from "./sessions";
import { avatarsPart } from "./avatars";
import { endpointPart } from "./endpoint";
import { mailHistoryPart } from "./mail-history";
import type { EngineOptions, Events } from "./types";

export * from "./types";

export function createEngine(options: EngineOptions) {
  const { store } = options;
  const events = new Emitter<Events>();
  const usage = batchedUsage(store.usage, { onError: (err) => ctx.report("usage figures", err) });
  let online: Online | undefined;
  let tick: ReturnType<typeof setInterval> | undefined;
  // a usage figure that could not be written is reported; the action it counts goes on
  const ctx = createContext(
    options,
    events,
    (name, n = 1) => usage.count(name, n),
    () => online,
  );
  const { clock, mapper } = ctx;

  const contacts = contactsPart(ctx);
  const sending = sendingPart(ctx);
  const receiving = receivingPart(ctx, contacts);
  const sessions = sessionsPart(ctx);
  const avatars = avatarsPart(ctx);
  const endpoint = endpointPart(ctx);
  const mail = mailHistoryPart(ctx, contacts);

  /** Connects and brings everything up; a failure on the way closes what was opened, so a retry starts clean. */
  async function start() {
    await store.db.open();
    const conn = await endpoint.connect();
    try {
      online = await bringUp(conn);
    } catch (err) {
      online = undefined;
      await conn.stop().catch((e) => ctx.report("closing a half-started connection", e));
      throw err;
    }
    tick = setInterval(() => void sending.kick(), options.outboxTickMs ?? 5000); // kick reports its own failures
    void sending.kick();
    return { support: online.support };
  }

  async function bringUp(conn: Connection): Promise<Online> {
    const xmpp = conn.xmpp;
    const p = presence({ xmpp, approve: options.approveSubscription ?? contacts.isKnown });
    const features = {
      presence: p,
      chat: chat({ xmpp }),
      receipts: receipts({ xmpp }),
      mam: mam({ xmpp }),
      disco: disco({ xmpp }),
      muc: muc({ xmpp }),
      carbons: carbons({ xmpp }),
    };
    const background = (where: string, work: () => Promise<unknown>) => void work().catch((err) => ctx.report(where, err));
    features.receipts.onAcked((id) => sending.acked(id));
    features.receipts.onBounced((id, condition, text) => background("a message that came back", () => sending.bounced(id, condition, text)));
    features.receipts.onDelivered((id) => background("a delivery receipt", () => sending.delivered(id)));
    features.chat.onMessage((m) => {
      const read = readIncoming(m.stanza, { own: conn.bare, fallbackKey: () => `${m.bare}:${clock.now()}:${m.body.slice(0, 50)}` });
      if (read) background("an incoming IM", () => receiving.incoming(read));
    });
    features.chat.onState((bare, state) => events.emit("typing", bare, state));
    features.carbons.onCarbon((d, m) => background("a copy from another device", () => receiving.carbon(d, m)));
    p.onChange((bare, available) => {
      events.emit("presence", bare, available);
      if (available) background("sending kept IMs", () => sending.outbox.contactOnline(bare));
    });
    p.onRequest((bare) => {
      events.emit("request", bare);
      events.emit("contacts");
    });
    p.onRoster(() => {
      events.emit("contacts");
      background("held receipts", receiving.releaseReceipts); // a stranger may be a contact now (F14)
    });
    conn.onStatus((s, e) => {
      events.emit("status", s, e);
      if (s === "online")
        background("resuming after a reconnection", async () => {
          await sending.outbox.requeueUnconfirmed();
          await p.announce();
          await sending.kick();
        });
    });
    sessions.track(features.muc);
    const support = await features.disco.support();
    const up: Online = { conn, features, support };
    online = up; // the parts below ask for the connection
    const [archive] = await Promise.all([support.mam ? features.mam.archives() : undefined, support.carbons ? features.carbons.enable() : undefined]);
    support.archivesAll = archive === "always";
    // presence first, then the archive: an IM that reaches the server in between is live or archived,
    // never left waiting (each is shown once, whichever way it comes)
    await p.announce();
    await receiving.backfill().catch((err) => ctx.report("reading the archive", err)); // the history fills in next time
    await sending.outbox.resume();
    background("rejoining chat sessions", () => sessions.rejoin());
    return up;
  }

  async function stop() {
    clearInterval(tick);
    await usage.flush().catch((err) => ctx.report("usage figures", err));
    const o = online;
    online = undefined;
    await o?.conn.stop();
  }

  return {
    events,
    mapper,
    /** People's names (F26): `await people.nameOf({ email, jid })`. */
    people: ctx.people,
    /** People's published pictures (F26), kept: `cached(jid)` at once, `refresh(jid)` in the background. */
    avatars,
    usage,
    outbox: sending.outbox,
    start,
    stop,
    /** F1: the IM, sent; the user writing to a stranger makes them known: their held receipts go out (F14). */
    replyViaIm: async (...args: Parameters<typeof sending.replyViaIm>) => {
      const out = await sending.replyViaIm(...args);
      void receiving.releaseReceipts().catch((err) => ctx.report("held receipts", err));
      return out;
    },
    decide: sending.decide,
    replyByEmail: mail.replyByEmail,
    /** F10–F13: the sessions the user starts from a draft, their access, a transcript, a kept one by id. */
    sessions: {
      create: sessions.createSession,
      configure: sessions.configureSession,
      transcript: sessions.transcript,
      get: sessions.session,
    },
    /** F14/F17: who is known, the requests waiting for the person's decision, and the contact list. */
    contacts: {
      isKnown: contacts.isKnown,
      requests: contacts.requests,
      accept: contacts.acceptRequest,
      refuse: contacts.refuseRequest,
      list: contacts.contacts,
      add: contacts.addContact,
      remove: contacts.removeContact,
    },
    /**
     * XEP-0085: the user typing, told to a known person only (a stranger, or an address an email
     * claims and the user has not confirmed, learns nothing from the window being open).
     */
    tellTyping: async (jid: string, state: ChatState) => {
      const online = ctx.online(); // not connected: nothing to tell, a state is no message
      if (online && (await contacts.isKnown(bareOf(jid)))) await online.features.chat.sendState(jid, state);
    },
    backfill: receiving.backfill,
    /** Acks and receipts still awaited (each ends with its answer or its time). */
    pending: sending.pending,
    /** An outgoing IM's current row (state, reason, transitions). */
    item: (id: string) => store.outbox.get(id),
    /**
     * The user's IMs to a person that the IM window shows with their state, oldest first: those
     * still waiting (asked, kept, on their way, failed) and those that reached them in the last day.
     */
    outgoingTo: async (counterpart: string) => {
      const since = clock.now() - 86_400_000;
      return (await store.outbox.inStates(["asked", "unavailable", "queued", "checking", "sending", "sent", "failed", "delivered"]))
        .filter((i) => i.counterpart === counterpart && (i.state !== "delivered" || i.createdAt >= since))
        .sort((a, b) => a.createdAt - b.createdAt);
    },
    recordEmail: mail.recordEmail,
    forgetOlderThan: mail.forgetOlderThan,
    history: mail.history,
    get connection() {
      return online?.conn;
    },
    get features() {
      return ctx.need().features;
    },
    get support() {
      return online?.support;
    },
    /** Where the engine connects and how that was found (the doctor and Options say it). */
    get endpoint() {
      return endpoint.current;
    },
  };
}
export type Engine = ReturnType<typeof createEngine>;
export type { Exchange };
