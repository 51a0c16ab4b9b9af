// F11 the join page's steps (guest login, the room's disco, MUC join, MAM history) on an ejabberd
// whose guest host offers no stream management (XEP-0198), as some sites run it. The login used
// to wait for an <enabled/> that never comes (3 s per join, where other clients take 0.2 s): it
// must go on as soon as the server's features say there is none to wait for.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { xml } from "@xmpp/client";
import { startEjabberd, type EjabberdServer } from "../../scripts/ejabberd.mjs";
import { connect, type Connection } from "../../src/xmpp/connection";
import { mam } from "../../src/xmpp/mam";
import { muc } from "../../src/xmpp/muc";

let server: EjabberdServer;
let work: string;
const open: Connection[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "rvi-guest-join-"));
  server = await startEjabberd({ dir: join(work, "server"), users: { alice: "alice-pw" }, guestStreamManagement: false });
}, 120_000);

afterAll(async () => {
  await Promise.all(open.map((c) => c.stop()));
  await server?.stop();
  await rm(work, { recursive: true, force: true });
}, 60_000);

/** Fails with what went wrong if `p` is still waiting after `ms` (far longer than the join needs). */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(what)), ms)))]).finally(() => clearTimeout(timer));
}

describe("F11 a guest joins on a server without stream management for guests", () => {
  it("the login does not wait for stream management the guest host never offers; join and history follow", async () => {
    const alice = await connect({ account: { service: server.service, jid: `alice@${server.domain}`, password: "alice-pw", resource: "owner" } });
    open.push(alice);
    expect(alice.xmpp.streamManagement.enabled).toBe(true); // the user host has it: still enabled before anything is sent
    const room = `${globalThis.crypto.randomUUID()}@${server.mucDomain}`;
    await muc({ xmpp: alice.xmpp }).create(room, "Alice");
    await muc({ xmpp: alice.xmpp }).send(room, "Welcome to the session.");

    // a wait for <enabled/> longer than this test may take: the login only resolves if it does not wait
    // (60 s, not more: a login that did wait must not keep the test run alive long after it failed)
    const guest = await within(
      connect({ account: { service: server.service, jid: server.guestDomain, resource: "join-page" }, smWaitMs: 60_000 }),
      45_000,
      "The guest login waited for stream management although the guest host offers none (src/xmpp/connection.ts waitForStreamManagement)",
    );
    open.push(guest);
    expect(guest.anonymous).toBe(true);
    expect(guest.xmpp.streamManagement.enabled).toBe(false);

    // the join page's next steps: the room is there, joined on the server's self-presence, history from MAM
    await guest.xmpp.iqCaller.request(xml("iq", { type: "get", to: room }, xml("query", { xmlns: "http://jabber.org/protocol/disco#info" })));
    await expect(muc({ xmpp: guest.xmpp }).join(room, "Visitor")).resolves.toEqual({ created: false });
    const history = await mam({ xmpp: guest.xmpp }).all({ archive: room }, 500);
    expect(history.map((h) => h.message.getChildText("body"))).toEqual(["Welcome to the session."]);
  }, 90_000);
});
