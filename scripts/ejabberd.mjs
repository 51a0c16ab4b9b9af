#!/usr/bin/env node
// A private ejabberd (Debian's package) for tests: the second server the engine is checked
// against, beside scripts/prosody.mjs. A fresh directory holds everything (config, Mnesia spool,
// logs, uploads, HOME and a private copy of ejabberdctl); free loopback ports; its own node name
// and a random cookie, and Erlang distribution on a private port (ERL_DIST_PORT: no system-wide
// epmd), so it never meets another instance — the package's own service included. It runs in the
// foreground under `timeout`, so a server left behind by a crashed run still ends within the hour;
// stopped by the PIDs it started (never by name): SIGTERM to beam first, Erlang's clean stop. A
// stopped or killed server restarts from its directory on its ports (`ports`), with its data.
//   node scripts/ejabberd.mjs start DIR [user:pw …] [--cert FILE --key FILE]   prints one JSON line
//   node scripts/ejabberd.mjs stop DIR [--purge]
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { DEFAULT_USERS } from "./prosody.mjs";
import { accepts, descendants, freePort, runs, sleep, spawnSupervised, startsOf, stopPids } from "./lib/process.mjs";
import { serverCli } from "./lib/server-cli.mjs";

const run = promisify(execFile);
const SYSTEM_CTL = "/usr/sbin/ejabberdctl";
const MAX_LIFETIME_S = 3600;

// JSON is YAML: the config is written as JSON, so no value needs YAML quoting rules.
function config({ dir, domain, c2sPort, httpPort, httpsPort, tls, guestStreamManagement }) {
  const handlers = { "/ws": "ejabberd_http_ws", "/upload": "mod_http_upload" };
  const local = {
    mod_adhoc: {},
    mod_blocking: {},
    mod_caps: {},
    mod_carboncopy: {},
    mod_disco: {},
    mod_last: {},
    mod_mam: { default: "always", db_type: "mnesia" },
    mod_muc: {
      host: `conference.${domain}`,
      access: "all",
      access_create: "all",
      access_persistent: "all",
      history_size: 20,
      db_type: "mnesia",
      // rooms archived from the start, as Prosody's muc_log_all_rooms does
      default_room_options: { mam: true, persistent: true, public: false },
    },
    mod_offline: { access_max_user_messages: "max_user_offline_messages" },
    mod_ping: {},
    mod_privacy: {},
    mod_private: {},
    mod_pubsub: { plugins: ["flat", "pep"] },
    mod_roster: {},
    mod_stream_mgmt: { resume_timeout: 30 },
    mod_vcard: {},
    mod_version: { show_os: false },
    mod_http_upload: {
      host: `upload.${domain}`,
      put_url: `http://127.0.0.1:${httpPort}/upload`,
      docroot: join(dir, "upload"),
      max_size: 10 * 1024 * 1024,
      thumbnail: false,
      access: "local",
      // its sample allows only its own origin; the add-in's pages upload from theirs
      custom_headers: {
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Allow-Methods": "GET,HEAD,PUT,OPTIONS",
        "Access-Control-Allow-Headers": "Content-Type, Authorization",
      },
    },
  };
  // the guest host gets its own list: a second mod_http_upload on the same put_url refuses to start
  const guest = {
    mod_caps: {},
    mod_carboncopy: {},
    mod_disco: {},
    mod_ping: {},
    ...(guestStreamManagement ? { mod_stream_mgmt: { resume_timeout: 30 } } : {}),
  };
  return {
    hosts: [domain, `guest.${domain}`],
    loglevel: process.env.EJABBERD_LOGLEVEL ?? "info",
    log_rotate_count: 0,
    ...(tls ? { certfiles: [tls.cert, tls.key] } : {}),
    acme: { auto: false },
    default_db: "mnesia",
    auth_method: "internal",
    // passwords kept as given: PLAIN and every SCRAM are offered (scram storage offers one hash)
    auth_password_format: "plain",
    listen: [
      { port: c2sPort, ip: "127.0.0.1", module: "ejabberd_c2s", starttls: Boolean(tls), max_stanza_size: 2097152 },
      { port: httpPort, ip: "127.0.0.1", module: "ejabberd_http", request_handlers: handlers },
      ...(tls ? [{ port: httpsPort, ip: "127.0.0.1", module: "ejabberd_http", tls: true, request_handlers: handlers }] : []),
    ],
    acl: { local: { user_regexp: "" }, loopback: { ip: ["127.0.0.0/8", "::1/128"] } },
    access_rules: { local: { allow: "local" }, c2s: { allow: "all" } },
    shaper_rules: { max_user_offline_messages: 5000, max_user_sessions: 100 },
    host_config: {
      [domain]: { modules: local },
      [`guest.${domain}`]: { auth_method: ["anonymous"], anonymous_protocol: "both", allow_multiple_connections: true, modules: guest },
    },
  };
}

