// F1–F6 sending: reply via IM (mapping → presence → uploads → the IM with its history → ack and
// receipt), the offline decision (keep, cancel, convert), and the outbox that retries kept IMs.
import { xml } from "@xmpp/client";
import type { Element } from "@xmpp/xml";
import {
  advance,
  byteLength,
  canAdvance,
  CLAIMED_SOURCES,
  createOutbox,
  DEFAULT_HISTORY,
  emailExchange,
  historyFor,
  imExchange,
  imToEmailDraft,
  isEmail,
  normaliseJid,
  UserFacingError,
  type AttemptOutcome,
  type HistoryOptions,
  type OriginalEmail,
  type OutboxItem,
  type Resolution,
} from "../core";
import { historyElement } from "../xmpp/history-payload";
import { newId } from "../xmpp/jids";
import { NS_OOB } from "../xmpp/incoming";
import { counterpartForEmail, type EngineContext } from "./context";
import { outboxWrites } from "./outbox-writes";
import { MAX_MESSAGE_BYTES, type Choice, type Outcome, type ReplyOptions } from "./types";

type Link = { name: string; size: number; url: string };

/** What a bounced IM's line says, by the error's condition (RFC 6120 §8.3.3). */
const BOUNCES: Record<string, string> = {
  "item-not-found": "no such address on their server — check the address, or send it as an email",
  "service-unavailable": "their server could not deliver it now and keeps no messages for later — keep it to retry, or send it as an email",
  "recipient-unavailable": "they are not available — keep it to retry, or send it as an email",
  "remote-server-not-found": "their server cannot be reached — check the address's domain, or send it as an email",
  "remote-server-timeout": "their server did not answer in time — keep it to retry, or send it as an email",
  forbidden: "they do not accept IMs from you — send it as an email",
  "not-allowed": "they do not accept IMs from you — send it as an email",
  "policy-violation": "their server refused it by its rules — send it as an email",
};

