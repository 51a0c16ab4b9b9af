// F11 "Join → in the room" on each server the suites run against (a private Prosody and a
// private ejabberd, started here): the built join page (web/join.html, built here per server) in
// headless Chromium, from the click on Join to the room's history on the page, beside a bare
// xmpp.js client doing the same steps (bench/join-bare.ts: anonymous login on the guest host, the
// room's disco#info, MUC join, MAM query) in Chromium and in Node — in the same run, alternating,
// so the machine's noise hits all three alike. Page vs bare in Chromium: what the page's own code
// adds (its login, the DOM); bare in Chromium vs in Node: what the browser adds.
// Servers on loopback ws://, as in bench/login.ts: TLS would add the same handshake to both.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Page } from "playwright-core";
import { startEjabberd } from "../scripts/ejabberd.mjs";
import { startProsody } from "../scripts/prosody.mjs";
import { installWebSocket } from "../src/node/websocket";
import { connect, type Connection } from "../src/xmpp/connection";
import { muc } from "../src/xmpp/muc";
import { bareJoin, type BareJoin } from "./join-bare";
import { launchBenchChromium, pageBundle, ROOT } from "./browser";
import { percentiles, sized, table } from "./kit";

type Stats = ReturnType<typeof percentiles>;
const bareOf = (t: Target, nick: string): BareJoin => ({ service: t.service, guestDomain: t.guestDomain, room: t.room, nick, expect: WELCOME });

installWebSocket();

const WARMUP = sized(3, 1);
const ROUNDS = sized(20, 2);
const WELCOME = "Welcome — the agenda is in the email";
const run = promisify(execFile);

interface Target {
  name: string;
  service: string;
  domain: string;
  guestDomain: string;
  mucDomain: string;
  /** the session's room, made by its owner, with one message in its archive */
  room: string;
  owner: Connection;
  stop(): Promise<void>;
}

/** A session's room as an inviter's add-in makes it: created, configured (archived), one message said. */
async function withRoom(
  name: string,
  s: { service: string; domain: string; guestDomain: string; mucDomain: string; users: Record<string, string> },
  stop: () => Promise<void>,
): Promise<Target> {
  const owner = await connect({ account: { service: s.service, jid: `alice@${s.domain}`, password: s.users.alice!, resource: "bench-owner" } });
  const room = `${globalThis.crypto.randomUUID()}@${s.mucDomain}`;
  await muc({ xmpp: owner.xmpp }).create(room, "alice");
  await muc({ xmpp: owner.xmpp }).send(room, WELCOME);
  return {
    name,
    service: s.service,
    domain: s.domain,
    guestDomain: s.guestDomain,
    mucDomain: s.mucDomain,
    room,
    owner,
    stop: async () => {
      await owner.stop().catch(() => undefined); // the server is stopped next either way: a failed goodbye changes nothing
      await stop();
    },
  };
}

/**
 * The join page built for each server as `npm run build --xmpp <its WebSocket>` builds it (the
 * page's config.json names the server, its Content-Security-Policy lets it connect there), into a
 * directory of the bench's own (never dist/, which others may be building), served on loopback.
 */