// Debian's ejabberdctl switches to the `ejabberd` user when run as root (CI runs as root): a copy
// with that line emptied runs as the caller, with the caller's files.
async function privateCtl(dir) {
  const text = await readFile(SYSTEM_CTL, "utf8").catch(() => {
    throw new Error(`${SYSTEM_CTL} is missing: install ejabberd (bash scripts/setup, or apt-get install ejabberd)`);
  });
  const emptied = text.replace(/^INSTALLUSER=.*$/m, "INSTALLUSER=");
  if (emptied === text && !/^INSTALLUSER=$/m.test(text))
    throw new Error(`${SYSTEM_CTL} has no INSTALLUSER= line: this ejabberd package is not the one scripts/ejabberd.mjs knows`);
  const ctl = join(dir, "ejabberdctl");
  await writeFile(ctl, emptied);
  await chmod(ctl, 0o755);
}

/** Runs the instance's own ejabberdctl (`register`, `status`, `stop` …) against its node. */
export function ctl(dir, ...args) {
  dir = resolve(dir);
  return run(join(dir, "ejabberdctl"), ["--config-dir", dir, "--spool", join(dir, "spool"), "--logs", join(dir, "log"), ...args], {
    cwd: dir,
    env: { ...process.env, HOME: dir },
    timeout: 60_000,
  });
}

/**
 * Starts an ejabberd in a fresh `dir`. Returns its endpoints and a stop().
 * `tls` ({ cert, key }: PEM files naming localhost): the WebSocket also over TLS (`secureService`),
 * and STARTTLS on c2s.
 * `cluster` ({ cookie, epmdPort }): a node of a cluster (scripts/ejabberd-cluster.mjs) — the shared
 * cookie, the cluster's own epmd, and distribution on one private port instead of ERL_DIST_PORT.
 * `guestStreamManagement: false`: the guest host without XEP-0198, as some sites run it.
 * `ports` ({ c2sPort, httpPort, httpsPort }): to restart a stopped (or killed) server of `dir` on
 * the ports it had, with its data — the same node name, cookie and Mnesia spool; users are not
 * registered again.
 */
