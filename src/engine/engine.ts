// The engine: mapping → presence → send with history → outcome (F1–F8), the offline decision
// (F6), the outbox loop, incoming IMs with their history (F3, F4), reply by email (F9) and usage
// (F22). It runs unchanged in Node and in a page; hosts give it an account, a store and the
// address-book and mail lookups.
import { xml } from "@xmpp/client";
import type { Element } from "@xmpp/xml";
import {
  advance, createMapper, invitationHtml, invitationLink, invitationText, invitationUri, newSessionId, roomJid, createOutbox, createUsage, DEFAULT_HISTORY, emailExchange, historyFor, imExchange, imToEmailDraft,
  isEmail, normaliseEmail, normaliseJid, storeTheirHistory, systemClock, threadToEmailDraft, UserFacingError, byteLength,
  type AttemptOutcome, type Clock, type EmailDraft, type EmailInput, type Exchange, type HistoryOptions, type MappingSources,
  type Invitation, type OriginalEmail, type OutboxItem, type Resolution, type RetryPolicy, type Session, type UsageCounter,
} from "../core";
import type { Store } from "../store";
import { carbons } from "../xmpp/carbons";
import { chat, readChat, type IncomingChat } from "../xmpp/chat";
import { connect, type Account, type Connection, type ConnectionError } from "../xmpp/connection";
import { disco, type ServerSupport } from "../xmpp/disco";
import { historyElement, NS_HISTORY, readHistory } from "../xmpp/history-payload";
import { bareOf, newId } from "../xmpp/jids";
import { mam, type Mam } from "../xmpp/mam";
import { muc, type Muc } from "../xmpp/muc";
import { presence } from "../xmpp/presence";
import { receipts } from "../xmpp/receipts";
import { upload, type UploadFile } from "../xmpp/upload";
import { Emitter } from "../core/emitter";

export interface EngineOptions {
  account: Account;
  /** The user's own email address (history and drafts name it). */
  me: string;
  store: Store;
  clock?: Clock;
  random?: () => number;
  retry?: RetryPolicy;
  lookups?: Pick<MappingSources, "cards" | "mailsFrom">;
  /** Who may see the user's presence (F14). Default: people the user has a mapping or history with. */
  approveSubscription?: (bare: string) => boolean | Promise<boolean>;
  /** How long to wait to learn a contact's presence before calling them unavailable. */
  presenceWaitMs?: number;
  /** How long replyViaIm waits for the contact's receipt before settling for "sent". */
  receiptWaitMs?: number;
  /** How often the outbox looks for due items. */
  outboxTickMs?: number;
  /** Largest IM (text + history) the engine will send. */
  maxMessageBytes?: number;
}

export type Choice = "keep" | "cancel" | "convert";

export interface Outcome {
  id: string;
  state: OutboxItem["state"];
  to: string;
  counterpart: string;
  mapping?: Resolution;
  reason?: string;
  draft?: EmailDraft;
  historyItems?: number;
}

export interface ReplyOptions {
  /** The email being answered: its sender is the recipient, and it threads a converted email. */
  original?: EmailInput & { references?: string[] };
  /** Overrides the mapping (a JID or an email address). */
  to?: string;
  /** History to attach; false for none. */
  history?: HistoryOptions | false;
  attachments?: UploadFile[];
  /** What to do when the contact is unavailable; default "ask" (return and let the user decide). */
  whenUnavailable?: "ask" | Choice;
}

/** F13: a session's transcript, for the banner beside the email that carries its invitation. */
export interface Transcript {
  session: string;
  room: string;
  /** The user made this session (its audience is known). */
  own: boolean;
  /** The room is gone (or its archive is closed to this user). */
  ended: boolean;
  subject: string;
  inviter: string;
  invited: string[];
  audience: { who: string; joinedAt: number }[];
  records: { at: number; from: string; text: string; id: string }[];
}

export interface IncomingIm {
  id: string;
  from: string;
  counterpart: string;
  text: string;
  at: number;
  history: { stored: number; items: Exchange[]; omitted: number; rejected?: string };
  known: boolean;
}

type Events = {
  state: [OutboxItem];
  message: [IncomingIm];
  presence: [string, boolean];
  status: ["online" | "offline" | "reconnecting", ConnectionError | undefined];
  request: [string];
  /** An IM from someone not known arrived and waits in the requests list (F14). */
  "request-im": [string];
  /** The contacts or the requests changed (F17): a view showing them reads them again. */
  contacts: [];
};

/** F17: the contacts view — the roster with presence and subscription, and the requests. */
export interface ContactsView {
  contacts: { jid: string; name?: string; online: boolean; subscription: "none" | "to" | "from" | "both"; waiting: boolean }[];
  requests: { from: string; text: string; count: number; at?: number }[];
}

export const MAX_MESSAGE_BYTES = 100_000;

