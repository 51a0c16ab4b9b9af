// The join page's steps done by a bare xmpp.js client, nothing of ours: anonymous login on the
// guest host, the room's disco#info, MUC join (up to the self-presence), the room's MAM query.
// The same code runs in Node and, bundled, in Chromium (bench/join.ts), so the browser's own cost
// is told apart from the page's.
import { client, xml, type Client } from "@xmpp/client";
import type { Element } from "@xmpp/xml";

export interface BareJoin {
  service: string;
  guestDomain: string;
  room: string;
  nick: string;
  expect: string;
}

/**
 * Resolves with the milliseconds from the start of the login to the room's history read, and the
 * error, if the stream ended in one once the history had arrived (e.g. xmpp.js 0.14 sometimes
 * counts its stream management 'h' back to 0 after <enabled/>, and Prosody then ends the stream
 * (undefined-condition "Client acknowledged less stanzas…"): the bare client's own fault).
 */
export async function bareJoin(j: BareJoin): Promise<{ ms: number; streamError?: string }> {
  const t0 = performance.now();
  const c: Client = client({ service: j.service, domain: j.guestDomain, resource: "bare" });
  c.reconnect.stop();
  let failure: Error | undefined;
  c.on("error", (e: Error) => (failure ??= e));
  let ms: number;
  try {
    await c.start();
    await c.iqCaller.request(xml("iq", { type: "get", to: j.room }, xml("query", { xmlns: "http://jabber.org/protocol/disco#info" })));
    const joined = new Promise<void>((ok) => {
      const self = (st: Element) => {
        if (!st.is("presence") || !st.attrs.from?.startsWith(`${j.room}/`)) return;
        if (
          !st
            .getChild("x", "http://jabber.org/protocol/muc#user")
            ?.getChildren("status")
            .some((s) => s.attrs.code === "110")
        )
          return;
        c.removeListener("stanza", self);
        ok();
      };
      c.on("stanza", self);
    });
    await c.send(xml("presence", { to: `${j.room}/${j.nick}` }, xml("x", { xmlns: "http://jabber.org/protocol/muc" }, xml("history", { maxstanzas: "0" }))));
    await joined;
    const bodies: string[] = [];
    const collect = (st: Element) => {
      const body = st.getChild("result", "urn:xmpp:mam:2")?.getChild("forwarded", "urn:xmpp:forward:0")?.getChild("message")?.getChildText("body");
      if (body) bodies.push(body);
    };
    c.on("stanza", collect);
    await c.iqCaller.request(
      xml(
        "iq",
        { type: "set", to: j.room },
        xml("query", { xmlns: "urn:xmpp:mam:2", queryid: "q" }, xml("set", { xmlns: "http://jabber.org/protocol/rsm" }, xml("max", {}, "100"))),
      ),
    );
    c.removeListener("stanza", collect);
    ms = performance.now() - t0;
    if (failure) throw new Error(`the bare client's stream to ${j.service} failed before the history arrived: ${failure.message}`);
    if (!bodies.includes(j.expect)) throw new Error(`the bare client's MAM query on ${j.room} did not return the room's message (${bodies.length} found)`);
  } catch (e) {
    await c.stop().catch(() => undefined); // already failing: that failure is the one to say
    throw e;
  }
  await c.stop().catch((e: Error) => (failure ??= e)); // a stream the server ended is stopped all the same
  const ended = failure as Error | undefined; // set by the listener above, which TypeScript cannot see
  return ended ? { ms, streamError: ended.message } : { ms };
}
