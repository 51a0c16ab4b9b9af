// F14 and F17: who is known (the no-IM-spam rule), the requests list (strangers' IMs and
// presence requests waiting, unannounced), and the contacts view (roster with presence).
import { normaliseJid, TRUSTED_SOURCES } from "../core";
import type { EngineContext } from "./context";
import type { ContactsView } from "./types";

interface Request {
  from: string;
  at: number;
  text: string;
  count: number;
}

/** Most strangers' IMs waiting in the requests list; beyond, the oldest is dropped and counted. */
export const MAX_REQUESTS = 200;
/** A stranger's IMs are kept this long (whatever the retention setting says for the people the user knows). */
export const STRANGER_RETENTION_DAYS = 30;

export function contactsPart(ctx: EngineContext) {
  const { store, clock, me, events } = ctx;
  const list = async (key: "accepted" | "refused") => (await store.state.get<string[]>(key)) ?? [];

  /**
   * F14, the no-IM-spam rule: someone is known when the user chose them — a roster contact, an
   * address mapping the user, their address book or an answer stands for (an address a mail
   * merely claims does not count: anyone can send that mail), an email or an IM the user's side exchanged with them (history they sent us
   * does not count), or an invitation to a session the user made. Their own IMs alone never make
   * a stranger known.
   */
  async function isKnown(bare: string): Promise<boolean> {
    const item = ctx.online()?.features.presence.rosterItem(bare); // in memory: asked first
    if (item && item.subscription !== "none") return true;
    if ((await list("accepted")).includes(bare.toLowerCase())) return true;
    const mapping = await store.mappings.byJid(bare);
    if (mapping && TRUSTED_SOURCES.has(mapping.source)) return true;
    const who = await ctx.counterpartOf(bare);
    const ours = await store.exchanges.recent(who, { limit: 500 });
    if (ours.some((x) => x.origin === "ours" && (x.kind === "email" || x.direction === "out"))) return true;
    const sessions = await store.sessions.recent(clock.now() - 30 * 86_400_000);
    return sessions.some((s) => s.createdBy === me && s.invited.some((j) => j.toLowerCase() === bare.toLowerCase()));
  }

  // changes to the requests list are queued, so two IMs arriving together both count
  let queue: Promise<unknown> = Promise.resolve();
  function changeRequests(fn: (r: Request[]) => Request[]): Promise<Request[]> {
    const next = queue.then(async () => {
      const updated = fn((await store.state.get<Request[]>("requests")) ?? []);
      await store.state.set("requests", updated);
      return updated;
    });
    queue = next.catch(() => undefined); // the caller of this change gets its failure; the queue goes on
    return next;
  }
  const requests = async (): Promise<Request[]> => (await store.state.get<Request[]>("requests")) ?? [];
  /** Requests dropped to keep the lists bounded: strangers' IMs (kept count) and presence requests held in memory. */
  const dropped = async () => ((await store.state.get<number>("requestsDropped")) ?? 0) + (ctx.online()?.features.presence.droppedRequests() ?? 0);

  /**
   * An IM from someone not known: onto the requests list (count, latest text), unless refused.
   * Bounded: past MAX_REQUESTS the oldest request is dropped with the IMs it held (nobody saw
   * them), and the count of dropped ones is kept for the contacts view to say.
   */
  async function holdIm(from: string, at: number, text: string): Promise<boolean> {
    if ((await list("refused")).includes(from.toLowerCase())) return false;
    const gone: Request[] = [];
    await changeRequests((r) => {
      const old = r.find((x) => x.from === from);
      const next = [...r.filter((x) => x.from !== from), { from, at, text: text.slice(0, 200), count: (old?.count ?? 0) + 1 }];
      while (next.length > MAX_REQUESTS) gone.push(next.shift()!); // kept in arrival order: the first is the oldest
      return next;
    });
    if (gone.length) {
      await store.state.set("requestsDropped", ((await store.state.get<number>("requestsDropped")) ?? 0) + gone.length);
      for (const g of gone) await store.exchanges.forgetOf(await ctx.counterpartOf(g.from), Number.MAX_SAFE_INTEGER);
    }
    events.emit("request-im", from);
    events.emit("contacts");
    return true;
  }

  /**
   * F14 retention for strangers: their IMs (waiting or refused) are forgotten after
   * STRANGER_RETENTION_DAYS, and a request whose latest IM is older leaves the list. Run at start
   * and once a day by the hosts, as the retention setting is. Returns how many IMs were forgotten.
   */
  async function forgetStrangers(): Promise<number> {
    const before = clock.now() - STRANGER_RETENTION_DAYS * 86_400_000;
    const waiting = await requests();
    let forgotten = 0;
    for (const bare of new Set([...waiting.map((r) => r.from), ...(await list("refused"))])) {
      if (await isKnown(bare)) continue; // known since: their IMs are the user's history now
      forgotten += await store.exchanges.forgetOf(await ctx.counterpartOf(bare), before);
    }
    if (waiting.some((r) => r.at < before)) await changeRequests((r) => r.filter((x) => x.at >= before));
    return forgotten;
  }

  async function addTo(key: "accepted" | "refused", bare: string) {
    const l = await list(key);
    if (!l.includes(bare)) await store.state.set(key, [...l, bare]);
  }

  /** Accepting makes them a contact (roster, presence both ways) and lets their IMs through. */
  async function accept(bare: string): Promise<void> {
    const { presence } = ctx.need().features;
    await addTo("accepted", bare);
    await presence.approve(bare);
    await presence.subscribe(bare);
    await changeRequests((r) => r.filter((x) => x.from !== bare));
  }

  return {
    isKnown,
    requests,
    holdIm,
    forgetStrangers,
    acceptRequest: async (bare: string): Promise<void> => {
      await accept(bare.toLowerCase());
      events.emit("contacts");
    },
    /** Refusing takes the request off the list for good and refuses them presence; their IMs stay stored, unannounced. */
    refuseRequest: async (bare: string): Promise<void> => {
      bare = bare.toLowerCase();
      const { presence } = ctx.need().features;
      await addTo("refused", bare);
      await presence.deny(bare);
      await changeRequests((r) => r.filter((x) => x.from !== bare));
      events.emit("contacts");
    },
    /** F17: the roster with presence and subscription state; requests: strangers' IMs and held presence requests. */
    contacts: async (): Promise<ContactsView> => {
      const p = ctx.need().features.presence;
      const ims = await requests();
      const refused = await list("refused");
      const asked = p
        .requests()
        .filter((b) => !ims.some((r) => r.from === b) && !refused.includes(b))
        .map((from) => ({ from, text: "", count: 0 }));
      // F26: each person by the name they go by (email header, address book, roster), else the address
      const nameOf = async (jid: string) => (await ctx.people.nameOf({ email: await ctx.counterpartOf(jid), jid }))?.name;
      const people = await Promise.all(
        p
          .roster()
          .filter((i) => i.subscription !== "remove")
          .map(async (i) => ({
            jid: i.jid,
            name: (await nameOf(i.jid)) ?? i.name,
            online: p.isAvailable(i.jid),
            subscription: i.subscription as ContactsView["contacts"][number]["subscription"],
            waiting: i.ask === "subscribe",
          })),
      );
      const named = async <T extends { from: string }>(r: T) => ({ ...r, ...(await nameOf(r.from).then((name) => (name ? { name } : {}))) });
      return {
        contacts: people.sort((a, b) => Number(b.online) - Number(a.online) || (a.name ?? a.jid).localeCompare(b.name ?? b.jid)),
        requests: await Promise.all([...ims.map((r) => ({ from: r.from, text: r.text, count: r.count, at: r.at })), ...asked].map(named)),
        ...(await dropped().then((n) => (n ? { dropped: n } : {}))),
      };
    },
    /** Adds a contact by address: presence offered and asked for (they see it accepted when they accept). */
    addContact: async (address: string): Promise<string> => {
      const bare = normaliseJid(address);
      await accept(bare);
      events.emit("contacts");
      return bare;
    },
    /** Removes a contact: off the roster, presence no longer shared either way; stored IMs stay. */
    removeContact: async (bare: string): Promise<void> => {
      bare = bare.toLowerCase();
      await ctx.need().features.presence.remove(bare);
      await store.state.set(
        "accepted",
        (await list("accepted")).filter((x) => x !== bare),
      );
      events.emit("contacts");
    },
  };
}
export type ContactsPart = ReturnType<typeof contactsPart>;