export async function startEjabberd({
  dir,
  users = DEFAULT_USERS,
  domain = "localhost",
  tls,
  readyTimeoutMs = 60_000,
  cluster,
  guestStreamManagement = true,
  ports,
} = {}) {
  if (!existsSync(SYSTEM_CTL)) throw new Error(`${SYSTEM_CTL} is missing: install ejabberd (bash scripts/setup, or apt-get install ejabberd)`);
  if (tls && !(existsSync(tls.cert) && existsSync(tls.key)))
    throw new Error(`The TLS certificate or key is missing (${tls.cert}, ${tls.key}): issue one first (scripts/test-ca.mjs)`);
  dir = resolve(dir);
  tls = tls && { cert: resolve(tls.cert), key: resolve(tls.key) };
  const before = existsSync(join(dir, "ejabberd.yml")) ? await previous(dir) : undefined;
  if (before && !ports) throw new Error(`${dir} already holds an ejabberd: give a fresh directory, stop it with --purge, or give its ports to restart it`);
  // a server just killed may not have been reaped yet: a moment for it, then it must be gone
  for (let t = Date.now(); before?.pid && runs(before.pid, before.starts?.[before.pid]) && Date.now() - t < 3000;) await sleep(10);
  if (before?.pid && runs(before.pid, before.starts?.[before.pid]))
    throw new Error(`The ejabberd of ${dir} still runs (PID ${before.pid}): stop it before starting it again`);
  const c2sPort = ports?.c2sPort ?? (await freePort());
  const httpPort = ports?.httpPort ?? (await freePort());
  const httpsPort = tls ? (ports?.httpsPort ?? (await freePort())) : undefined;
  // Mnesia's spool belongs to the node's name, which names the distribution port: a restart keeps both
  const distPort = before?.distPort ?? (await freePort());
  const node = `ejabberd_${distPort}@localhost`;
  for (const d of ["spool", "log", "upload"]) await mkdir(join(dir, d), { recursive: true });
  await privateCtl(dir);
  await writeFile(join(dir, "ejabberd.yml"), JSON.stringify(config({ dir, domain, c2sPort, httpPort, httpsPort, tls, guestStreamManagement }), null, 1));
  await writeFile(join(dir, "inetrc"), `{lookup,["file","native"]}.\n{host,{127,0,0,1}, ["localhost"]}.\n`);
  // the cookie and the distribution port make this node reachable by its own ejabberdctl only;
  // Erlang reads the cookie from $HOME (DIR), so it is not on a command line for `ps` to show
  if (!before) await writeFile(join(dir, ".erlang.cookie"), cluster?.cookie ?? randomBytes(18).toString("hex"), { mode: 0o400 });
  // a killed server's pidfile names a process that is gone: the new one writes its own
  await rm(join(dir, "ejabberd.pid"), { force: true });
  const erlOptions = "-kernel inet_dist_use_interface {127,0,0,1} -env ERL_CRASH_DUMP_BYTES 0";
  await writeFile(
    join(dir, "ejabberdctl.cfg"),
    [
      `ERLANG_NODE=${node}`,
      ...(cluster
        ? [
            // ERL_DIST_PORT would make each node expect the others on its own port (join_cluster:
            // no_ping): the nodes find each other through the cluster's epmd instead. Only the server
            // (`foreground`) listens on distPort; ejabberdctl's short-lived nodes take any port.
            `export ERL_EPMD_PORT=${cluster.epmdPort}`,
            `ERL_OPTIONS="-start_epmd false ${erlOptions}"`,
            `if [ "$1" = foreground ]; then FIREWALL_WINDOW=${distPort}-${distPort}; fi`,
          ]
        : [`ERL_DIST_PORT=${distPort}`, `ERL_OPTIONS="${erlOptions}"`]),
      `EJABBERD_PID_PATH=${join(dir, "ejabberd.pid")}`,
      `EJABBERD_BYPASS_WARNINGS=true`,
      "",
    ].join("\n"),
    { mode: 0o600 },
  );

  const out = join(dir, "ejabberd.stdout");
  const started = Date.now();
  const { child, exited } = spawnSupervised(
    join(dir, "ejabberdctl"),
    ["--config-dir", dir, "--spool", join(dir, "spool"), "--logs", join(dir, "log"), "foreground"],
    { out, cwd: dir, env: { ...process.env, HOME: dir }, maxLifetimeS: MAX_LIFETIME_S },
  );
  const fail = async (why) => {
    const log = await readFile(join(dir, "log/ejabberd.log"), "utf8").catch(() => "");
    const text = await readFile(out, "utf8").catch(() => "");
    await stopEjabberd(dir, { graceMs: 0 }).catch(() => undefined); // already failing: the first error is the one to report
    return new Error(`ejabberd ${why} (see ${dir}/log):\n${text.slice(-2000)}\n${log.slice(-3000)}`);
  };
  await writeFile(join(dir, "instance.json"), JSON.stringify({ dir, node, supervisorPid: child.pid, helpers: [] }));
  // ready: the WebSocket port (and the TLS one) accept, then ejabberdctl says "started"
  for (;;) {
    if (exited()) throw await fail("exited during start-up");
    if (Date.now() - started > readyTimeoutMs) throw await fail(`was not ready within ${readyTimeoutMs} ms`);
    const ports = (await accepts(httpPort)) && (!httpsPort || (await accepts(httpsPort)));
    if (
      ports &&
      (await ctl(dir, "status").then(
        () => true,
        () => false,
      ))
    )
      break;
    await sleep(ports ? 100 : 50);
  }
  const readyInMs = Date.now() - started;
  let pid;
  try {
    pid = Number(readFileSync(join(dir, "ejabberd.pid"), "utf8").trim()) || undefined;
  } catch {
    // no pidfile yet: stop() finds beam among the supervisor's descendants all the same
  }
  // every process the start made: timeout, the ejabberdctl shell, beam and its helpers
  const helpers = descendants(child.pid).filter((p) => p !== pid);
  const info = {
    dir,
    domain,
    node,
    pid,
    supervisorPid: child.pid,
    helpers,
    starts: startsOf([pid, child.pid, ...helpers]),
    c2sPort,
    httpPort,
    distPort,
    service: `ws://127.0.0.1:${httpPort}/ws`,
    ...(tls ? { httpsPort, secureService: `wss://localhost:${httpsPort}/ws`, tls } : {}),
    guestDomain: `guest.${domain}`,
    mucDomain: `conference.${domain}`,
    uploadDomain: `upload.${domain}`,
    users,
    readyInMs,
  };
  await writeFile(join(dir, "instance.json"), JSON.stringify(info));
  if (before)
    users = before.users ?? users; // in its Mnesia already
  else {
    try {
      await registerUsers(dir, domain, users);
    } catch (e) {
      throw await fail(`refused to register the users: ${e.stderr || e.stdout || e.message}`);
    }
  }
  const done = { ...info, users, startedInMs: Date.now() - started };
  await writeFile(join(dir, "instance.json"), JSON.stringify(done));
  return { ...done, stop: (opts) => stopEjabberd(dir, opts) };
}