export function sendingPart(ctx: EngineContext) {
  const { store, clock, me, options } = ctx;
  const maxBytes = options.maxMessageBytes ?? MAX_MESSAGE_BYTES;
  // who waits for what: the server's ack (XEP-0198) and the contact's receipt (XEP-0184), by IM id
  const ackWaiters = new Map<string, (ok: boolean) => void>();
  const receiptWaiters = new Map<string, () => void>();
  let draining = false;

  function wait<T>(waiters: Map<string, (v: T) => void>, id: string, ms: number, timedOut: T): Promise<T> {
    return new Promise((resolve) => {
      const t = setTimeout(() => (waiters.delete(id), resolve(timedOut)), ms);
      waiters.set(id, (v) => (clearTimeout(t), waiters.delete(id), resolve(v)));
    });
  }
  function waitForAck(id: string, ms: number): Promise<boolean> {
    if (!ctx.online()?.conn.xmpp.streamManagement.enabled) return Promise.resolve(true); // no XEP-0198: the write is all we know
    return wait(ackWaiters, id, ms, false);
  }
  const waitForReceipt = (id: string, ms: number) => wait<void>(receiptWaiters, id, ms, undefined);

  const emitState = (item: OutboxItem | undefined) => item && ctx.events.emit("state", item);
  const { live, writes, update, behind } = outboxWrites(store.outbox, emitState);
  const acked = (i: OutboxItem) => (i.state === "sending" ? advance(i, { type: "acked" }, clock.now()) : undefined);
  const outcome = (item: OutboxItem, extra: Partial<Outcome> = {}): Outcome => ({
    id: item.id,
    state: item.state,
    to: item.to,
    counterpart: item.counterpart,
    reason: item.reason,
    ...extra,
  });

  async function buildMessage(item: OutboxItem, opts: { history?: HistoryOptions | false; links?: Link[] }) {
    let body = item.text;
    let historyEl: Element | undefined;
    if (opts.history !== false) {
      const h = await historyFor(store.exchanges, item.counterpart, { ...DEFAULT_HISTORY, ...opts.history });
      const items = h.items.filter((x) => x.key !== item.id);
      if (items.length) {
        body = `${item.text}\n\n${h.digest}`;
        historyEl = historyElement(items, h.omitted);
        historyEl.attrs["text-length"] = String(item.text.length);
        ctx.count("historyBytes", byteLength(h.digest) + byteLength(historyEl.toString()));
      }
    }
    const links = opts.links ?? [];
    if (links.length) body = `${body}\n\nAttachments:\n${links.map((l) => `${l.name}: ${l.url}`).join("\n")}`;
    const extra = [...(historyEl ? [historyEl] : []), ...links.map((l) => xml("x", { xmlns: NS_OOB }, xml("url", {}, l.url), xml("desc", {}, l.name)))];
    return { body, extra };
  }

  /** One attempt to put the IM on the wire, reusing its id. */
  async function transmit(item: OutboxItem, opts: { history?: HistoryOptions | false; links?: Link[] } = {}): Promise<AttemptOutcome> {
    const { features, conn } = ctx.need();
    // known to be offline: wait for them; presence unknown (not shared with us): the IM goes, and
    // what happens to it (a receipt, their server's answer) says whether it reached them
    if (features.presence.presenceOf(item.to) === "offline") return "unavailable";
    const { body, extra } = await buildMessage(item, opts);
    if (byteLength(body) + extra.reduce((n, e) => n + byteLength(e.toString()), 0) > maxBytes) {
      return { error: `the IM with its history is larger than ${Math.round(maxBytes / 1000)} KB` };
    }
    const acked = waitForAck(item.id, 10_000);
    await features.chat.send({ to: item.to, id: item.id, body, extra });
    const added = await store.exchanges.add(
      imExchange({
        key: item.id,
        counterpart: item.counterpart,
        direction: "out",
        at: clock.now(),
        from: conn.bare,
        to: [item.to],
        text: item.text,
        attachments: (opts.links ?? []).map((l) => ({ name: l.name, size: l.size, contentType: "application/octet-stream", url: l.url })),
      }),
    );
    if (added) ctx.count("imsSent");
    return (await acked) ? "acked" : { error: "the server did not confirm the message" };
  }

  const outbox = createOutbox({
    store: store.outbox,
    clock,
    random: options.random,
    policy: options.retry,
    attempt: async (item) => {
      if (item.attempts > 1) ctx.count("imsRetried");
      return transmit(item);
    },
    onChange: (item) => {
      if (item.state === "failed") ctx.count("imsFailed");
      emitState(item);
    },
  });

  /** Sends what is due; one round at a time. Never throws: a failed round is reported and the next tick tries again. */
  async function kick(): Promise<void> {
    const o = ctx.online();
    if (draining || !o || o.conn.xmpp.status !== "online") return;
    draining = true;
    try {
      await outbox.drain();
    } catch (err) {
      ctx.report("sending kept IMs", err);
    } finally {
      draining = false;
    }
  }

  /** Whom the IM goes to: a JID as given, else the mapping of an email address (F2). */
  async function recipient(opts: ReplyOptions): Promise<{ to: string; counterpart: string; mapping?: Resolution }> {
    if (opts.to && !isEmail(opts.to)) {
      const to = normaliseJid(opts.to);
      return { to, counterpart: await ctx.counterpartOf(to) };
    }
    const email = opts.to ?? opts.original?.from;
    if (!email) throw new UserFacingError("no-recipient", "There is nobody to send this IM to.", "Open an email first, or give an address.");
    const mapping = await ctx.mapper.resolve(email);
    // an address only a mail claims (anyone can send that mail) is never sent to unasked: the
    // window shows where it came from and the user confirms it first
    if (mapping.needsConfirmation && CLAIMED_SOURCES.has(mapping.source)) {
      throw new UserFacingError(
        "address-unconfirmed",
        `The IM address ${mapping.jid} for ${mapping.email} was only found in an email, which anyone could have sent.`,
        "Confirm it (or change it) in the IM window, then send again.",
        { jid: mapping.jid, email: mapping.email },
      );
    }
    return { to: mapping.jid, counterpart: mapping.email, mapping };
  }

  /** Uploads first (XEP-0363): a failed upload fails the IM with the reason, before anything is sent. */
  async function uploads(opts: ReplyOptions): Promise<Link[]> {
    const links: Link[] = [];
    const files = opts.attachments ?? [];
    if (!files.length) return links;
    const { conn, support } = ctx.need();
    if (!support.upload)
      throw new UserFacingError(
        "no-upload",
        "This XMPP server offers no file upload.",
        "Send the files by email, or ask your administrator for HTTP upload (XEP-0363).",
      );
    const { upload } = await import("../xmpp/upload");
    for (const file of files) {
      links.push({ name: file.name, size: file.data.byteLength, url: await upload({ xmpp: conn.xmpp, service: support.upload }).send(file) });
      ctx.count("attachmentBytes", file.data.byteLength);
    }
    return links;
  }

  /** F1–F6: reply to an email (or a person) by IM. */
  async function replyViaIm(text: string, opts: ReplyOptions = {}): Promise<Outcome> {
    const { features } = ctx.need();
    const { to, counterpart, mapping } = await recipient(opts);
    let original: OriginalEmail | undefined;
    if (opts.original) {
      const o = opts.original;
      await store.exchanges.add(emailExchange(counterpart, counterpartForEmail(o.from) === counterpart ? "in" : "out", o));
      original = { messageId: o.messageId, references: o.references ?? [], subject: o.subject ?? "", from: o.from, to: o.to, date: o.date };
    }
    const now = clock.now();
    const composing: OutboxItem = {
      id: newId("im"),
      to,
      counterpart,
      text,
      createdAt: now,
      state: "composing",
      attempts: 0,
      nextAttemptAt: 0,
      transitions: [{ state: "composing", at: now }],
      original,
    };
    emitState(composing);
    let item = advance(composing, { type: "check" }, now);
    const step = async (...events: Parameters<typeof advance>[1][]) =>
      (item = (await update(item.id, (i) => events.reduce((x, e) => advance(x, e, clock.now()), i)))!);
    // Subscribed: the server has told us their presence already, so a short wait is enough and
    // an offline contact is answered at once. Not subscribed: their presence is unknown (RFC 6121),
    // which is not offline — ask to see it (the email is the permission, F14), give an
    // auto-accepting client a moment, then send and judge by the receipt or the server's answer.
    const sub = features.presence.rosterItem(to)?.subscription;
    const subscribed = sub === "to" || sub === "both";
    const files = opts.attachments?.length ?? 0;
    if (subscribed && features.presence.isAvailable(to) && !files && byteLength(text) <= maxBytes) {
      // nothing to wait for: the IM is written once, as being sent, and goes
      item = advance(item, { type: "available" }, clock.now());
      await store.outbox.put(item);
      emitState(item);
      return send(item, opts, mapping, false);
    }
    // something to wait for (presence, uploads): the IM is stored first, so a restart keeps it
    await store.outbox.put(item);
    emitState(item);
    if (byteLength(text) > maxBytes) {
      await step({
        type: "fail",
        reason: `the IM is ${Math.round(byteLength(text) / 1000)} KB; the limit is ${Math.round(maxBytes / 1000)} KB — shorten it or send it as an email`,
      });
      ctx.count("imsFailed");
      return outcome(item, { mapping });
    }
    if (!subscribed) await features.presence.subscribe(to);
    const seen = await features.presence.waitUntilAvailable(to, subscribed ? 150 : (options.presenceWaitMs ?? 1500));
    const unknown = !seen && features.presence.presenceOf(to) === "unknown";
    if (!seen && !unknown) {
      await step({ type: "unavailable" }, { type: "ask" });
      const choice = opts.whenUnavailable ?? "ask";
      if (choice === "ask") return outcome(item, { mapping });
      return { ...(await decide(item.id, choice)), mapping };
    }

    let links: Link[];
    try {
      links = await uploads(opts);
    } catch (err) {
      await step({ type: "available" }, { type: "fail", reason: `attachment not sent: ${(err as Error).message}` });
      return outcome(item, { mapping });
    }

    await step({ type: "available" });
    return send(item, opts, mapping, unknown, links);
  }

  /** The IM, stored as being sent, goes on the wire; the ack and the receipt are shown as they come. */
  async function send(sending: OutboxItem, opts: ReplyOptions, mapping: Resolution | undefined, unknown: boolean, links: Link[] = []): Promise<Outcome> {
    const { features } = ctx.need();
    const { id, to } = sending;
    live.set(id, sending);
    try {
      const delivered = waitForReceipt(id, options.receiptWaitMs ?? 3000);
      let result: AttemptOutcome;
      try {
        result = await transmit(sending, { history: opts.history, links });
      } catch (err) {
        result = { error: (err as Error).message }; // the socket refused the write: said on the IM's line
      }
      if (result !== "acked") {
        const reason = result === "unavailable" ? "contact went offline" : result.error; // went offline between the check and the send
        const failed =
          (await update(id, (i) => (i.state === "sending" ? advance(i, { type: "fail", reason }, clock.now()) : undefined))) ?? (await store.outbox.get(id))!;
        if (result !== "unavailable") ctx.count("imsFailed");
        return outcome(failed, { mapping });
      }
      void behind(id, acked).catch((err) => ctx.report("noting the server's ack", err));
      await delivered;
      // sent to someone whose presence is unknown, and not confirmed in time: the person decides
      // (their client may not send receipts, or they are away and the server keeps it for them)
      if (unknown && features.presence.presenceOf(to) !== "online") {
        const asked = await update(id, (i) => (i.state === "sent" ? advance(i, { type: "ask" }, clock.now()) : undefined));
        // a choice made beforehand (the command line's --keep/--convert) is taken as if offline
        const choice = opts.whenUnavailable ?? "ask";
        if (asked && choice !== "ask") return { ...(await decide(id, choice)), mapping };
      }
      await writes.get(id); // what was shown is stored before replyViaIm answers
      return outcome((await store.outbox.get(id))!, { mapping });
    } finally {
      live.delete(id);
    }
  }

  /** F6: the user's answer when the contact is unavailable (or when an IM failed). */
  async function decide(id: string, choice: Choice): Promise<Outcome> {
    const item = await store.outbox.get(id);
    if (!item) throw new UserFacingError("no-longer-known", "That IM is no longer known.", "Close the IM window and open it again.");
    if (choice === "keep") {
      const queued = await outbox.enqueue(item);
      ctx.count("imsQueued");
      void kick(); // kick reports its own failures
      return outcome(queued);
    }
    if (choice === "cancel") {
      const c = await update(id, (i) => advance(i, { type: "cancel" }, clock.now()));
      ctx.count("imsCancelled");
      return outcome(c!);
    }
    const history = await historyFor(store.exchanges, item.counterpart, { limit: 50, maxBytes: 64_000 });
    const to = item.counterpart.startsWith("xmpp:") ? item.counterpart.slice(5) : item.counterpart;
    const draft = imToEmailDraft({ text: item.text, me, to, original: item.original, history });
    const c = await update(id, (i) => advance(i, { type: "convert" }, clock.now()));
    ctx.count("imsConverted");
    return outcome(c!, { draft });
  }

  return {
    outbox,
    replyViaIm,
    decide,
    kick,
    /** The server acknowledged an IM (XEP-0198). */
    acked(id: string) {
      ackWaiters.get(id)?.(true);
    },
    /** Their server (or ours) sent the IM back as an error: it did not reach them, and the reason is said on its line. */
    async bounced(id: string, condition: string, text?: string) {
      const why = BOUNCES[condition] ?? `their server refused it (${condition})`;
      const reason = text ? `${why}: ${text}` : why;
      const code = Object.hasOwn(BOUNCES, condition) ? condition : undefined; // the condition is theirs: only the known ones are a code
      ackWaiters.get(id)?.(true); // the server did answer: the line says what, not "not confirmed"
      const failed = await update(id, (i) =>
        ["sending", "sent", "queued"].includes(i.state) ? advance(i, { type: "fail", reason, code }, clock.now()) : undefined,
      );
      if (failed) ctx.count("imsFailed");
      receiptWaiters.get(id)?.();
    },
    /** The contact's client confirmed an IM (XEP-0184): it reached them, so the server surely took it too. */
    async delivered(id: string) {
      ackWaiters.get(id)?.(true);
      // an IM being sent is shown delivered at once, and stored right behind; a later one (a kept
      // IM, a receipt after the wait) is stored, then shown
      const receipted = (i: OutboxItem) => (canAdvance(i.state, "receipt") ? advance(i, { type: "receipt" }, clock.now()) : undefined);
      const done = live.has(id) ? behind(id, receipted) : outbox.receipt(id);
      receiptWaiters.get(id)?.();
      if (await done) ctx.count("imsDelivered"); // undefined when it was delivered already
    },
    /** How many acks and receipts are still awaited (each IM's wait ends with its answer or its time). */
    pending: () => ({ acks: ackWaiters.size, receipts: receiptWaiters.size }),
  };
}
export type SendingPart = ReturnType<typeof sendingPart>;
