#!/usr/bin/env node
// Two private ejabberd nodes (scripts/ejabberd.mjs) joined into one cluster: what a site with
// more than one server runs, where alice and bob may be logged in on different nodes. The nodes
// share one random cookie and find each other through an epmd of their own on a private loopback
// port (ERL_EPMD_PORT), started and stopped by PID; each node listens for distribution on one
// free port of 127.0.0.1. Users and rooms live in Mnesia, shared; each node has its own ports.
//   node scripts/ejabberd-cluster.mjs start DIR [user:pw …] [--cert FILE --key FILE]   prints one JSON line
//   node scripts/ejabberd-cluster.mjs stop DIR [--purge]
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { ctl, startEjabberd, stopEjabberd } from "./ejabberd.mjs";
import { DEFAULT_USERS } from "./prosody.mjs";
import { accepts, freePort, sleep, spawnSupervised, startsOf, stopPids, waitUntil } from "./lib/process.mjs";
import { serverCli } from "./lib/server-cli.mjs";

const EPMD = "/usr/bin/epmd";
const MAX_LIFETIME_S = 3600;

async function startEpmd(dir, port) {
  // under `timeout`, like the nodes: an epmd left behind by a crashed run still ends within the hour
  const { child, exited } = spawnSupervised(EPMD, ["-port", String(port), "-address", "127.0.0.1"], {
    out: join(dir, "epmd.log"),
    cwd: dir,
    maxLifetimeS: MAX_LIFETIME_S,
  });
  await writeFile(join(dir, "cluster.json"), JSON.stringify({ epmdPids: [child.pid], epmdStarts: startsOf([child.pid]) }));
  const failed = async () =>
    exited() &&
    `epmd did not start on 127.0.0.1:${port} (is ${EPMD} installed? it comes with ejabberd's Erlang):\n${(await readFile(join(dir, "epmd.log"), "utf8").catch(() => "")).slice(-1000)}`;
  await waitUntil(() => accepts(port), { timeoutMs: 10_000, intervalMs: 20, what: `epmd on 127.0.0.1:${port}`, failed });
  return child.pid;
}

/** The nodes `dir`'s node A counts in its cluster (`ejabberdctl list_cluster`). */
async function clusterOf(nodeDir) {
  const { stdout } = await ctl(nodeDir, "list_cluster");
  return stdout
    .split(/\s+/)
    .map((n) => n.replace(/^'|'$/g, ""))
    .filter(Boolean);
}

/**
 * Starts two ejabberd nodes in `dir`/a and `dir`/b and joins b to a's cluster. Returns both
 * nodes (each with its own `service` and `secureService`) and a stop() for both and the epmd.
 */
export async function startEjabberdCluster({ dir, users = DEFAULT_USERS, domain = "localhost", tls, readyTimeoutMs = 60_000 } = {}) {
  dir = resolve(dir);
  await mkdir(dir, { recursive: true });
  const epmdPort = await freePort();
  await startEpmd(dir, epmdPort);
  const cluster = { cookie: randomBytes(18).toString("hex"), epmdPort };
  const stop = (opts) => stopEjabberdCluster(dir, opts);
  try {
    // started side by side; b's own users would be replaced by a's when it joins: they go in on a
    const started = await Promise.allSettled([
      startEjabberd({ dir: join(dir, "a"), users, domain, tls, readyTimeoutMs, cluster }),
      startEjabberd({ dir: join(dir, "b"), users: {}, domain, tls, readyTimeoutMs, cluster }),
    ]);
    const failed = started.find((s) => s.status === "rejected");
    if (failed) throw failed.reason;
    const [a, b] = started.map((s) => s.value);
    await ctl(b.dir, "join_cluster", a.node).catch((e) => {
      throw new Error(`ejabberd node ${b.node} could not join ${a.node}'s cluster (see ${dir}/*/log): ${(e.stderr || e.stdout || e.message).trim()}`);
    });
    // b restarts its ejabberd while joining: ready again when its ports accept and both count two nodes
    const until = Date.now() + readyTimeoutMs;
    for (;;) {
      const ports = (await accepts(b.httpPort)) && (!b.httpsPort || (await accepts(b.httpsPort)));
      const both =
        ports &&
        (await Promise.all([clusterOf(a.dir), clusterOf(b.dir)]).then(
          (lists) => lists.every((l) => l.includes(a.node) && l.includes(b.node)),
          () => false,
        ));
      if (both) break;
      if (Date.now() > until) throw new Error(`ejabberd nodes ${a.node} and ${b.node} did not form one cluster within ${readyTimeoutMs} ms (see ${dir}/*/log)`);
      await sleep(100);
    }
    const strip = ({ stop: _, ...info }) => info;
    const info = { dir, epmdPort, a: strip(a), b: strip(b) };
    await writeFile(join(dir, "cluster.json"), JSON.stringify({ ...JSON.parse(await readFile(join(dir, "cluster.json"), "utf8")), ...info }));
    return { ...info, a, b, stop };
  } catch (e) {
    await stop({ graceMs: 0 }).catch(() => undefined); // already failing: the first error is the one to report
    throw e;
  }
}

/** Stops both nodes (as stopEjabberd does), then the cluster's epmd, by PID. */
export async function stopEjabberdCluster(dir, { purge = false, graceMs = 5000 } = {}) {
  dir = resolve(dir);
  await Promise.all(["a", "b"].map((n) => stopEjabberd(join(dir, n), { graceMs })));
  const { epmdPids = [], epmdStarts = {} } = JSON.parse(await readFile(join(dir, "cluster.json"), "utf8").catch(() => "{}"));
  // epmd runs under `timeout`: ending timeout ends epmd (its child) with it
  await stopPids(epmdPids, { starts: epmdStarts, graceMs: 2000 });
  if (purge) await rm(dir, { recursive: true, force: true });
}

serverCli(import.meta.url, {
  name: "ejabberd-cluster.mjs",
  defaultUsers: DEFAULT_USERS,
  stop: stopEjabberdCluster,
  async start({ dir, users, tls }) {
    const { stop: _stop, a, b, ...info } = await startEjabberdCluster({ dir, users, tls });
    const strip = ({ stop: _s, ...n }) => n;
    return { ...info, a: strip(a), b: strip(b) };
  },
});
