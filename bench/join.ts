// F11 "Join → in the room" on each server the suites run against (a private Prosody and a
// private ejabberd, started here): the built join page (dist/web/join.html, `npm run build`) in
// headless Chromium, from the click on Join to the room's history on the page, beside a bare
// xmpp.js client in Node doing the same steps (anonymous login on the guest host, the room's
// disco#info, MUC join, MAM query) — in the same run, alternating, so the machine's noise hits
// both alike. The difference is what the page adds: its own login, its code, the DOM.
// The page is served from loopback with config.json naming each server, and the Content-Security-
// Policy the build writes for that server (`--xmpp`); servers on loopback ws://, as bench/login.ts.
import { client, xml, type Client } from "@xmpp/client";
import type { Element } from "@xmpp/xml";
import { existsSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { startEjabberd } from "../scripts/ejabberd.mjs";
import { startProsody } from "../scripts/prosody.mjs";
import { installWebSocket } from "../src/node/websocket";
import { connect, type Connection } from "../src/xmpp/connection";
import { muc } from "../src/xmpp/muc";
import { percentiles, table } from "./kit";

installWebSocket();

const WARMUP = 3;
const ROUNDS = 20;
const WELCOME = "Welcome — the agenda is in the email";
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
// playwright-core finds its own files: loaded from node_modules at run time, not bundled (bench/login.ts)
const runtimeImport = (name: string): Promise<unknown> => import(name);
// the repository: one level up from bench/ (the source) and from .tmp/ (the bundle) alike
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const WEB = join(ROOT, "dist/web");

interface Target {
  name: string; service: string; domain: string; guestDomain: string; mucDomain: string;
  /** the session's room, made by its owner, with one message in its archive */
  room: string; owner: Connection;
  stop(): Promise<void>;
}

/** A session's room as an inviter's add-in makes it: created, configured (archived), one message said. */
async function withRoom(name: string, s: { service: string; domain: string; guestDomain: string; mucDomain: string; users: Record<string, string> },
  stop: () => Promise<void>): Promise<Target> {
  const owner = await connect({ account: { service: s.service, jid: `alice@${s.domain}`, password: s.users.alice!, resource: "bench-owner" } });
  const room = `${globalThis.crypto.randomUUID()}@${s.mucDomain}`;
  await muc({ xmpp: owner.xmpp }).create(room, "alice");
  await muc({ xmpp: owner.xmpp }).send(room, WELCOME);
  return { name, service: s.service, domain: s.domain, guestDomain: s.guestDomain, mucDomain: s.mucDomain, room, owner,
    stop: async () => { await owner.stop(); await stop(); } };
}

/** dist/web per server: config.json naming it, join.html with the connect-src the build writes for it. */
async function serveJoinPage(targets: Target[]): Promise<{ url: (t: Target) => string; server: Server }> {
  if (!existsSync(join(WEB, "join.html"))) throw new Error(`${WEB}/join.html is missing: build the pages first (npm run build)`);
  const files = {
    "join.js": ["text/javascript", await readFile(join(WEB, "join.js"))],
    "join.css": ["text/css", await readFile(join(WEB, "join.css"))],
  } as Record<string, [string, Buffer | string]>;
  const html = await readFile(join(WEB, "join.html"), "utf8");
  if (!/connect-src [^;"]*/.test(html)) throw new Error(`${WEB}/join.html has no connect-src to point at the bench's servers: rebuild it (npm run build)`);
  targets.forEach((t, i) => {
    const origin = new URL(t.service).origin.replace(/^http/, "ws");
    files[`${i}/join.html`] = ["text/html", html.replace(/connect-src [^;"]*/, `connect-src 'self' ${origin}`)];
    files[`${i}/config.json`] = ["application/json", JSON.stringify({ service: t.service, guestDomain: t.guestDomain })];
  });
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname.slice(1);
    const file = files[path] ?? files[path.replace(/^\d+\//, "")];
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": file[0], "cache-control": "no-store" }).end(file[1]);
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const url = (t: Target) => {
    const [session, mucDomain] = t.room.split("@") as [string, string];
    return `${base}/${targets.indexOf(t)}/join.html#${new URLSearchParams({ s: session, m: mucDomain, f: `alice@${t.domain}` })}`;
  };
  return { url, server };
}

/** The page opened from the link, a name typed; timed in the page from the click on Join to the history shown. */
async function pageJoin(page: Page, link: string, nick: string): Promise<number> {
  await page.goto(link);
  await page.waitForSelector("#name");
  await page.fill("#name", nick);
  return page.evaluate((welcome) => new Promise<number>((ok, fail) => {
    const shown = () => [...document.querySelectorAll("section.area .body")].some((b) => b.textContent === welcome);
    const problem = () => document.getElementById("problem")?.textContent;
    const timer = setTimeout(() => fail(new Error(`the join page did not show the room's history within 30 s: ${problem() ?? document.getElementById("status")?.textContent}`)), 30_000);
    const t0 = performance.now();
    const seen = new MutationObserver(() => {
      if (!shown()) return;
      seen.disconnect();
      clearTimeout(timer);
      ok(performance.now() - t0);
    });
    seen.observe(document.body, { childList: true, subtree: true, characterData: true });
    document.getElementById("join-button")!.click();
  }), WELCOME);
}

/** The same steps by a bare xmpp.js client: guest login, the room's disco#info, MUC join, MAM query. */
async function bareJoin(t: Target, nick: string): Promise<number> {
  const t0 = performance.now();
  const c: Client = client({ service: t.service, domain: t.guestDomain, resource: "bare" });
  c.reconnect.stop();
  // xmpp.js 0.14 sometimes counts its stream management 'h' back to 0 after <enabled/> and Prosody
  // then ends the stream (undefined-condition "Client acknowledged less stanzas…"): the bare
  // client's own fault, said beside the figures; it only counts once the history has arrived
  let failure: Error | undefined;
  c.on("error", (e: Error) => (failure ??= e));
  try {
    await c.start();
    await c.iqCaller.request(xml("iq", { type: "get", to: t.room }, xml("query", { xmlns: "http://jabber.org/protocol/disco#info" })));
    const joined = new Promise<void>((ok) => {
      const self = (st: Element) => {
        if (!st.is("presence") || !st.attrs.from?.startsWith(`${t.room}/`)) return;
        if (!st.getChild("x", "http://jabber.org/protocol/muc#user")?.getChildren("status").some((s) => s.attrs.code === "110")) return;
        c.removeListener("stanza", self);
        ok();
      };
      c.on("stanza", self);
    });
    await c.send(xml("presence", { to: `${t.room}/${nick}` }, xml("x", { xmlns: "http://jabber.org/protocol/muc" }, xml("history", { maxstanzas: "0" }))));
    await joined;
    const bodies: string[] = [];
    const collect = (st: Element) => {
      const body = st.getChild("result", "urn:xmpp:mam:2")?.getChild("forwarded", "urn:xmpp:forward:0")?.getChild("message")?.getChildText("body");
      if (body) bodies.push(body);
    };
    c.on("stanza", collect);
    await c.iqCaller.request(xml("iq", { type: "set", to: t.room }, xml("query", { xmlns: "urn:xmpp:mam:2", queryid: "q" },
      xml("set", { xmlns: "http://jabber.org/protocol/rsm" }, xml("max", {}, "100")))));
    c.removeListener("stanza", collect);
    if (!bodies.includes(WELCOME)) throw new Error(`the bare client's MAM query on ${t.room} did not return the room's message (${bodies.length} found)`);
    const ms = performance.now() - t0;
    if (failure) throw new Error(`the bare client's stream to ${t.name} failed before the history arrived: ${failure.message}`);
    return ms;
  } finally {
    await c.stop().catch((e: Error) => (failure ??= e)); // a stream the server ended is stopped all the same
    if (failure) bareStreamErrors.set(t.name, (bareStreamErrors.get(t.name) ?? 0) + 1);
  }
}

/** Per server: the bare client's streams the server ended after the join (see bareJoin). */
const bareStreamErrors = new Map<string, number>();

export async function benchJoin() {
  const users = { alice: "alice-bench-pw" };
  const [p, e] = await Promise.allSettled([
    startProsody({ dir: await mkdtemp(join(tmpdir(), "rvi-bench-join-prosody-")), users }),
    startEjabberd({ dir: await mkdtemp(join(tmpdir(), "rvi-bench-join-ejabberd-")), users }),
  ]);
  if (p.status === "rejected" || e.status === "rejected") {
    // one did not start: the other is stopped before the failure is said
    if (p.status === "fulfilled") await p.value.stop({ purge: true });
    if (e.status === "fulfilled") await e.value.stop({ purge: true });
    throw p.status === "rejected" ? p.reason : (e as PromiseRejectedResult).reason;
  }
  const [prosody, ejabberd] = [p.value, e.value];
  const targets: Target[] = [];
  let site: Server | undefined;
  let browser: import("playwright-core").Browser | undefined;
  try {
    targets.push(await withRoom("Prosody", prosody, () => prosody.stop({ purge: true })));
    targets.push(await withRoom("ejabberd", ejabberd, () => ejabberd.stop({ purge: true })));
    const served = await serveJoinPage(targets);
    site = served.server;
    const { chromium } = (await runtimeImport("playwright-core")) as typeof import("playwright-core");
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    const context = await browser.newContext();
    const times = new Map(targets.flatMap((t) => [[`${t.name} page`, [] as number[]], [`${t.name} bare`, [] as number[]]]));
    for (let round = 0; round < WARMUP + ROUNDS; round++) {
      for (const t of targets) {
        const runs: [string, () => Promise<number>][] = [
          [`${t.name} page`, async () => {
            const page = await context.newPage();
            try {
              return await pageJoin(page, served.url(t), `Guest ${round}`);
            } finally {
              await page.close({ runBeforeUnload: true }); // the page leaves the room on pagehide
            }
          }],
          [`${t.name} bare`, () => bareJoin(t, `Bare ${round}`)],
        ];
        if (round % 2) runs.reverse(); // each goes first every other round
        for (const [name, run] of runs) {
          const ms = await run();
          if (round >= WARMUP) times.get(name)!.push(ms);
        }
      }
    }
    const rows = targets.map((t) => {
      const page = percentiles(times.get(`${t.name} page`)!);
      const bare = percentiles(times.get(`${t.name} bare`)!);
      return [t.name, page.p50, page.p95, bare.p50, bare.p95];
    });
    table(`Join → in the room with the history shown: the join page in Chromium (from the click on Join) beside a bare xmpp.js client in Node (the same steps), ${ROUNDS} joins each after ${WARMUP} warm-up, alternating; loopback ws:// (ms)`,
      ["server", "page p50", "page p95", "bare p50", "bare p95"], rows);
    for (const [name, n] of bareStreamErrors) {
      console.log(`${name} ended ${n} of the bare client's ${WARMUP + ROUNDS} streams after the history had arrived (xmpp.js 0.14's stream management acknowledged fewer stanzas than before); those joins are counted.`);
    }
  } finally {
    await browser?.close();
    site?.close();
    for (const t of targets) await t.stop();
    if (!targets.some((t) => t.name === "Prosody")) await prosody.stop({ purge: true });
    if (!targets.some((t) => t.name === "ejabberd")) await ejabberd.stop({ purge: true });
  }
}