export function createEngine(options: EngineOptions) {
  const { store } = options;
  const clock = options.clock ?? systemClock;
  const me = normaliseEmail(options.me);
  const events = new Emitter<Events>();
  const usage = createUsage(store.usage);
  const mapper = createMapper({ store: store.mappings, clock, ...options.lookups });
  const maxBytes = options.maxMessageBytes ?? MAX_MESSAGE_BYTES;
  const ackWaiters = new Map<string, (ok: boolean) => void>();
  let conn: Connection | undefined;
  let features: {
    presence: ReturnType<typeof presence>; chat: ReturnType<typeof chat>; receipts: ReturnType<typeof receipts>;
    mam: ReturnType<typeof mam>; disco: ReturnType<typeof disco>; muc: ReturnType<typeof muc>; carbons: ReturnType<typeof carbons>;
  } | undefined;
  let support: ServerSupport | undefined;
  let tick: ReturnType<typeof setInterval> | undefined;
  let draining = false;

  const count = (name: UsageCounter, n = 1) => usage.count(name, n).catch(() => {});
  const emitState = (item: OutboxItem | undefined) => item && events.emit("state", item);
  const f = () => {
    if (!features || !conn) throw new UserFacingError("unknown-address", "Not connected to the XMPP server.", "Check the XMPP account in the add-in's settings, and the network.");
    return features;
  };

  /** The person key of a JID: their email address when known, else the JID as an address. */
  async function counterpartOf(jid: string): Promise<string> {
    try {
      return (await mapper.reverse(jid)).email;
    } catch {
      return `xmpp:${bareOf(jid)}`;
    }
  }

  /**
   * F14, the no-IM-spam rule: someone is known when the user chose them — a roster contact, an
   * address mapping, an email or an IM the user's side exchanged with them (history they sent us
   * does not count), or an invitation to a session the user made. Their own IMs alone never make
   * a stranger known.
   */
  async function isKnown(bare: string): Promise<boolean> {
    if (((await store.meta.get<string[]>("accepted")) ?? []).includes(bare.toLowerCase())) return true;
    const item = features?.presence.rosterItem(bare);
    if (item && item.subscription !== "none") return true;
    if ((await store.mappings.byJid(bare)) !== undefined) return true;
    const who = await counterpartOf(bare);
    const ours = await store.exchanges.recent(who, { limit: 500 });
    if (ours.some((x) => x.origin === "ours" && (x.kind === "email" || x.direction === "out"))) return true;
    const sessions = await store.sessions.recent(clock.now() - 30 * 86_400_000);
    return sessions.some((s) => s.createdBy === me && s.invited.some((j) => j.toLowerCase() === bare.toLowerCase()));
  }
  const approveDefault = isKnown;

  /** F14: IMs from people who are not known wait in a requests list, unannounced, until accepted or refused. */
  interface Request { from: string; at: number; text: string; count: number }
  const requestsKey = "requests";
  const requestQueue: { last: Promise<unknown> } = { last: Promise.resolve() };
  function changeRequests(fn: (r: Request[]) => Request[]): Promise<Request[]> {
    const next = requestQueue.last.then(async () => {
      const list = fn((await store.meta.get<Request[]>(requestsKey)) ?? []);
      await store.meta.set(requestsKey, list);
      return list;
    });
    requestQueue.last = next.catch(() => undefined);
    return next;
  }
  async function requests(): Promise<Request[]> {
    return (await store.meta.get<Request[]>(requestsKey)) ?? [];
  }
  /** Accepting makes them a contact (roster, presence both ways) and lets their IMs through. */
  async function addTo(key: "accepted" | "refused", bare: string) {
    const list = (await store.meta.get<string[]>(key)) ?? [];
    if (!list.includes(bare)) await store.meta.set(key, [...list, bare]);
  }
  async function acceptRequest(bare: string): Promise<void> {
    bare = bare.toLowerCase();
    const ft = f();
    await addTo("accepted", bare);
    await ft.presence.approve(bare).catch(() => undefined);
    await ft.presence.subscribe(bare).catch(() => undefined);
    await changeRequests((r) => r.filter((x) => x.from !== bare));
    events.emit("contacts");
  }
  /** Refusing takes the request off the list for good and refuses them presence; their IMs stay stored, unannounced. */
  async function refuseRequest(bare: string): Promise<void> {
    bare = bare.toLowerCase();
    await addTo("refused", bare);
    await f().presence.deny(bare).catch(() => undefined);
    await changeRequests((r) => r.filter((x) => x.from !== bare));
    events.emit("contacts");
  }

  /** F17: the roster with presence and subscription state; requests: strangers' IMs and held presence requests. */
  async function contacts(): Promise<ContactsView> {
    const p = f().presence;
    const ims = await requests();
    const refused = (await store.meta.get<string[]>("refused")) ?? [];
    const asked = p.requests().filter((b) => !ims.some((r) => r.from === b) && !refused.includes(b)).map((from) => ({ from, text: "", count: 0 }));
    return {
      contacts: p.roster().filter((i) => i.subscription !== "remove").map((i) => ({
        jid: i.jid, name: i.name, online: p.isAvailable(i.jid), subscription: i.subscription as ContactsView["contacts"][number]["subscription"], waiting: i.ask === "subscribe",
      })).sort((a, b) => Number(b.online) - Number(a.online) || a.jid.localeCompare(b.jid)),
      requests: [...ims.map((r) => ({ from: r.from, text: r.text, count: r.count, at: r.at })), ...asked],
    };
  }
  /** Adds a contact by address: presence offered and asked for (they see it accepted when they accept). */
  async function addContact(address: string): Promise<string> {
    const bare = normaliseJid(address);
    await acceptRequest(bare);
    events.emit("contacts");
    return bare;
  }
  /** Removes a contact: off the roster, presence no longer shared either way; stored IMs stay. */
  async function removeContact(bare: string): Promise<void> {
    bare = bare.toLowerCase();
    await f().presence.remove(bare);
    await store.meta.set("accepted", ((await store.meta.get<string[]>("accepted")) ?? []).filter((x) => x !== bare));
    events.emit("contacts");
  }

  // ---- sending -------------------------------------------------------------------------------

  function waitForAck(id: string, ms: number): Promise<boolean> {
    if (!conn?.xmpp.streamManagement.enabled) return Promise.resolve(true); // no XEP-0198: the write is all we know
    return new Promise((resolve) => {
      const t = setTimeout(() => (ackWaiters.delete(id), resolve(false)), ms);
      ackWaiters.set(id, (ok) => (clearTimeout(t), resolve(ok)));
    });
  }

  async function buildMessage(item: OutboxItem, opts: { history?: HistoryOptions | false; links?: { name: string; size: number; url: string }[] }) {
    let body = item.text;
    let historyEl: Element | undefined;
    let historyItems = 0;
    if (opts.history !== false) {
      const h = await historyFor(store.exchanges, item.counterpart, { ...DEFAULT_HISTORY, ...opts.history });
      const items = h.items.filter((x) => x.key !== item.id);
      if (items.length) {
        body = `${item.text}\n\n${h.digest}`;
        historyEl = historyElement(items, h.omitted);
        historyEl.attrs["text-length"] = String(item.text.length);
        historyItems = items.length;
        void count("historyBytes", byteLength(h.digest) + byteLength(historyEl.toString()));
      }
    }
    const links = opts.links ?? [];
    if (links.length) body = `${body}\n\nAttachments:\n${links.map((l) => `${l.name}: ${l.url}`).join("\n")}`;
    const extra = [
      ...(historyEl ? [historyEl] : []),
      ...links.map((l) => xml("x", { xmlns: "jabber:x:oob" }, xml("url", {}, l.url), xml("desc", {}, l.name))),
    ];
    return { body, extra, historyItems };
  }

  /** One attempt to put the IM on the wire, reusing its id. */
  async function transmit(item: OutboxItem, opts: { history?: HistoryOptions | false; links?: { name: string; size: number; url: string }[] } = {}): Promise<AttemptOutcome & {}> {
    const ft = f();
    if (!ft.presence.isAvailable(item.to)) return "unavailable";
    const { body, extra } = await buildMessage(item, opts);
    if (byteLength(body) + extra.reduce((n, e) => n + byteLength(e.toString()), 0) > maxBytes) {
      return { error: `the IM with its history is larger than ${Math.round(maxBytes / 1000)} KB` };
    }
    const acked = waitForAck(item.id, 10_000);
    await ft.chat.send({ to: item.to, id: item.id, body, extra });
    await recordOutgoing(item, opts.links);
    return (await acked) ? "acked" : { error: "the server did not confirm the message" };
  }

  async function recordOutgoing(item: OutboxItem, links?: { name: string; size: number; url: string }[]) {
    const added = await store.exchanges.add(imExchange({
      key: item.id, counterpart: item.counterpart, direction: "out", at: clock.now(), from: conn?.bare ?? me, to: [item.to],
      text: item.text, attachments: (links ?? []).map((l) => ({ name: l.name, size: l.size, contentType: "application/octet-stream", url: l.url })),
    }));
    if (added) void count("imsSent");
  }

  const outbox = createOutbox({
    store: store.outbox, clock, random: options.random, policy: options.retry,
    attempt: async (item) => {
      if (item.attempts > 1) void count("imsRetried");
      return transmit(item);
    },
    onChange: (item) => {
      if (item.state === "failed") void count("imsFailed");
      emitState(item);
    },
  });

  async function update(id: string, change: (i: OutboxItem) => OutboxItem | undefined) {
    const next = await store.outbox.update(id, change);
    emitState(next);
    return next;
  }

  function outcome(item: OutboxItem, extra: Partial<Outcome> = {}): Outcome {
    return { id: item.id, state: item.state, to: item.to, counterpart: item.counterpart, reason: item.reason, ...extra };
  }

  /** F1–F6: reply to an email (or a person) by IM. */
  async function replyViaIm(text: string, opts: ReplyOptions = {}): Promise<Outcome> {
    const ft = f();
    let mapping: Resolution | undefined;
    let to: string;
    let counterpart: string;
    if (opts.to && !isEmail(opts.to)) {
      to = normaliseJid(opts.to);
      counterpart = await counterpartOf(to);
    } else {
      const email = opts.to ?? opts.original?.from;
      if (!email) throw new UserFacingError("unknown-address", "There is nobody to send this IM to.", "Open an email first, or give an address.");
      mapping = await mapper.resolve(email);
      to = mapping.jid;
      counterpart = mapping.email;
    }
    let original: OriginalEmail | undefined;
    if (opts.original) {
      const o = opts.original;
      await store.exchanges.add(emailExchange(counterpart, normaliseEmailSafe(o.from) === counterpart ? "in" : "out", o));
      original = { messageId: o.messageId, references: o.references ?? [], subject: o.subject ?? "", from: o.from, to: o.to, date: o.date };
    }
    const now = clock.now();
    let item: OutboxItem = {
      id: newId("im"), to, counterpart, text, createdAt: now, state: "composing", attempts: 0, nextAttemptAt: 0,
      transitions: [{ state: "composing", at: now }], original,
    };
    await store.outbox.put(item);
    emitState(item);
    if (byteLength(text) > maxBytes) {
      item = (await update(item.id, (i) => advance(advance(i, { type: "check" }, now), { type: "fail", reason: `the IM is ${Math.round(byteLength(text) / 1000)} KB; the limit is ${Math.round(maxBytes / 1000)} KB — shorten it or send it as an email` }, clock.now())))!;
      void count("imsFailed");
      return outcome(item, { mapping });
    }
    item = (await update(item.id, (i) => advance(i, { type: "check" }, clock.now())))!;

    // Subscribed: the server has told us their presence already, so a short wait is enough and
    // an offline contact is answered at once. Not subscribed: ask, and give them time to answer.
    const sub = ft.presence.rosterItem(to)?.subscription;
    const subscribed = sub === "to" || sub === "both";
    if (!subscribed) await ft.presence.subscribe(to);
    const available = await ft.presence.waitUntilAvailable(to, subscribed ? 150 : (options.presenceWaitMs ?? 1500));
    if (!available) {
      item = (await update(item.id, (i) => advance(advance(i, { type: "unavailable" }, clock.now()), { type: "ask" }, clock.now())))!;
      const choice = opts.whenUnavailable ?? "ask";
      if (choice === "ask") return outcome(item, { mapping });
      return { ...(await decide(item.id, choice)), mapping };
    }

    // uploads first: a failed upload fails the IM with the reason, before anything is sent
    const links: { name: string; size: number; url: string }[] = [];
    try {
      for (const file of opts.attachments ?? []) {
        if (!support?.upload) throw new Error("this server offers no file upload");
        links.push({ name: file.name, size: file.data.byteLength, url: await upload({ xmpp: conn!.xmpp, service: support.upload }).send(file) });
        void count("attachmentBytes", file.data.byteLength);
      }
    } catch (err) {
      item = (await update(item.id, (i) => advance(advance(i, { type: "available" }, clock.now()), { type: "fail", reason: `attachment not sent: ${(err as Error).message}` }, clock.now())))!;
      return outcome(item, { mapping });
    }

    item = (await update(item.id, (i) => advance(i, { type: "available" }, clock.now())))!;
    const delivered = waitForReceipt(item.id, options.receiptWaitMs ?? 3000);
    let result: AttemptOutcome;
    try {
      result = await transmit(item, { history: opts.history, links });
    } catch (err) {
      result = { error: (err as Error).message };
    }
    if (result === "unavailable") {
      // went offline between the check and the send
      item = (await update(item.id, (i) => (i.state === "sending" ? { ...advance(i, { type: "fail", reason: "contact went offline" }, clock.now()) } : undefined))) ?? item;
      return outcome(item, { mapping });
    }
    if (typeof result === "object") {
      item = (await update(item.id, (i) => (i.state === "sending" ? advance(i, { type: "fail", reason: result.error }, clock.now()) : undefined))) ?? (await store.outbox.get(item.id))!;
      void count("imsFailed");
      return outcome(item, { mapping });
    }
    await update(item.id, (i) => (i.state === "sending" ? advance(i, { type: "acked" }, clock.now()) : undefined));
    await delivered;
    item = (await store.outbox.get(item.id))!;
    return outcome(item, { mapping });
  }

  function normaliseEmailSafe(a: string): string {
    try {
      return normaliseEmail(a);
    } catch {
      return a;
    }
  }

  const receiptWaiters = new Map<string, () => void>();
  function waitForReceipt(id: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => (receiptWaiters.delete(id), resolve()), ms);
      receiptWaiters.set(id, () => (clearTimeout(t), receiptWaiters.delete(id), resolve()));
    });
  }

  /** F6: the user's answer when the contact is unavailable (or when an IM failed). */
  async function decide(id: string, choice: Choice): Promise<Outcome> {
    const item = await store.outbox.get(id);
    if (!item) throw new UserFacingError("unknown-address", "That IM is no longer known.", "Close the IM window and open it again.");
    if (choice === "keep") {
      const queued = await outbox.enqueue(item);
      void count("imsQueued");
      void kick();
      return outcome(queued);
    }
    if (choice === "cancel") {
      const c = await update(id, (i) => advance(i, { type: "cancel" }, clock.now()));
      void count("imsCancelled");
      return outcome(c!);
    }
    const history = await historyFor(store.exchanges, item.counterpart, { limit: 50, maxBytes: 64_000 });
    const to = item.counterpart.startsWith("xmpp:") ? item.counterpart.slice(5) : item.counterpart;
    const draft = imToEmailDraft({ text: item.text, me, to, original: item.original, history });
    const c = await update(id, (i) => advance(i, { type: "convert" }, clock.now()));
    void count("imsConverted");
    return outcome(c!, { draft });
  }

  async function kick() {
    if (draining || !conn || conn.xmpp.status !== "online") return;
    draining = true;
    try {
      await outbox.drain();
    } finally {
      draining = false;
    }
  }

  // ---- receiving -----------------------------------------------------------------------------

  async function onIncoming(m: IncomingChat): Promise<boolean> {
    if (m.bare === conn?.bare) return false;
    const counterpart = await counterpartOf(m.bare);
    const known = await isKnown(m.bare);
    const hist = readHistory(m.stanza, { jid: m.bare, email: counterpart }, { jid: conn!.bare, email: me });
    let text = m.body;
    let stored = 0;
    // the body is the IM, then the history's digest for other clients; the IM alone is shown,
    // whether the history is kept or rejected (a rejected digest must not slip in as text)
    const len = Number(m.stanza.getChild("history", NS_HISTORY)?.attrs["text-length"]);
    if (Number.isInteger(len) && len >= 0 && len <= m.body.length) text = m.body.slice(0, len);
    if (hist && !hist.rejected) stored = await storeTheirHistory(store.exchanges, counterpart, hist.items);
    const at = m.stamp ?? clock.now();
    const key = m.stanza.getChild("origin-id", "urn:xmpp:sid:0")?.attrs.id ?? m.id ?? `${m.bare}:${at}:${m.body.slice(0, 50)}`;
    const oob = m.stanza.getChildren("x").filter((x) => x.attrs.xmlns === "jabber:x:oob");
    const added = await store.exchanges.add(imExchange({
      key, counterpart, direction: "in", at, from: m.bare, to: [conn!.bare], text,
      attachments: oob.map((x) => ({ name: x.getChildText("desc") || "attachment", size: 0, contentType: "application/octet-stream", url: x.getChildText("url") ?? undefined })).filter((a) => a.url && /^https?:/.test(a.url)),
    }));
    if (features?.receipts.wanted(m.stanza)) await features.receipts.confirm(m.stanza).catch(() => {});
    if (!added) return false; // a duplicate (a retry whose first copy arrived): shown once
    void count("imsReceived");
    const refused = ((await store.meta.get<string[]>("refused")) ?? []).includes(m.bare.toLowerCase());
    if (!known && !refused) await changeRequests((r) => {
      const old = r.find((x) => x.from === m.bare);
      return [...r.filter((x) => x.from !== m.bare), { from: m.bare, at, text: text.slice(0, 200), count: (old?.count ?? 0) + 1 }];
    }).then(() => {
      events.emit("request-im", m.bare);
      events.emit("contacts");
    }).catch(() => undefined);
    events.emit("message", { id: key, from: m.bare, counterpart, text, at, history: { stored, items: hist?.items ?? [], omitted: hist?.omitted ?? 0, rejected: hist?.rejected }, known });
    return true;
  }

  async function onCarbon(direction: "sent" | "received", message: Element) {
    const m = readChat(message);
    if (!m) return;
    const other = direction === "sent" ? bareOf(message.attrs.to) : m.bare;
    const counterpart = await counterpartOf(other);
    const key = message.getChild("origin-id", "urn:xmpp:sid:0")?.attrs.id ?? m.id ?? `${other}:${clock.now()}`;
    await store.exchanges.add(imExchange({
      key, counterpart, direction: direction === "sent" ? "out" : "in", at: m.stamp ?? clock.now(),
      from: direction === "sent" ? conn!.bare : other, to: [direction === "sent" ? other : conn!.bare], text: m.body,
    }));
  }

  /** F4: fills history from the server archive since the last sync (after a restart). */
  async function backfill(): Promise<number> {
    if (!support?.mam) return 0;
    const last = (await store.meta.get<number>("mamSyncedAt")) ?? clock.now() - 30 * 24 * 3600_000;
    const started = clock.now();
    const archived = await f().mam.all({ start: last - 60_000 });
    let added = 0;
    let previous = 0;
    for (const a of archived) {
      // archive stamps have one-second resolution: keep the archive's order within a second
      const at = Math.max(a.stamp, previous + 1);
      previous = at;
      const msg = a.message;
      const body = msg.getChildText("body");
      if (!body || (msg.attrs.type && msg.attrs.type !== "chat" && msg.attrs.type !== "normal")) continue;
      const fromBare = bareOf(msg.attrs.from);
      const outgoing = fromBare === conn!.bare;
      // An IM that came while we were away is handled like one arriving now (stored once, the
      // sender's receipt, the requests list, the event): Prosody does not also deliver it from
      // offline storage to a client that read its archive before its initial presence.
      const incoming = !outgoing ? readChat(msg) : undefined;
      if (incoming) {
        if (await onIncoming({ ...incoming, stamp: at })) added++;
        continue;
      }
      const other = outgoing ? bareOf(msg.attrs.to) : fromBare;
      const counterpart = await counterpartOf(other);
      const len = Number(msg.getChild("history", NS_HISTORY)?.attrs["text-length"]);
      const text = Number.isInteger(len) && len >= 0 && len <= body.length ? body.slice(0, len) : body;
      const key = msg.getChild("origin-id", "urn:xmpp:sid:0")?.attrs.id ?? msg.attrs.id ?? a.archiveId;
      if (await store.exchanges.add(imExchange({ key, counterpart, direction: outgoing ? "out" : "in", at, from: fromBare, to: [outgoing ? other : conn!.bare], text }))) added++;
    }
    await store.meta.set("mamSyncedAt", started);
    return added;
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  async function start(): Promise<{ support: ServerSupport }> {
    await store.db.open();
    conn = await connect({ account: options.account, random: options.random });
    const xmpp = conn.xmpp;
    const p = presence({ xmpp, approve: options.approveSubscription ?? approveDefault });
    features = {
      presence: p, chat: chat({ xmpp }), receipts: receipts({ xmpp }), mam: mam({ xmpp }), disco: disco({ xmpp }),
      muc: muc({ xmpp }), carbons: carbons({ xmpp }),
    };
    features.receipts.onAcked((id) => ackWaiters.get(id)?.(true));
    features.receipts.onDelivered(async (id) => {
      const before = await store.outbox.get(id);
      const after = await outbox.receipt(id);
      if (after && before?.state !== "delivered") void count("imsDelivered");
      receiptWaiters.get(id)?.();
    });
    features.chat.onMessage((m) => void onIncoming(m).catch((e) => console.error("incoming IM:", e)));
    features.carbons.onCarbon((d, m) => void onCarbon(d, m).catch(() => {}));
    p.onChange((bare, available) => {
      events.emit("presence", bare, available);
      if (available) void outbox.contactOnline(bare).catch(() => {});
    });
    p.onRequest((bare) => {
      events.emit("request", bare);
      events.emit("contacts");
    });
    p.onRoster(() => events.emit("contacts"));
    conn.onStatus(async (s, e) => {
      events.emit("status", s, e);
      if (s === "online") {
        await outbox.requeueUnconfirmed().catch(() => 0);
        await p.announce().catch(() => {});
        void kick();
      }
    });
    trackSessions(features.muc, features.mam);
    support = await features.disco.support();
    if (support.carbons) await features.carbons.enable().catch(() => {});
    // presence first, then the archive: an IM that reaches the server in between is live or archived,
    // never left waiting (each is shown once, whichever way it comes)
    await p.announce();
    await backfill().catch(() => 0);
    await outbox.resume();
    void rejoinSessions().catch(() => undefined);
    tick = setInterval(() => void kick(), options.outboxTickMs ?? 5000);
    void kick();
    return { support };
  }

  /**
   * F12: a session the user made keeps its audience (who came, and when) and its records (what
   * was said; the first record is the invitation). Updates of one session are queued, so none is lost.
   */
  const sessionQueue = new Map<string, Promise<void>>();
  function updateSession(room: string, change: (s: Session) => Session | undefined): Promise<void> {
    const id = room.split("@")[0] ?? "";
    const next = (sessionQueue.get(id) ?? Promise.resolve()).then(async () => {
      const s = await store.sessions.get(id);
      if (!s || s.room !== room) return;
      const updated = change(s);
      if (updated) await store.sessions.put(updated);
    }).catch((e) => console.error("session record:", e));
    sessionQueue.set(id, next);
    return next;
  }
  function record(s: Session, r: Session["records"][number]): Session | undefined {
    return s.records.some((x) => x.id === r.id) ? undefined : { ...s, records: [...s.records, r].sort((a, b) => a.at - b.at) };
  }
  const ownBare = () => (conn?.bare ?? "").toLowerCase();
  function trackSessions(m: Muc, archive: Mam) {
    m.onOccupant((room, o, present) => {
      if (!present || (o.jid && o.jid.toLowerCase() === ownBare())) return;
      void updateSession(room, (s) => (s.audience.some((a) => a.who === o.nick) ? undefined : { ...s, audience: [...s.audience, { who: o.nick, joinedAt: clock.now() }] }));
    });
    m.onMessage((msg) => void updateSession(msg.room, (s) => record(s, { at: msg.stamp ?? clock.now(), from: msg.nick, text: msg.body, id: msg.stanzaId ?? msg.id ?? `${msg.nick}-${clock.now()}` })));
    sessionArchive = archive;
  }
  let sessionArchive: Mam | undefined;
  /** After a restart: back into this week's sessions, and what was said meanwhile from the room's archive. */
  async function rejoinSessions() {
    const ft = f();
    for (const s of await store.sessions.recent(clock.now() - 7 * 86_400_000)) {
      if (s.createdBy !== me) continue;
      try {
        await ft.muc.join(s.room, me.split("@")[0] ?? "host", { password: s.access?.password });
        for (const r of await roomArchive(s.room)) await updateSession(s.room, (x) => record(x, r));
      } catch {
        // a session that ended (room gone) is left alone
      }
    }
  }
  /** What a room's archive holds, as session records (the speaker's nickname, in archive order). */
  async function roomArchive(room: string): Promise<Session["records"]> {
    const out: Session["records"] = [];
    for (const h of await (sessionArchive ?? f().mam).all({ archive: room }, 1000)) {
      const text = h.message.getChildText("body");
      const from = (h.message.attrs.from ?? "").split("/")[1];
      if (text && from) out.push({ at: h.stamp, from, text, id: h.archiveId });
    }
    return out;
  }
  /** A session the user made: its audience and records (F12), for the transcript beside the email (F13). */
  const session = (id: string) => store.sessions.get(id);

  async function stop() {
    clearInterval(tick);
    await conn?.stop();
    conn = undefined;
    features = undefined;
  }

  /**
   * F10/F12: a live chat session for an email's recipients — a UUID room, each recipient
   * invited (XEP-0249, and made a member), the session kept with its audience; the first
   * record is the invitation itself.
   */
  async function createSession(o: { recipients: string[]; subject?: string; joinPage: string; iconUrl?: string; membersOnly?: boolean; password?: string; messageId?: string }) {
    const ft = f();
    if (!support?.muc) throw new UserFacingError("unknown-address", "This XMPP server offers no group chat, so no chat session can be made.", "Ask your administrator to enable MUC (XEP-0045).");
    const session = newSessionId();
    const room = roomJid({ session, mucDomain: support.muc });
    const access = { membersOnly: o.membersOnly ?? false, password: o.password || undefined };
    await ft.muc.create(room, me.split("@")[0] ?? "host", { ...access, name: o.subject });
    const invited: string[] = [];
    for (const r of o.recipients) {
      try {
        const m = await mapper.resolve(r);
        await ft.muc.invite(room, m.jid, o.subject ? `Chat about "${o.subject}"` : undefined, access.password);
        invited.push(m.jid);
      } catch {
        // an address that cannot be mapped still gets the link in the email
      }
    }
    const invitation = { link: invitationLink(o.joinPage, { session, mucDomain: support.muc, from: me }), uri: invitationUri({ session, mucDomain: support.muc }), iconUrl: o.iconUrl };
    const now = clock.now();
    const row: Session = {
      id: session, room, createdAt: now, createdBy: me, origin: { messageId: o.messageId, subject: o.subject ?? "" },
      invited, audience: [], records: [], invitation, access,
    };
    const written = invitationOf(row);
    row.records.push({ at: now, from: me, text: written.text, id: `invitation-${session}` });
    await store.sessions.put(row);
    void count("invitationsCreated");
    return { session, room, invited, ...written };
  }

  /** What the email carries for a session: the content, its HTML and its plain line. */
  function invitationOf(s: Session) {
    const content = { ...s.invitation!, inviter: s.createdBy, subject: s.origin?.subject || undefined, membersOnly: s.access?.membersOnly, passwordNeeded: !!s.access?.password };
    return { ...content, html: invitationHtml(content), text: invitationText(content) };
  }

  /**
   * F10 options, changed after the session was made (the invite UIs make it at once, with the
   * room open to anyone holding the link): members-only and/or a room password. The invited
   * people get the password in a new direct invitation; the email's text says to ask for it.
   */
  async function configureSession(id: string, access: { membersOnly: boolean; password?: string }) {
    const s = await store.sessions.get(id);
    if (!s?.invitation || s.createdBy !== me) throw new UserFacingError("invalid-invitation", "This chat session was not made here.", "Make a new invitation.");
    const next = { membersOnly: access.membersOnly, password: access.password || undefined };
    await f().muc.configure(s.room, { ...next, name: s.origin?.subject || undefined });
    if (next.password && next.password !== s.access?.password) {
      for (const jid of s.invited) await f().muc.invite(s.room, jid, s.origin?.subject ? `Chat about "${s.origin.subject}"` : undefined, next.password).catch(() => undefined);
    }
    const updated: Session = { ...s, access: next };
    const written = invitationOf(updated);
    updated.records = s.records.map((r) => (r.id === `invitation-${id}` ? { ...r, text: written.text } : r));
    await store.sessions.put(updated);
    return { session: id, room: s.room, invited: s.invited, ...written };
  }

  /**
   * F13: the transcript of the session an email carries. The user's own session: its audience and
   * records (brought up to date from the room's archive when connected). Somebody else's: what the
   * room's archive gives. A room that is gone is said to have ended, with what was kept.
   */
  async function transcript(inv: Invitation): Promise<Transcript> {
    const room = roomJid(inv).toLowerCase();
    const own = await store.sessions.get(inv.session);
    const kept = new Map((own?.records ?? []).map((r) => [r.id, r]));
    let archived: Transcript["records"] | undefined;
    let ended = false;
    let subject = own?.origin?.subject ?? "";
    if (features && conn) {
      try {
        // the room's name is the email's subject (set when it was made); a nameless room answers its id
        const name = (await f().disco.info(room)).identities.find((i) => i.category === "conference")?.name ?? "";
        if (!subject && name && name.toLowerCase() !== inv.session) subject = name;
        archived = (await roomArchive(room)).map((r) => kept.get(r.id) ?? r);
      } catch {
        archived = undefined;
        ended = true; // item-not-found (room gone) or not allowed to read it
      }
    }
    // the invitation first, then the archive in its own order (its stamps are whole seconds),
    // then anything kept here that the archive no longer has
    const inArchive = new Set(archived?.map((r) => r.id));
    const invitation = [...kept.values()].filter((r) => r.id === `invitation-${inv.session}`);
    const rest = [...kept.values()].filter((r) => !inArchive.has(r.id) && !invitation.includes(r)).sort((a, b) => a.at - b.at);
    const all = archived ? [...invitation, ...archived, ...rest] : [...invitation, ...rest];
    if (own) void updateSession(room, (s) => ({ ...s, records: all }));
    return {
      session: inv.session, room, own: !!own, ended, subject, inviter: own?.createdBy ?? inv.from ?? "",
      audience: own?.audience ?? [], invited: own?.invited ?? [], records: all,
    };
  }

  /** F9: an email draft to the person behind an IM conversation, with the chat so far. */
  async function replyByEmail(who: string): Promise<EmailDraft> {
    const counterpart = await counterpartOf(who);
    const recent = await store.exchanges.recent(counterpart, { limit: 200 });
    const thread = recent.filter((x) => x.kind === "im").slice(0, 50).reverse();
    const lastEmail = recent.find((x) => x.kind === "email");
    const original: OriginalEmail | undefined = lastEmail
      ? { messageId: lastEmail.key, references: [], subject: lastEmail.subject ?? "", from: lastEmail.from, to: lastEmail.to }
      : undefined;
    void count("repliesByEmail");
    return threadToEmailDraft({ thread, me, to: counterpart.replace(/^xmpp:/, ""), original });
  }

  return {
    events,
    mapper,
    usage,
    outbox,
    start,
    stop,
    replyViaIm,
    decide,
    replyByEmail,
    createSession,
    configureSession,
    transcript,
    session,
    isKnown,
    requests,
    acceptRequest,
    refuseRequest,
    contacts,
    addContact,
    removeContact,
    backfill,
    /** An outgoing IM's current row (state, reason, transitions). */
    item: (id: string) => store.outbox.get(id),
    /** Records an email the host read, so it becomes part of the history with that person. */
    recordEmail: async (email: EmailInput, counterpartEmail: string) => {
      const c = normaliseEmail(counterpartEmail);
      return store.exchanges.add(emailExchange(c, normaliseEmailSafe(email.from) === c ? "in" : "out", email));
    },
    /** The retention setting: forgets exchanges older than `days` (0 keeps everything). */
    forgetOlderThan: (days: number) => (days > 0 ? store.exchanges.forgetBefore(clock.now() - days * 86_400_000) : Promise.resolve(0)),
    /** The address table: what the user confirmed and what was learned, for Options. */
    mappings: () => store.mappings.all(),
    forgetMapping: (email: string) => store.mappings.remove(normaliseEmail(email)),
    /** The history with a person, named by email address or JID. */
    history: async (who: string, opts?: HistoryOptions) => historyFor(store.exchanges, await counterpartOf(who), opts),
    get connection() {
      return conn;
    },
    get features() {
      return f();
    },
    get support() {
      return support;
    },
  };
}
export type Engine = ReturnType<typeof createEngine>;
export type { Exchange };
