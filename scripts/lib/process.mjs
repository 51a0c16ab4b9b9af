// The one kit for the processes the tests, the demo and the benchmarks start: a free loopback
// port, a wait until something is ready, a supervised spawn (under `timeout`, so a process left
// behind by a crashed run still ends within its lifetime), and a stop by PID that is safe
// against zombies and against a PID taken since by another process. Nothing is ever ended by name.
// Used by scripts/prosody.mjs, scripts/ejabberd.mjs, scripts/ejabberd-cluster.mjs and
// scripts/lib/thunderbird.ts.
import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { createServer, connect as tcpConnect } from "node:net";

/** A loopback port free at the time of asking (another program may take it before you bind: retry then). */
export function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", fail);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

/** Whether something listens on 127.0.0.1:`port`. */
export function accepts(port) {
  return new Promise((ok) => {
    const s = tcpConnect(port, "127.0.0.1");
    s.on("connect", () => (s.destroy(), ok(true)));
    s.on("error", () => ok(false));
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Asks `check()` every `intervalMs` until it answers truthy (returned), `failed()` names a reason
 * to give up (thrown), or `timeoutMs` passes (thrown, saying `what`).
 */
export async function waitUntil(check, { timeoutMs, intervalMs = 25, what = "the process", failed } = {}) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const answer = await check();
    if (answer) return answer;
    const why = failed && (await failed());
    if (why) throw new Error(why);
    if (Date.now() > until) throw new Error(`${what} was not ready within ${timeoutMs} ms`);
    await sleep(intervalMs);
  }
}

/** /proc/PID/stat: its state letter and its start time (clock ticks since boot), or undefined once it is gone. */
export function procStat(pid) {
  try {
    // the command name (2nd field) may hold spaces: the fields after its ")" are fixed
    const rest = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ").at(-1).split(" ");
    return { state: rest[0], start: rest[19] };
  } catch {
    return undefined;
  }
}

/**
 * Whether process `pid` still runs: a zombie (ended, not yet reaped by its parent) does not; with
 * `start` (procStat's, taken when it was ours), neither does another process that got the PID since.
 */
export function runs(pid, start) {
  const stat = procStat(pid);
  if (stat) return stat.state !== "Z" && stat.state !== "X" && (start === undefined || stat.start === start);
  try {
    process.kill(pid, 0); // no /proc to read: only whether the PID is taken
    return true;
  } catch {
    return false;
  }
}

/** Whether process `pid` still runs (a zombie does not). One argument: fit for `pids.filter(alive)`. */
export const alive = (pid) => runs(pid);

/** The start times of `pids`, to know them again at stop (a PID may be taken by another process later). */
export const startsOf = (pids) =>
  Object.fromEntries(
    pids
      .filter(Boolean)
      .map((p) => [p, procStat(p)?.start])
      .filter(([, s]) => s),
  );

/** The processes under `pid` (Erlang's erl_child_setup, a shell's children …), from /proc. */
export function descendants(pid) {
  const out = [];
  const walk = (p) => {
    let kids = [];
    try {
      kids = readFileSync(`/proc/${p}/task/${p}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      // the process ended meanwhile: it has no children left to list
    }
    for (const k of kids) {
      out.push(k);
      walk(k);
    }
  };
  walk(pid);
  return out;
}

/** Sends `signal` to each of `pids` that still runs (as `running` says). */
function signalAll(pids, signal, running) {
  for (const pid of pids.filter(running)) {
    try {
      process.kill(pid, signal);
    } catch {
      // it ended between running() and kill(): stopped, which is what we want
    }
  }
}

/**
 * Stops `pids` (ours, by PID): `signal` (SIGTERM), a wait of `graceMs`, then SIGKILL and a last
 * second's wait. It returns as soon as they are gone: an ended process counts as gone (a zombie
 * too), and with `starts` (startsOf's, taken at start) so does a PID taken since by another process.
 */
export async function stopPids(pids, { starts = {}, graceMs = 3000, signal = "SIGTERM" } = {}) {
  const running = (pid) => runs(pid, starts[pid]);
  const wait = async (ms) => {
    const until = Date.now() + ms;
    while (pids.some(running) && Date.now() < until) await sleep(10);
  };
  if (graceMs > 0) {
    signalAll(pids, signal, running);
    await wait(graceMs);
  }
  signalAll(pids, "SIGKILL", running);
  await wait(1000);
}

/**
 * Starts `command` under `timeout` (killed after `maxLifetimeS`, five seconds after its SIGTERM at
 * the latest), detached from this process (its own group, not held open by it), its output
 * appended to the file `out`. Returns the child (the `timeout` supervisor) and exited(): whether it
 * has ended, as a start-up loop asks.
 */
export function spawnSupervised(command, args, { out, cwd, env, maxLifetimeS = 3600 }) {
  const fd = openSync(out, "a");
  const child = spawn("timeout", ["--kill-after=5", String(maxLifetimeS), command, ...args], {
    cwd,
    env,
    detached: true,
    stdio: ["ignore", fd, fd],
  });
  child.unref();
  closeSync(fd); // the child has its own copy
  let ended = false;
  child.on("exit", () => (ended = true));
  return { child, exited: () => ended };
}

/** Kills the whole group of a spawnSupervised() child at once (a start that failed: nothing to save). */
export function killGroup(child) {
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // the group is gone already: nothing left to end
  }
}

/** Whether `p` settled within `ms`; the timer is cleared either way, so it never holds the process open. */
export async function within(p, ms) {
  let timer;
  const late = new Promise((r) => (timer = setTimeout(() => r(false), ms)));
  try {
    return await Promise.race([
      p.then(
        () => true,
        () => true,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Ends a child of this process by its PID, and waits until it is gone (reaped, not a zombie); SIGKILL after 5 s. */
export async function endChild(c, signal = "SIGKILL") {
  if (c.exitCode !== null || c.signalCode !== null || !c.pid) return;
  const gone = new Promise((r) => c.once("exit", () => r()));
  try {
    process.kill(c.pid, signal);
  } catch {
    return; // it exited between the check and the signal (ESRCH): nothing left to end
  }
  if (!(await within(gone, 5000)) && signal !== "SIGKILL") await endChild(c, "SIGKILL");
}
