// The join page's host (F11): the third beside Thunderbird's and Outlook's. It logs in over
// WebSocket — as a guest on the anonymous host, or with the person's own account —, checks that
// the session's room still exists (joining would otherwise make a new, empty one), joins it,
// reads its archive (MAM), and hands the page a RoomSession (src/ui/join/session.ts).
import { xml } from "@xmpp/client";
import { roomJid } from "../../core/invitations";
import { connect, type Connection } from "../../xmpp/connection";
import { resourceOf } from "../../xmpp/jids";
import { mam } from "../../xmpp/mam";
import { muc, MucError, type RoomMessage } from "../../xmpp/muc";
import { conditionOf } from "../../xmpp/stanza-error";
import type { OpenRoom, RoomLine, RoomRequest, RoomSession } from "../../ui/join/session";

const gone = () => new MucError("item-not-found", "This chat session does not exist any more.");

async function enter(conn: Connection, r: RoomRequest): Promise<RoomSession> {
  const room = roomJid(r.inv);
  const m = muc({ xmpp: conn.xmpp });
  m.onMessage((msg: RoomMessage) => {
    if (msg.room === room) r.onMessage({ who: msg.nick, body: msg.body, at: msg.stamp ?? Date.now(), key: msg.stanzaId ?? msg.id });
  });
  m.onOccupant((at, o, present) => {
    if (at === room) r.onOccupant(o.nick, present);
  });
  // an unknown or ended session is said as such
  try {
    await conn.xmpp.iqCaller.request(xml("iq", { type: "get", to: room }, xml("query", { xmlns: "http://jabber.org/protocol/disco#info" })));
  } catch (err) {
    if (conditionOf(err) === "item-not-found") throw gone();
    throw err;
  }
  const { created } = await m.join(room, r.nick, { password: r.password });
  if (created) {
    await m.leave(room);
    throw gone();
  }
  // a room whose archive cannot be read still works live: the page shows what is said from now on
  const archived = await mam({ xmpp: conn.xmpp })
    .all({ archive: room }, 500)
    .catch(() => []);
  const history: RoomLine[] = [];
  for (const h of archived) {
    const who = resourceOf(h.message.attrs.from ?? "");
    const body = h.message.getChildText("body");
    if (who && body) history.push({ who, body, at: h.stamp, key: h.archiveId });
  }
  let left = false;
  return {
    history,
    occupants: () => m.occupants(room).map((o) => o.nick),
    send: async (body) => void (await m.send(room, body)),
    async leave() {
      if (left) return;
      left = true;
      // leaving: a room or a socket already gone is left either way
      await m.leave(room).catch(() => undefined);
      await conn.stop().catch(() => undefined);
    },
  };
}

export const openRoom: OpenRoom = async (r) => {
  const account = r.account
    ? { service: r.service, jid: r.account.jid, password: r.account.password, resource: "join-page" }
    : { service: r.service, jid: r.guestDomain, resource: "join-page" };
  const conn = await connect({ account });
  try {
    return await enter(conn, r);
  } catch (err) {
    await conn.stop().catch(() => undefined); // the join failed already: that failure is what the page says
    throw err;
  }
};
