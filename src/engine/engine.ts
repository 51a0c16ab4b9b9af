// The engine: mapping → presence → send with history → outcome (F1–F8), the offline decision
// (F6), the outbox loop, incoming IMs with their history (F3, F4), contacts and requests
// (F14, F17), sessions (F10–F13), reply by email (F9) and usage (F22). It runs unchanged in Node
// and in a page; hosts give it an account, a store and the address-book and mail lookups.
// This file wires the parts (each a factory over one explicit context, in the xmpp.js manner)
// and owns the order of start and stop.
import {
  batchedUsage,
  emailExchange,
  historyFor,
  nameFromHeader,
  normaliseEmail,
  threadToEmailDraft,
  type EmailDraft,
  type EmailInput,
  type Exchange,
  type HistoryOptions,
  type OriginalEmail,
} from "../core";
import { Emitter } from "../core/emitter";
import { carbons } from "../xmpp/carbons";
import { chat, type ChatState } from "../xmpp/chat";
import { connect, type Connection } from "../xmpp/connection";
import { endpointFor, type Discovered } from "../xmpp/discovery";
import type { LoginResult } from "../xmpp/sasl";
import { disco } from "../xmpp/disco";
import { bareOf } from "../xmpp/jids";
import { readIncoming } from "../xmpp/incoming";
import { mam } from "../xmpp/mam";
import { muc } from "../xmpp/muc";
import { presence } from "../xmpp/presence";
import { receipts } from "../xmpp/receipts";
import { contactsPart } from "./contacts";
import { counterpartForEmail, createContext, type Online } from "./context";
import { receivingPart } from "./receiving";
import { sendingPart } from "./sending";
import { sessionsPart } from "./sessions";
import { avatarsPart } from "./avatars";
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
  const { clock, me, mapper } = ctx;

  const contacts = contactsPart(ctx);
  const sending = sendingPart(ctx);
  const receiving = receivingPart(ctx, contacts);
  const sessions = sessionsPart(ctx);
  const avatars = avatarsPart(ctx);

  /** How the endpoint was found: typed or preset (the account names it), or discovered (XEP-0156). */
  let endpoint: { service: string; how: "given" | "discovered"; from?: string } | undefined;
  const domainOf = (jid: string) => jid.slice(jid.lastIndexOf("@") + 1).toLowerCase();
  const cache = {
    get: (domain: string) => store.state.get<Discovered>(`endpoint:${domain}`),
    set: (domain: string, d: Discovered) => store.state.set(`endpoint:${domain}`, d),
  };

  /** The account's own service, else the discovered one — found again when the kept one fails. */
  async function connectSomewhere(): Promise<Connection> {
    const login = { random: options.random, reconnect: options.reconnect, onLogin: (r: LoginResult) => events.emit("login", r) };
    const given = options.account.service;
    if (given) {
      endpoint = { service: given, how: "given" };
      return connect({ ...login, account: { ...options.account, service: given } });
    }
    const domain = domainOf(options.account.jid);
    const found = await endpointFor(domain, cache, { ...options.discovery, now: () => clock.now() });
    endpoint = { service: found.service, how: "discovered", from: found.from };
    try {
      return await connect({ ...login, account: { ...options.account, service: found.service } });
    } catch (err) {
      // the kept endpoint may be stale (the server moved): ask host-meta again, once
      // host-meta cannot be read now: the connection's own failure is the one to tell
      const again = await endpointFor(domain, cache, { ...options.discovery, now: () => clock.now(), fresh: true }).catch(() => found);
      if (again.service === found.service) throw err;
      endpoint = { service: again.service, how: "discovered", from: again.from };
      return connect({ ...login, account: { ...options.account, service: again.service } });
    }
  }

  /** Connects and brings everything up; a failure on the way closes what was opened, so a retry starts clean. */
  async function start() {
    await store.db.open();
    const conn = await connectSomewhere();
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
    if (support.carbons) await features.carbons.enable();
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

  /** F9: an email draft to the person behind an IM conversation, with the chat so far. */
  async function replyByEmail(who: string): Promise<EmailDraft> {
    const counterpart = await ctx.counterpartOf(who);
    const recent = await store.exchanges.recent(counterpart, { limit: 200 });
    const thread = recent
      .filter((x) => x.kind === "im")
      .slice(0, 50)
      .reverse();
    const lastEmail = recent.find((x) => x.kind === "email");
    const original: OriginalEmail | undefined = lastEmail
      ? { messageId: lastEmail.key, references: [], subject: lastEmail.subject ?? "", from: lastEmail.from, to: lastEmail.to }
      : undefined;
    ctx.count("repliesByEmail");
    return threadToEmailDraft({ thread, me, to: counterpart.replace(/^xmpp:/, ""), original });
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
    replyByEmail,
    createSession: sessions.createSession,
    configureSession: sessions.configureSession,
    transcript: sessions.transcript,
    session: sessions.session,
    isKnown: contacts.isKnown,
    /**
     * XEP-0085: the user typing, told to a known person only (a stranger, or an address an email
     * claims and the user has not confirmed, learns nothing from the window being open).
     */
    tellTyping: async (jid: string, state: ChatState) => {
      const online = ctx.online(); // not connected: nothing to tell, a state is no message
      if (online && (await contacts.isKnown(bareOf(jid)))) await online.features.chat.sendState(jid, state);
    },
    requests: contacts.requests,
    acceptRequest: contacts.acceptRequest,
    refuseRequest: contacts.refuseRequest,
    contacts: contacts.contacts,
    addContact: contacts.addContact,
    removeContact: contacts.removeContact,
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
    /** Records an email the host read, so it becomes part of the history with that person. */
    recordEmail: async (email: EmailInput, counterpartEmail: string) => {
      const c = normaliseEmail(counterpartEmail);
      // the name the header gives its sender is how the person is shown from now on (F26)
      await ctx.people.learn(email.from, nameFromHeader(email.from), "email", email.date);
      return store.exchanges.add(emailExchange(c, counterpartForEmail(email.from) === c ? "in" : "out", email));
    },
    /**
     * The retention setting: forgets exchanges older than `days` (0 keeps everything), and
     * strangers' IMs after STRANGER_RETENTION_DAYS whatever it says (F14). Returns how many.
     */
    forgetOlderThan: async (days: number) =>
      (await contacts.forgetStrangers()) + (days > 0 ? await store.exchanges.forgetBefore(clock.now() - days * 86_400_000) : 0),
    /** The history with a person, named by email address or JID. */
    history: async (who: string, opts?: HistoryOptions) => historyFor(store.exchanges, await ctx.counterpartOf(who), opts),
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
      return endpoint;
    },
  };
}
export type Engine = ReturnType<typeof createEngine>;
export type { Exchange };
