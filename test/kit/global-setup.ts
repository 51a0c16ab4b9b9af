// The run's private servers, over TLS with a throw-away CA (scripts/test-ca.mjs), their
// endpoints passed to the test workers in the environment:
// - RVI_XMPP: the Prosody every test uses (wss://localhost with the CA's certificate; ws:// too,
//   for the tests that ask for it);
// - RVI_XMPP_SCRAM: a hardened one — SCRAM only (no PLAIN), passwords stored so that it offers
//   SCRAM-SHA-256, only its TLS WebSocket counted as secure;
// - RVI_XMPP_EJABBERD: an ejabberd (scripts/ejabberd.mjs), the second server the parameterised
//   suites run against, with a pool of users registered in one call (test/kit/xmpp.ts hands
//   them out: one ejabberdctl call per user would take about a second each);
// - RVI_TEST_CA: the CA's certificate, which the browsers and Thunderbird the tests start trust.
// Node trusts the CA through NODE_EXTRA_CA_CERTS, read only when a process starts: `npm test`
// sets it before jest; otherwise it is set here for the workers and the programs the tests
// start, and RVI_TEST_CA_LATE_PID names this process, which started without it (test/kit/xmpp.ts).
// Tests that kill or restart a server start their own.
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startEjabberd } from "../../scripts/ejabberd.mjs";
import { startProsody } from "../../scripts/prosody.mjs";
import { issueCert, makeCa } from "../../scripts/test-ca.mjs";

/** Where `npm test` makes the CA too (package.json), so that both name the same one. */
export const TEST_CA_DIR = resolve(__dirname, "../../.tmp/test-ca");

/** The ejabberd's pre-registered users, handed out by test/kit/xmpp.ts usersOn(). */
export const poolUser = (n: number) => ({ user: `pool-${n}`, password: `pw-pool-${n}` });
/** Enough for the parameterised suites of one run; past it a user costs an ejabberdctl call. */
const EJABBERD_POOL = 400;

export default async function globalSetup() {
  const ca = await makeCa(TEST_CA_DIR);
  const [dir, scramDir, ejabberdDir] = await Promise.all([
    mkdtemp(join(tmpdir(), "rvi-xmpp-")),
    mkdtemp(join(tmpdir(), "rvi-xmpp-scram-")),
    mkdtemp(join(tmpdir(), "rvi-ejabberd-")),
  ]);
  const tls = await issueCert(ca, join(dir, "certs"));
  const pool = Object.fromEntries(Array.from({ length: EJABBERD_POOL }, (_, n) => [poolUser(n).user, poolUser(n).password]));
  const [main, scram, ejabberd] = await Promise.all([
    startProsody({ dir, tls }),
    // hashed storage (one salt for good, SCRAM-SHA-256 too): a server where the add-in keeps keys
    // alone; internal_plain's salt changes at every exchange, and there the password is kept (issue 21)
    startProsody({ dir: scramDir, tls, scramOnly: true, extraConfig: 'VirtualHost "localhost" { password_hash = "SHA-256" }' }),
    startEjabberd({ dir: ejabberdDir, tls, users: pool }),
  ]);
  await mkdir(join(ejabberdDir, "claims"));
  const { stop, ...info } = main;
  const { stop: stopScram, ...scramInfo } = scram;
  const { stop: stopEjabberd, ...ejabberdInfo } = ejabberd;
  process.env.RVI_XMPP = JSON.stringify(info);
  process.env.RVI_XMPP_SCRAM = JSON.stringify(scramInfo);
  // the pool's passwords follow from the names (poolUser): the environment needs only its size
  process.env.RVI_XMPP_EJABBERD = JSON.stringify({ ...ejabberdInfo, users: {}, pool: EJABBERD_POOL });
  process.env.RVI_TEST_CA = ca.caCert;
  const extra = process.env.NODE_EXTRA_CA_CERTS;
  if (!extra || resolve(extra) !== ca.caCert) {
    process.env.RVI_TEST_CA_LATE_PID = String(process.pid);
    let bundle = ca.caCert;
    if (extra) {
      // one file only: the CAs this process was given and ours
      bundle = join(dir, "certs", "extra-ca.pem");
      await writeFile(bundle, `${await readFile(extra, "utf8")}\n${await readFile(ca.caCert, "utf8")}`);
    }
    process.env.NODE_EXTRA_CA_CERTS = bundle;
  }
  Object.assign(globalThis as Record<string, unknown>, { __rviProsody: main, __rviProsodyScram: scram, __rviEjabberd: ejabberd });
}