/** What the last start of `dir` wrote (instance.json): the node's port, its PIDs, its users. */
async function previous(dir) {
  const text = await readFile(join(dir, "instance.json"), "utf8").catch(() => "");
  if (!text) throw new Error(`${dir} holds an ejabberd config but no instance.json: it never started; give a fresh directory`);
  return JSON.parse(text);
}

const xmlText = (v) => String(v).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// Each ejabberdctl call boots an Erlang VM (about 1 s of CPU): the users go in with one call,
// as a XEP-0227 file (`import_piefxis`), rather than one `register` each.
async function registerUsers(dir, domain, users) {
  const entries = Object.entries(users);
  if (!entries.length) return;
  if (entries.length === 1) return ctl(dir, "register", entries[0][0], domain, entries[0][1]);
  const file = join(dir, "users.xml");
  await writeFile(
    file,
    `<?xml version='1.0' encoding='UTF-8'?>\n<server-data xmlns='urn:xmpp:pie:0'>\n<host jid='${xmlText(domain)}'>\n${entries
      .map(([u, pw]) => `<user name='${xmlText(u)}' password='${xmlText(pw)}'/>`)
      .join("\n")}\n</host>\n</server-data>\n`,
    { mode: 0o600 },
  );
  await ctl(dir, "import_piefxis", file);
}

/** Registers one more user on a running instance (`ejabberdctl register`). */
export async function registerEjabberdUser(dir, user, domain, password) {
  await ctl(dir, "register", user, domain, password);
}

/**
 * Stops the server of `dir`: SIGTERM to beam (unless `graceMs` is 0) and a wait for it to end,
 * then SIGTERM and after `graceMs` SIGKILL to every process it started that is still there, by
 * PID. It returns as soon as they are gone: a process counts as gone once it has ended (a zombie
 * too), and a PID taken since by another process is not one of ours (start times, from /proc).
 */
export async function stopEjabberd(dir, { purge = false, graceMs = 5000 } = {}) {
  dir = resolve(dir);
  const info = JSON.parse(await readFile(join(dir, "instance.json"), "utf8").catch(() => "{}"));
  const starts = info.starts ?? {};
  const running = (pid) => runs(pid, starts[pid]);
  const beam = info.pid ?? (Number(await readFile(join(dir, "ejabberd.pid"), "utf8").catch(() => "")) || undefined);
  const all = [
    ...new Set(
      [beam, info.supervisorPid, ...(info.helpers ?? []), ...(info.supervisorPid && running(info.supervisorPid) ? descendants(info.supervisorPid) : [])].filter(
        Boolean,
      ),
    ),
  ];
  if (graceMs > 0 && beam && running(beam)) {
    // the clean way: Erlang (OTP 19+) takes SIGTERM as init:stop(), what `ejabberdctl stop` asks
    // for without booting a VM of its own (about 2 s): Mnesia is closed, the spool stays usable
    await stopPids([beam], { starts, graceMs });
  }
  await stopPids(all, { starts, graceMs });
  if (purge) await rm(dir, { recursive: true, force: true });
}

serverCli(import.meta.url, {
  name: "ejabberd.mjs",
  defaultUsers: DEFAULT_USERS,
  stop: stopEjabberd,
  async start({ dir, users, tls }) {
    const { stop: _stop, ...info } = await startEjabberd({ dir, users, tls });
    return info;
  },
});
