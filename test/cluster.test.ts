// The engine on two ejabberd nodes joined into one cluster (scripts/ejabberd-cluster.mjs), the way
// a site with more than one server runs: alice is logged in on node A, bob on node B, and what a
// user does — an IM with its history and receipt, one kept while the contact is away, a chat
// session and its archive — crosses from one node to the other. Slow (two servers start and
// join): run by `npm run test:cluster`, not in the main `npm test`.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ctl } from "../scripts/ejabberd.mjs";
import { startEjabberdCluster, type EjabberdCluster } from "../scripts/ejabberd-cluster.mjs";
import { issueCert, makeCa } from "../scripts/test-ca.mjs";
import { findInvitation } from "../src/core";
import type { IncomingIm } from "../src/engine/engine";
import type { Account } from "../src/xmpp/connection";
import { stopEngines, testEngine } from "./kit/engine";
import { TEST_CA_DIR } from "./kit/global-setup";
import { until } from "./kit/xmpp";

const USERS = { alice: "alice-pw", bob: "bob-pw" };
const JOIN_PAGE = "https://addins.example.org/web/join.html";
let cluster: EjabberdCluster;
let work: string;
let seq = 0;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "rvi-cluster-"));
  const tls = await issueCert(await makeCa(TEST_CA_DIR), join(work, "certs"));
  cluster = await startEjabberdCluster({ dir: join(work, "cluster"), users: USERS, tls, readyTimeoutMs: 120_000 });
}, 240_000);

afterAll(async () => {
  await stopEngines();
  await cluster?.stop();
  await rm(work, { recursive: true, force: true });
}, 60_000);

afterEach(stopEngines);

/** alice always on node A, bob always on node B: every exchange crosses the cluster */
function account(user: keyof typeof USERS): Account {
  const node = user === "alice" ? cluster.a : cluster.b;
  return { service: node.secureService!, jid: `${user}@${node.domain}`, password: USERS[user], resource: `cl${++seq}` };
}

async function online(user: keyof typeof USERS) {
  const e = testEngine(account(user));
  await e.start();
  const inbox: IncomingIm[] = [];
  e.events.on("message", (m) => inbox.push(m));
  return Object.assign(e, { inbox });
}

describe("the engine on a two-node ejabberd cluster", () => {
  it("the nodes are one cluster, each with its own WebSocket, sharing the users", async () => {
    for (const node of [cluster.a, cluster.b]) {
      const { stdout } = await ctl(node.dir, "list_cluster");
      expect(stdout).toContain(cluster.a.node);
      expect(stdout).toContain(cluster.b.node);
    }
    expect(cluster.a.secureService).not.toBe(cluster.b.secureService);
    const b = await online("bob"); // registered on A only: B knows him through the shared Mnesia
    expect(b.connection!.bare).toBe("bob@localhost");
  });

  it("an IM with the earlier email from node A to node B: the receipt makes it delivered, and both keep the history", async () => {
    const a = await online("alice");
    const b = await online("bob");
    await a.recordEmail(
      {
        messageId: "<budget-1@mail.example.org>",
        from: "alice@localhost",
        to: ["bob@localhost"],
        subject: "Budget 2027",
        date: Date.UTC(2026, 10, 1),
        text: "Email 1: the budget numbers are attached.",
        attachments: [],
      },
      "bob@localhost",
    );
    const out = await a.replyViaIm("Can we talk about the budget now?", { to: "bob@localhost" });
    expect(out).toMatchObject({ state: "delivered", to: "bob@localhost" });
    await until(() => b.inbox.length === 1, "bob's IM on node B");
    expect(b.inbox[0]).toMatchObject({ from: "alice@localhost", text: "Can we talk about the budget now?", history: { stored: 1 } });
    expect((await b.history("alice@localhost")).items.map((x) => `${x.kind}:${x.direction}:${x.origin}`)).toEqual(["email:in:theirs", "im:in:ours"]);
    const archived = await until(
      async () => (await b.features.mam.all({ with: "alice@localhost" })).map((x) => x.message.getChildText("body") ?? "").filter(Boolean),
      "bob's archive on node B",
    );
    expect(archived.some((t) => t.startsWith("Can we talk about the budget now?"))).toBe(true);
  });

  it("bob is away: alice keeps the IM, and it is delivered exactly once when he logs in on the other node", async () => {
    const a = await online("alice");
    const b0 = testEngine(account("bob"));
    await b0.start();
    await until(() => a.features.presence.isAvailable("bob@localhost"), "bob online, seen from node A");
    await b0.stop();
    await until(() => !a.features.presence.isAvailable("bob@localhost"), "bob offline, seen from node A");
    const asked = await a.replyViaIm("are you back?", { to: "bob@localhost" });
    expect(asked.state).toBe("asked");
    expect((await a.decide(asked.id, "keep")).state).toBe("queued");
    await until(async () => ((await a.store.outbox.get(asked.id))?.attempts ?? 0) > 1, "retries while bob is away");

    const b = testEngine(account("bob"), { factory: b0.factory });
    const got: IncomingIm[] = [];
    b.events.on("message", (m) => got.push(m));
    await b.start();
    await until(async () => (await a.store.outbox.get(asked.id))?.state === "delivered", "delivered across the cluster", 15_000);
    expect((await a.replyViaIm("one more", { to: "bob@localhost" })).state).toBe("delivered");
    await until(() => got.some((m) => m.text === "one more"), "the later IM");
    expect(got.filter((m) => m.text === "are you back?")).toHaveLength(1);
    expect((await b.history("alice@localhost")).items.filter((x) => x.text === "are you back?")).toHaveLength(1);
  });

  it("a chat session made on node A: bob joins from node B, and what is said is in the room's archive", async () => {
    const a = await online("alice");
    const b = await online("bob");
    const invites: string[] = [];
    b.features.muc.onInvite((i) => invites.push(i.room));
    const s = await a.sessions.create({ recipients: ["bob@localhost"], subject: "Budget review", joinPage: JOIN_PAGE });
    await until(() => invites.includes(s.room), "bob's invitation on node B");
    expect(await b.features.muc.join(s.room, "Bob")).toEqual({ created: false });
    const aliceSaw: string[] = [];
    a.features.muc.onMessage((m) => aliceSaw.push(m.body));
    await b.features.muc.send(s.room, "Travel is fixed at 4k.");
    await until(() => aliceSaw.includes("Travel is fixed at 4k."), "alice on node A to read bob");
    await a.features.muc.send(s.room, "Good, then we are done.");
    const inv = findInvitation([`<a href="${s.html.match(/href="([^"]+)"/)![1]}">join</a>`])!;
    const theirs = await until(async () => {
      const t = await b.sessions.transcript(inv);
      return t.records.length === 2 && t;
    }, "both lines in the room archive, read from node B");
    // no inviter: the link's f= is a claim the room does not confirm (the email's From says who sent it; issue 21)
    expect(theirs).toMatchObject({ own: false, ended: false, inviter: "", subject: "Budget review" });
    expect(theirs.records.map((r) => r.text)).toEqual(["Travel is fixed at 4k.", "Good, then we are done."]);
  });
});
