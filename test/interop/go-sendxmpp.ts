// go-sendxmpp (Debian's package, a Go client on its own XMPP library) as the other side of a
// conversation: it logs in over TCP c2s with STARTTLS and verifies the server's certificate
// against the run's CA — Go reads the trusted roots from SSL_CERT_FILE, and the certificate
// names localhost, the account's domain, which go-sendxmpp checks it against (no --no-tls-verify).
// The password is in a config file of mode 600 in a temp dir, never on the command line.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Account } from "../../src/xmpp/connection";
import type { XmppServer } from "../kit/xmpp";

export const GO_SENDXMPP = "/usr/bin/go-sendxmpp";

export interface GoSendxmpp {
  /** Everything it printed: received messages as `TIME FROM: BODY` on stdout; errors on stderr. */
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

const started = new Set<ChildProcess>();
const dirs: string[] = [];

/** Its home for one account: a temp dir with the config file, readable by the owner only. */
async function homeFor(acc: Account, c2sPort: number): Promise<{ home: string; config: string }> {
  const home = await mkdtemp(join(tmpdir(), "rvi-go-sendxmpp-"));
  dirs.push(home);
  const config = join(home, "config");
  await writeFile(config, `username: ${acc.jid}\npassword: ${acc.password}\njserver: 127.0.0.1\nport: ${c2sPort}\n`, { mode: 0o600 });
  return { home, config };
}

/** `input`: its whole input (the message), or none when it only listens. */
function run(home: string, args: string[], input?: string): GoSendxmpp {
  const ca = process.env.RVI_TEST_CA;
  if (!ca) throw new Error("RVI_TEST_CA is not set: run the tests through jest's global setup (npx jest FILE), which makes the run's CA");
  // HOME: its default config and key paths stay in the temp dir; SSL_CERT_FILE: the run's CA only
  if (!existsSync(GO_SENDXMPP)) throw new Error(`${GO_SENDXMPP} is missing: install it (apt-get install go-sendxmpp, or bash scripts/setup)`);
  const p = spawn(GO_SENDXMPP, args, {
    env: { PATH: process.env.PATH, HOME: home, SSL_CERT_FILE: ca },
    stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
  });
  started.add(p);
  let out = "";
  let err = "";
  p.stdout!.on("data", (d) => (out += d));
  p.stderr!.on("data", (d) => (err += d));
  // said with what it printed: a test that waits on it fails with this in its message
  p.on("error", (e) => (err += `\n(${GO_SENDXMPP}: ${e.message})`));
  p.stdin?.on("error", (e) => (err += `\n(its input: ${e.message})`));
  const exited = new Promise<number | null>((ok) => p.on("exit", (code) => (started.delete(p), ok(code))));
  if (input !== undefined) p.stdin!.end(input);
  return { stdout: () => out, stderr: () => err, exited };
}

/** go-sendxmpp against one of the run's servers, over its TCP c2s port. */
export function goSendxmpp(server: Pick<XmppServer, "c2sPort">) {
  return {
    /** `go-sendxmpp -l`: online as `acc` until stopped, printing the messages it gets. */
    listen: async (acc: Account): Promise<GoSendxmpp> => {
      const { home, config } = await homeFor(acc, server.c2sPort);
      return run(home, ["-l", "-f", config]);
    },

    /** Sends `text` to `to` as a chat message, and resolves once go-sendxmpp has ended (it logs in, sends, logs out). */
    send: async (acc: Account, to: string, text: string): Promise<GoSendxmpp> => {
      const { home, config } = await homeFor(acc, server.c2sPort);
      return finished(run(home, ["-f", config, to], text), `sending to ${to}`);
    },

    /**
     * `--raw`: sends the stanza as written (how a test gives it what go-sendxmpp never adds itself).
     * It logs out at once: what is sent back to it may reach it or not, so a test looks at the sender.
     */
    sendRaw: async (acc: Account, stanza: string): Promise<GoSendxmpp> => {
      const { home, config } = await homeFor(acc, server.c2sPort);
      return finished(run(home, ["--raw", "-f", config], stanza), "sending a raw stanza");
    },
  };
}

async function finished(p: GoSendxmpp, what: string, ms = 15_000): Promise<GoSendxmpp> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((ok) => (timer = setTimeout(() => ok("late"), ms)));
  const code = await Promise.race([p.exited, late]);
  clearTimeout(timer);
  if (code === 0) return p;
  throw new Error(
    `go-sendxmpp failed ${what} (${code === "late" ? `still running after ${ms} ms` : `exit code ${code}`}): ${p.stderr().trim() || "nothing on stderr"}`,
  );
}

/** Ends every go-sendxmpp this file started (by its PID) and removes their homes. */
export async function stopAll(): Promise<void> {
  await Promise.all(
    [...started].map((p) => {
      const gone = new Promise((ok) => p.once("exit", ok));
      p.kill("SIGTERM");
      return gone;
    }),
  );
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}
