// Message Archive Management (XEP-0313) with RSM paging: fills history after a restart and
// gives a room's history on join. Results are collected by query id and returned per page.
import { xml, type Client } from "@xmpp/client";
import type { Element } from "@xmpp/xml";
import { NS_FORWARD } from "./history-payload";
import { NS_DELAY } from "./chat";
import { newId } from "./jids";

export const NS_MAM = "urn:xmpp:mam:2";
const NS_RSM = "http://jabber.org/protocol/rsm";
const NS_DATA = "jabber:x:data";

export interface ArchivedMessage {
  archiveId: string;
  stamp: number;
  message: Element;
}
export interface MamPage {
  items: ArchivedMessage[];
  complete: boolean;
  last?: string;
}
export interface MamQuery {
  /** Archive to query: our own (undefined) or a room's JID. */
  archive?: string;
  with?: string;
  start?: number;
  end?: number;
  after?: string;
  before?: string;
  max?: number;
}

export function mam({ xmpp }: { xmpp: Client }) {
  async function page(q: MamQuery): Promise<MamPage> {
    const queryid = newId("mam");
    const items: ArchivedMessage[] = [];
    const collect = (st: Element) => {
      if (!st.is("message")) return;
      const result = st.getChild("result", NS_MAM);
      if (!result || result.attrs.queryid !== queryid) return;
      // only our own server (or the room we asked) may answer
      const from = st.attrs.from;
      const own = xmpp.jid?.bare().toString();
      if (from && from !== own && from !== q.archive) return;
      const fwd = result.getChild("forwarded", NS_FORWARD);
      const message = fwd?.getChild("message", "jabber:client") ?? fwd?.getChild("message");
      const stamp = Date.parse(fwd?.getChild("delay", NS_DELAY)?.attrs.stamp ?? "");
      if (message && result.attrs.id) items.push({ archiveId: result.attrs.id, stamp: Number.isFinite(stamp) ? stamp : 0, message });
    };
    xmpp.on("stanza", collect);
    const fields: [string, string][] = [["FORM_TYPE", NS_MAM]];
    if (q.with) fields.push(["with", q.with]);
    if (q.start !== undefined) fields.push(["start", new Date(q.start).toISOString()]);
    if (q.end !== undefined) fields.push(["end", new Date(q.end).toISOString()]);
    try {
      const res = await xmpp.iqCaller.request(
        xml(
          "iq",
          { type: "set", to: q.archive, id: newId("iq") },
          xml(
            "query",
            { xmlns: NS_MAM, queryid },
            xml(
              "x",
              { xmlns: NS_DATA, type: "submit" },
              ...fields.map(([v, val]) => xml("field", { var: v, ...(v === "FORM_TYPE" ? { type: "hidden" } : {}) }, xml("value", {}, val))),
            ),
            xml(
              "set",
              { xmlns: NS_RSM },
              xml("max", {}, String(q.max ?? 100)),
              q.after ? xml("after", {}, q.after) : undefined,
              q.before !== undefined ? xml("before", {}, q.before) : undefined,
            ),
          ),
        ),
        30_000,
      );
      const fin = res.getChild("fin", NS_MAM);
      return { items, complete: fin?.attrs.complete === "true", last: fin?.getChild("set", NS_RSM)?.getChildText("last") ?? undefined };
    } finally {
      xmpp.removeListener("stanza", collect);
    }
  }

  /** Pages forward from `start` until the archive is exhausted (or `limit` items). */
  async function all(q: Omit<MamQuery, "after" | "before">, limit = 10_000): Promise<ArchivedMessage[]> {
    const out: ArchivedMessage[] = [];
    let after: string | undefined;
    for (;;) {
      const p = await page({ ...q, after, max: Math.min(q.max ?? 100, limit - out.length) });
      out.push(...p.items);
      if (p.complete || !p.last || p.items.length === 0 || out.length >= limit) return out;
      after = p.last;
    }
  }

  /**
   * The user's archiving default (XEP-0313 §6): "always" keeps every IM, "roster" only contacts',
   * "never" none; undefined when the server does not say (an error, no prefs support).
   */
  async function archives(): Promise<"always" | "roster" | "never" | undefined> {
    try {
      const prefs = await xmpp.iqCaller.get(xml("prefs", { xmlns: NS_MAM }), undefined, 10_000);
      const d = prefs?.attrs.default;
      return d === "always" || d === "roster" || d === "never" ? d : undefined;
    } catch {
      return undefined; // not said: the engine acts as if nothing were archived
    }
  }

  return { page, all, archives };
}
export type Mam = ReturnType<typeof mam>;
