// Login time by SASL mechanism (F23): PLAIN, SCRAM-SHA-1 and SCRAM-SHA-256 side by side, in the
// same run, in Node and in Chromium (our SCRAM is WebCrypto in both), logins alternating so the
// machine's noise hits every mechanism alike. For comparison, xmpp.js's own pure-JS SCRAM-SHA-1
// (its Node client with its default mechanisms). One private Prosody storing passwords as they
// are (internal_plain), so it offers all three; reached over loopback ws:// — TLS would add the
// same handshake to every mechanism, and the question here is what the mechanisms cost.
import { client } from "@xmpp/client";
import { mkdtemp } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startProsody } from "../scripts/prosody.mjs";
import { installWebSocket } from "../src/node/websocket";
import { connect } from "../src/xmpp/connection";
import { launchBenchChromium, pageBundle } from "./browser";
import { percentiles, sized, table } from "./kit";

installWebSocket();

const MECHANISMS = ["PLAIN", "SCRAM-SHA-1", "SCRAM-SHA-256"] as const;
const WARMUP = sized(3, 1);
const ROUNDS = sized(30, 2);
const XMPPJS_ROUNDS = sized(8, 1);
// the bench itself is one bundle (scripts/bench.mjs); esbuild and playwright-core are loaded

type Login = (mechanism: string, round: number) => Promise<{ ms: number; used: string }>;

/** Every mechanism once per round, the order turned each round; the first WARMUP rounds are not counted. */
async function alternate(login: Login): Promise<Map<string, number[]>> {
  const times = new Map<string, number[]>(MECHANISMS.map((m) => [m, []]));
  for (let round = 0; round < WARMUP + ROUNDS; round++) {
    for (let k = 0; k < MECHANISMS.length; k++) {
      const m = MECHANISMS[(round + k) % MECHANISMS.length]!;
      const { ms, used } = await login(m, round);
      if (used !== m) throw new Error(`asked for ${m}, the login used ${used}`);
      if (round >= WARMUP) times.get(m)!.push(ms);
    }
  }
  return times;
}

/** connection.ts bundled for the browser as the add-in's pages have it (scripts/build.mjs's options). */
async function pageScript(): Promise<string> {
  return pageBundle({
    contents: `import { connect } from "./src/xmpp/connection";
        window.login = async (service, jid, password, mechanism, resource) => {
          let used = "?";
          const t = performance.now();
          const c = await connect({ account: { service, jid, password, resource }, mechanism, onLogin: (r) => (used = r.mechanism) });
          const ms = performance.now() - t;
          await c.stop();
          return { ms, used };
        };`,
  });
}

async function inChromium(service: string, password: string): Promise<Map<string, number[]>> {
  const script = await pageScript();
  // http://127.0.0.1 is a secure context: WebCrypto's subtle is there, as on the add-in's https pages
  const site = createServer((req, res) => {
    if (req.url === "/login.js") res.writeHead(200, { "content-type": "text/javascript" }).end(script);
    else
      res
        .writeHead(200, { "content-type": "text/html" })
        .end(`<!doctype html><meta charset="utf-8"><title>login bench</title><script src="/login.js"></script>`);
  });
  await new Promise<void>((ok) => site.listen(0, "127.0.0.1", ok));
  const browser = await launchBenchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(site.address() as AddressInfo).port}/`);
    return await alternate((mechanism, round) =>
      page.evaluate(
        ([s, p, m, r]) => (window as unknown as { login: (...a: string[]) => Promise<{ ms: number; used: string }> }).login(s!, "carol@localhost", p!, m!, r!),
        [service, password, mechanism, `chromium-${round}-${mechanism}`],
      ),
    );
  } finally {
    await browser.close();
    site.close();
  }
}

/** xmpp.js's client as it comes (its pure-JS SCRAM-SHA-1), online and stream management enabled, as ours waits for. */
async function xmppJsScramSha1(service: string, password: string): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < 1 + XMPPJS_ROUNDS; i++) {
    const xmpp = client({
      service,
      domain: "localhost",
      resource: `xmppjs-${i}`,
      credentials: (auth: (c: object, m: string) => Promise<void>) => auth({ username: "carol", password }, "SCRAM-SHA-1"),
    });
    xmpp.reconnect.stop();
    const t = performance.now();
    await xmpp.start();
    while (!xmpp.streamManagement.enabled) await new Promise((r) => setTimeout(r, 1));
    if (i > 0) times.push(performance.now() - t);
    await xmpp.stop();
  }
  return times;
}

export async function benchLogin() {
  const users = { carol: "carol-bench-pw" };
  const server = await startProsody({ dir: await mkdtemp(join(tmpdir(), "rvi-bench-login-")), users, authentication: "internal_plain" });
  try {
    let iterations: number | undefined;
    const node = await alternate(async (mechanism, round) => {
      let used = "?";
      const t = performance.now();
      const c = await connect({
        account: { service: server.service, jid: "carol@localhost", password: users.carol, resource: `node-${round}-${mechanism}` },
        mechanism,
        onLogin: (r) => ((used = r.mechanism), (iterations = r.keys?.iterations ?? iterations)),
      });
      const ms = performance.now() - t;
      await c.stop();
      return { ms, used };
    });
    const browser = await inChromium(server.service, users.carol);
    const xmppjs = await xmppJsScramSha1(server.service, users.carol);
    const rows: (string | number)[][] = [];
    for (const m of MECHANISMS) {
      const n = percentiles(node.get(m)!);
      const b = percentiles(browser.get(m)!);
      rows.push([m, n.p50, n.p95, b.p50, b.p95]);
    }
    const x = percentiles(xmppjs);
    rows.push(["SCRAM-SHA-1, xmpp.js's own (pure JS)", x.p50, x.p95, "-", "-"]);
    table(
      `Login by SASL mechanism: WebSocket + SASL + bind + stream management, ${ROUNDS} logins each, alternating (xmpp.js's: ${XMPPJS_ROUNDS}); Prosody ${server.authentication}, loopback ws:// (ms)`,
      ["mechanism", "Node p50", "Node p95", "Chromium p50", "Chromium p95"],
      rows,
    );
    console.log(
      `SCRAM's cost is PBKDF2 over the server's ${iterations ?? "?"} iterations, paid by the client at each login with the password; kept keys (F21) skip it.`,
    );
  } finally {
    await server.stop({ purge: true });
  }
}