async function serveJoinPages(targets: Target[], dirs: string[]): Promise<{ url: (t: Target) => string; bareUrl: string; server: Server }> {
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
  const bare = await bareScript();
  const server = createServer((req, res) => {
    if (req.url === "/bare.js") return void res.writeHead(200, { "content-type": "text/javascript" }).end(bare);
    if (req.url === "/bare.html")
      return void res
        .writeHead(200, { "content-type": "text/html" })
        .end(`<!doctype html><meta charset="utf-8"><title>bare join</title><script src="/bare.js"></script>`);
    // /<n>/<file> and /<n>/chunks/<file> (the page's ES module chunks): the n-th server's page;
    // only plain file names, nothing outside its web/
    const m = /^\/(\d+)\/((?:chunks\/)?[\w.-]+)$/.exec(new URL(req.url ?? "/", "http://x").pathname);
    const dir = m && dirs[Number(m[1])];
    if (!m || !dir || m[2]!.split("/").pop()!.startsWith(".")) return void res.writeHead(404).end();
    readFile(join(dir, "web", m[2]!)).then(
      (body) => res.writeHead(200, { "content-type": types[m[2]!.split(".").pop()!] ?? "application/octet-stream", "cache-control": "no-store" }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const url = (t: Target) => {
    const [session, mucDomain] = t.room.split("@") as [string, string];
    return `${base}/${targets.indexOf(t)}/join.html#${new URLSearchParams({ s: session, m: mucDomain, f: `alice@${t.domain}` })}`;
  };
  return { url, bareUrl: `${base}/bare.html`, server };
}

/** The page opened from the link, a name typed; timed in the page from the click on Join to the history shown. */
async function pageJoin(page: Page, link: string, nick: string): Promise<number> {
  await page.goto(link);
  await page.waitForSelector("#name");
  await page.fill("#name", nick);
  return page.evaluate(
    (welcome) =>
      new Promise<number>((ok, fail) => {
        const shown = () => [...document.querySelectorAll("section.area .body")].some((b) => b.textContent === welcome);
        const problem = () => document.getElementById("problem")?.textContent;
        const timer = setTimeout(
          () => fail(new Error(`the join page did not show the room's history within 30 s: ${problem() ?? document.getElementById("status")?.textContent}`)),
          30_000,
        );
        const t0 = performance.now();
        const seen = new MutationObserver(() => {
          if (!shown()) return;
          seen.disconnect();
          clearTimeout(timer);
          ok(performance.now() - t0);
        });
        seen.observe(document.body, { childList: true, subtree: true, characterData: true });
        document.getElementById("join-button")!.click();
      }),
    WELCOME,
  );
}

/** bench/join-bare.ts bundled for the browser (as bench/login.ts bundles the connection). */
async function bareScript(): Promise<string> {
  return pageBundle({ contents: `import { bareJoin } from "./bench/join-bare"; window.bareJoin = bareJoin;` });
}

/** Per server, place and error: the bare client's streams that ended in an error after the join (bench/join-bare.ts). */
const bareStreamEnds = new Map<string, number>();
const counted = (where: string, r: { ms: number; streamError?: string }) => {
  const key = `${where}: ${r.streamError}`;
  if (r.streamError) bareStreamEnds.set(key, (bareStreamEnds.get(key) ?? 0) + 1);
  return r.ms;
};

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
    browser = await launchBenchChromium();
    const context = await browser.newContext();
    const barePage = await context.newPage();
    await barePage.goto(served.bareUrl);
    const inChromium = (j: BareJoin) => barePage.evaluate((a) => (window as unknown as { bareJoin: typeof bareJoin }).bareJoin(a), j);
    const times = new Map(targets.flatMap((t) => ["page", "bare in Chromium", "bare in Node"].map((k) => [`${t.name} ${k}`, [] as number[]])));
    for (let round = 0; round < WARMUP + ROUNDS; round++) {
      for (const t of targets) {
        const runs: [string, () => Promise<number>][] = [
          [
            `${t.name} page`,
            async () => {
              const page = await context.newPage();
              try {
                return await pageJoin(page, served.url(t), `Guest ${round}`);
              } finally {
                await page.close({ runBeforeUnload: true }); // the page leaves the room on pagehide
              }
            },
          ],
          [`${t.name} bare in Chromium`, async () => counted(`${t.name} in Chromium`, await inChromium(bareOf(t, `Bare C${round}`)))],
          [`${t.name} bare in Node`, async () => counted(`${t.name} in Node`, await bareJoin(bareOf(t, `Bare N${round}`)))],
        ];
        for (let k = 0; k < round % runs.length; k++) runs.push(runs.shift()!); // each goes first in turn
        for (const [name, run] of runs) {
          const ms = await run();
          if (round >= WARMUP) times.get(name)!.push(ms);
        }
      }
    }
    const rows = targets.map((t) => {
      const [page, chromium, node] = ["page", "bare in Chromium", "bare in Node"].map((k) => percentiles(times.get(`${t.name} ${k}`)!)) as [
        Stats,
        Stats,
        Stats,
      ];
      return [t.name, page.p50, page.p95, chromium.p50, chromium.p95, node.p50, node.p95];
    });
    table(
      `Join → in the room with the history shown: the join page in Chromium (from the click on Join) beside a bare xmpp.js client doing the same steps in Chromium and in Node, ${ROUNDS} joins each after ${WARMUP} warm-up, alternating; loopback ws:// (ms)`,
      ["server", "page p50", "page p95", "bare Chromium p50", "p95", "bare Node p50", "p95"],
      rows,
    );
    for (const [what, n] of bareStreamEnds) {
      console.log(`${n} of the bare client's ${WARMUP + ROUNDS} streams ended in an error after the history had arrived, counted all the same (${what})`);
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
