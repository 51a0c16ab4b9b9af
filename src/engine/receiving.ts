// F3/F4 receiving: IMs as they arrive, copies of the user's own IMs from another device
// (carbons, XEP-0280), and what the archive holds since the last sync (XEP-0313) — each read by
// the one readIncoming() and stored once under the same key, whichever way it came.
import type { Element } from "@xmpp/xml";
import { imExchange, storeTheirHistory } from "../core";
import { hasHistory, readHistory } from "../xmpp/history-payload";
import { readIncoming, type ReadIm } from "../xmpp/incoming";
import { bareOf } from "../xmpp/jids";
import type { EngineContext } from "./context";
import type { ContactsPart } from "./contacts";

/** Receipt requests held per stranger, and strangers held (oldest dropped): memory stays bounded. */
export const MAX_HELD_RECEIPTS = { perSender: 20, senders: 200 };

export function receivingPart(ctx: EngineContext, contacts: ContactsPart) {
  const { store, clock, me, events } = ctx;

  // F14: a stranger's request for a receipt waits here, in memory, until they are someone the
  // user talks with (accepted, answered, on the roster): the receipt then goes out, the IM having
  // reached a person who chose to hear them. Lost with a restart: the sender's retry asks again.
  const heldReceipts = new Map<string, Element[]>();
  function holdReceipt(bare: string, stanza: Element) {
    const list = heldReceipts.get(bare) ?? [];
    heldReceipts.delete(bare); // re-inserted last: the Map's order is the latest arrival
    heldReceipts.set(bare, [...list, stanza].slice(-MAX_HELD_RECEIPTS.perSender));
    while (heldReceipts.size > MAX_HELD_RECEIPTS.senders) heldReceipts.delete(heldReceipts.keys().next().value!);
  }
  /** Sends the held receipts of those who are known now; returns how many went out. */
  async function releaseReceipts(): Promise<number> {
    const online = ctx.online();
    if (!online) return 0;
    let sent = 0;
    for (const bare of [...heldReceipts.keys()]) {
      if (!(await contacts.isKnown(bare))) continue;
      const stanzas = heldReceipts.get(bare); // as they are now: a release running beside this one may have taken them
      if (!stanzas) continue;
      heldReceipts.delete(bare);
      for (const st of stanzas)
        await online.features.receipts.confirm(st).then(
          () => sent++,
          (err) => ctx.report("receipt", err),
        );
    }
    return sent;
  }

  const attachmentsOf = (m: ReadIm) => m.links.map((l) => ({ name: l.name, size: 0, contentType: "application/octet-stream", url: l.url }));

  /** An IM to the user: stored once, receipted, held when from a stranger (F14), announced. True when new. */
  async function incoming(m: ReadIm, { carbon = false } = {}): Promise<boolean> {
    const { conn, features, support } = ctx.need();
    if (m.bare === conn.bare) return false;
    const known = await contacts.isKnown(m.bare); // a contact on the roster: from memory
    // The receipt goes before the store when the server archives every IM (XEP-0313, default
    // "always"): should this device stop before its write, the archive gives the IM back at the
    // next start (backfill). Otherwise the IM is stored first. A carbon is never receipted (the
    // device that got it does that); a stranger gets none (F14: it would tell them you are online).
    const receipt = !carbon && features.receipts.wanted(m.stanza);
    const early = receipt && known && support.archivesAll === true;
    if (early) await features.receipts.confirm(m.stanza).catch((err) => ctx.report("receipt", err));
    const counterpart = await ctx.counterpartOf(m.bare);
    // F14: a stranger's history is not read at all (it would plant "earlier exchanges" in the
    // user's store); someone known has theirs checked and kept as theirs
    const hist = known
      ? readHistory(m.stanza, { jid: m.bare, email: counterpart }, { jid: conn.bare, email: me }, clock.now())
      : hasHistory(m.stanza)
        ? { items: [], omitted: 0, rejected: "history from someone you have not chosen to talk with is not kept" }
        : undefined;
    // the IM alone is shown, whether the history is kept or rejected (a rejected digest must not slip in as text)
    const stored = hist && !hist.rejected ? await storeTheirHistory(store.exchanges, counterpart, hist.items) : 0;
    const at = m.stamp ?? clock.now();
    const added = await store.exchanges.add(
      imExchange({
        key: m.key,
        counterpart,
        direction: "in",
        at,
        from: m.bare,
        to: [conn.bare],
        text: m.text,
        attachments: attachmentsOf(m),
      }),
    );
    // a receipt lost with the connection is sent again when the sender retries (same id, a
    // duplicate here, receipted above all else)
    if (receipt && !early) {
      if (known) await features.receipts.confirm(m.stanza).catch((err) => ctx.report("receipt", err));
      else holdReceipt(m.bare, m.stanza);
    }
    if (!added) return false; // a duplicate (a retry whose first copy arrived): shown once
    ctx.count("imsReceived");
    if (!known) await contacts.holdIm(m.bare, at, m.text);
    // someone the user knows wrote from this address: a guessed mapping to it is proven (F26)
    else await ctx.mapper.answeredFrom(m.bare).catch((err) => ctx.report("remembering who answered", err));
    const name = (await ctx.people.nameOf({ email: counterpart, jid: m.bare }).catch(() => undefined))?.name; // no name: the address is shown
    events.emit("message", {
      id: m.key,
      from: m.bare,
      ...(name ? { name } : {}),
      counterpart,
      text: m.text,
      at,
      history: { stored, items: hist?.items ?? [], omitted: hist?.omitted ?? 0, rejected: hist?.rejected, ...(hist?.yours ? { yours: hist.yours } : {}) },
      known,
    });
    return true;
  }

  /** What the user's other device sent or received: into the history, as the IM alone, once. */
  async function carbon(direction: "sent" | "received", message: Element): Promise<void> {
    const { conn } = ctx.need();
    const m = readIncoming(message, { own: conn.bare });
    if (!m) return;
    if (direction === "received") {
      await incoming(m, { carbon: true });
      return;
    }
    const other = m.to;
    await store.exchanges.add(
      imExchange({
        key: m.key,
        counterpart: await ctx.counterpartOf(other),
        direction: "out",
        at: m.stamp ?? clock.now(),
        from: conn.bare,
        to: [other],
        text: m.text,
        attachments: attachmentsOf(m),
      }),
    );
  }

  /** F4: fills history from the server archive since the last sync (after a restart). */
  async function backfill(): Promise<number> {
    const { conn, features, support } = ctx.need();
    if (!support.mam) return 0;
    const last = (await store.state.get<number>("mamSyncedAt")) ?? clock.now() - 30 * 24 * 3600_000;
    const started = clock.now();
    let added = 0;
    let previous = 0;
    for (const a of await features.mam.all({ start: last - 60_000 })) {
      // archive stamps have one-second resolution: keep the archive's order within a second
      const at = Math.max(a.stamp, previous + 1);
      previous = at;
      const msg = a.message;
      if (msg.attrs.type && msg.attrs.type !== "chat" && msg.attrs.type !== "normal") continue;
      const m = readIncoming(msg, { own: conn.bare, stamp: at, fallbackKey: () => a.archiveId });
      if (!m) continue;
      if (m.bare !== conn.bare) {
        // An IM that came while we were away is handled like one arriving now (stored once, the
        // sender's receipt, the requests list, the event): Prosody does not also deliver it from
        // offline storage to a client that read its archive before its initial presence.
        if (await incoming(m)) added++;
        continue;
      }
      const other = m.to || bareOf(msg.attrs.to);
      if (
        await store.exchanges.add(
          imExchange({
            key: m.key,
            counterpart: await ctx.counterpartOf(other),
            direction: "out",
            at,
            from: conn.bare,
            to: [other],
            text: m.text,
            attachments: attachmentsOf(m),
          }),
        )
      )
        added++;
    }
    await store.state.set("mamSyncedAt", started);
    return added;
  }

  return { incoming, carbon, backfill, releaseReceipts, heldReceipts: () => [...heldReceipts.values()].reduce((n, l) => n + l.length, 0) };
}
