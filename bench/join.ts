// F11 "Join → in the room" on each server the suites run against (a private Prosody and a
// private ejabberd, started here): the built join page (web/join.html, built here per server) in
// headless Chromium, from the click on Join to the room's history on the page, beside a bare
// xmpp.js client in Node doing the same steps (anonymous login on the guest host, the room's
// disco#info, MUC join, MAM query) — in the same run, alternating, so the machine's noise hits
// both alike. The difference is what the page adds: its own login, its code, the DOM.
// Servers on loopback ws://, as in bench/login.ts: TLS would add the same handshake to both.
import { client, xml, type Client } from "@xmpp/client";
import type { Element } from "@xmpp/xml";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
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
const run = promisify(execFile);

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

/**
 * The join page built for each server as `npm run build --xmpp <its WebSocket>` builds it (the
 * page's config.json names the server, its Content-Security-Policy lets it connect there), into a
 * directory of the bench's own (never dist/, which others may be building), served on loopback.
 */
async function serveJoinPages(targets: Target[], dirs: string[]): Promise<{ url: (t: Target) => string; server: Server }> {
  for (const t of targets) {
    const out = await mkdtemp(join(tmpdir(), "rvi-bench-join-build-"));
    dirs.push(out);
    try {
      await run(process.execPath, ["scripts/build.mjs", "--xmpp", t.service, "--guest-domain", t.guestDomain, "--out", out], { cwd: ROOT });
    } catch (e) {
      throw new Error(`Building the join page for ${t.name} failed (node scripts/build.mjs): ${(e as { stderr?: string }).stderr || (e as Error).message}`);
    }
  }
  const types: Record<string, string> = { html: "text/html", js: "text/javascript", css: "text/css", json: "application/json" };
  const server = createServer((req, res) => {
    // /<n>/<file>: the n-th server's page; only plain file names, nothing outside its web/
    const m = /^\/(\d+)\/([\w.-]+)$/.exec(new URL(req.url ?? "/", "http://x").pathname);
    const dir = m && dirs[Number(m[1])];
    if (!m || !dir || m[2]!.startsWith(".")) return void res.writeHead(404).end();
    readFile(join(dir, "web", m[2]!)).then(
      (body) => res.writeHead(200, { "content-type": types[m[2]!.split(".").pop()!] ?? "application/octet-stream", "cache-control": "no-store" }).end(body),
      () => res.writeHead(404).end());
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
  const builds: string[] = []; // each build's directory, removed at the end (filled as they are made)
  let browser: import("playwright-core").Browser | undefined;
  try {
    targets.push(await withRoom("Prosody", prosody, () => prosody.stop({ purge: true })));
    targets.push(await withRoom("ejabberd", ejabberd, () => ejabberd.stop({ purge: true })));
    const served = await serveJoinPages(targets, builds);
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
    await Promise.all(builds.map((d) => rm(d, { recursive: true, force: true })));
    for (const t of targets) await t.stop();
    if (!targets.some((t) => t.name === "Prosody")) await prosody.stop({ purge: true });
    if (!targets.some((t) => t.name === "ejabberd")) await ejabberd.stop({ purge: true });
  }
}
