// Real Thunderbird for end-to-end tests: a fresh profile with the built XPI, under its own Xvfb
// display, driven through Marionette (chrome context, as the recipe in ../shared describes).
// Every process started here is ended by its PID.
import { spawn, type ChildProcess } from "node:child_process";
import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../scripts/prosody.mjs";

export const ADDON_ID = "reply-via-im@reply-via-im.org";
export const BUTTON_ID = `${ADDON_ID.replace(/[^a-z0-9_-]/gi, "_")}-messageDisplayAction-toolbarbutton`;
export const COMPOSE_BUTTON_ID = `${ADDON_ID.replace(/[^a-z0-9_-]/gi, "_")}-composeAction-toolbarbutton`;

/** A minimal Marionette client: packets are `LENGTH:JSON`, commands `[0, id, name, params]`. */
async function marionette(port: number) {
  const sock = net.connect(port, "127.0.0.1");
  let buf = Buffer.alloc(0);
  let id = 0;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let hello: () => void = () => {};
  sock.on("data", (d) => {
    buf = Buffer.concat([buf, d]);
    for (;;) {
      const i = buf.indexOf(":");
      if (i < 0) return;
      const len = Number(buf.subarray(0, i).toString());
      if (buf.length < i + 1 + len) return;
      const msg = JSON.parse(buf.subarray(i + 1, i + 1 + len).toString());
      buf = buf.subarray(i + 1 + len);
      if (!Array.isArray(msg)) {
        hello();
        continue;
      }
      const p = pending.get(msg[1]);
      pending.delete(msg[1]);
      if (msg[2]) p?.reject(new Error(`Marionette: ${JSON.stringify(msg[2]).slice(0, 2000)}`));
      else p?.resolve(msg[3]);
    }
  });
  await new Promise<void>((ok, fail) => {
    hello = ok;
    sock.once("error", fail);
  });
  sock.on("error", () => {});
  const send = (name: string, params: Record<string, unknown> = {}) =>
    new Promise<unknown>((resolve, reject) => {
      const m = JSON.stringify([0, ++id, name, params]);
      pending.set(id, { resolve, reject });
      sock.write(`${Buffer.byteLength(m)}:${m}`);
    });
  return { send, close: () => sock.destroy() };
}

function prefs(marionettePort: number, me: string): Record<string, string | number | boolean> {
  return {
    "xpinstall.signatures.required": false, "extensions.autoDisableScopes": 0, "extensions.enabledScopes": 15, "extensions.startupScanScopes": 15,
    "mail.provider.suppress_dialog_on_startup": true, "mail.shell.checkDefaultClient": false, "mailnews.start_page.enabled": false,
    "datareporting.policy.dataSubmissionEnabled": false, "app.update.disabledForTesting": true, "mail.rights.version": 1, "mail.spotlight.firstRunDone": true,
    // notifications as Thunderbird's own alert windows, which the tests can read and click
    "alerts.useSystemBackend": false,
    "browser.dom.window.dump.enabled": true, "devtools.console.stdout.content": true, "marionette.port": marionettePort,
    // one identity (its SMTP server is never reached) and Local Folders
    "mail.accountmanager.accounts": "account1,account2", "mail.accountmanager.localfoldersserver": "server2", "mail.accountmanager.defaultaccount": "account1",
    "mail.account.account1.server": "server1", "mail.account.account1.identities": "id1",
    "mail.server.server1.type": "pop3", "mail.server.server1.hostname": "127.0.0.1", "mail.server.server1.port": 1, "mail.server.server1.userName": "me",
    "mail.server.server1.name": me, "mail.server.server1.directory-rel": "[ProfD]Mail/pop", "mail.server.server1.login_at_startup": false,
    "mail.identity.id1.useremail": me, "mail.identity.id1.fullName": "Test User", "mail.identity.id1.valid": true, "mail.identity.id1.smtpServer": "smtp1",
    "mail.smtpservers": "smtp1", "mail.smtpserver.smtp1.hostname": "127.0.0.1", "mail.smtpserver.smtp1.port": 1,
    "mail.account.account2.server": "server2", "mail.server.server2.type": "none", "mail.server.server2.hostname": "Local Folders",
    "mail.server.server2.userName": "nobody", "mail.server.server2.name": "Local Folders", "mail.server.server2.directory-rel": "[ProfD]Mail/Local Folders",
  };
}

function freeDisplay(): number {
  for (let n = 90; n < 400; n++) if (!existsSync(`/tmp/.X${n}-lock`) && !existsSync(`/tmp/.X11-unix/X${n}`)) return n;
  throw new Error("no free X display");
}

export interface Thunderbird {
  /** Runs privileged JS in the main window; `done(value)` ends it. */
  chrome<T>(body: string, args?: unknown[], timeoutMs?: number): Promise<T>;
  log(): string;
  stop(): Promise<void>;
}

/** One mbox file's text from whole RFC 822 messages (each gets its "From " separator line). */
export function mbox(messages: string[]): string {
  return messages.map((m) => `From - Mon Nov 02 09:00:00 2026\n${m.replace(/\r\n/g, "\n").replace(/^(>*From )/gm, ">$1").replace(/\n*$/, "\n")}\n`).join("");
}

export async function startThunderbird(opts: { xpi: string; me: string; folders?: Record<string, string> }): Promise<Thunderbird> {
  const dir = await mkdtemp(join(tmpdir(), "rvi-tb-"));
  await mkdir(join(dir, "extensions"), { recursive: true });
  // a mailbox as imported fixtures: mbox files in Local Folders, indexed by Thunderbird on first use
  await mkdir(join(dir, "Mail", "Local Folders"), { recursive: true });
  for (const [name, text] of Object.entries(opts.folders ?? {})) await writeFile(join(dir, "Mail", "Local Folders", name), text);
  const port = await freePort();
  await writeFile(join(dir, "user.js"), Object.entries(prefs(port, opts.me)).map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`).join("\n"));
  await copyFile(opts.xpi, join(dir, "extensions", `${ADDON_ID}.xpi`));
  const display = freeDisplay();
  const children: ChildProcess[] = [];
  const xvfb = spawn("Xvfb", [`:${display}`, "-screen", "0", "1280x900x24", "-nolisten", "tcp"], { stdio: "ignore" });
  children.push(xvfb);
  for (let i = 0; i < 100 && !existsSync(`/tmp/.X11-unix/X${display}`); i++) await new Promise((r) => setTimeout(r, 50));
  const tb = spawn("thunderbird", ["--no-remote", "-profile", dir, "--marionette", "-remote-allow-system-access"], {
    env: { ...process.env, DISPLAY: `:${display}` }, stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(tb);
  let log = "";
  tb.stdout!.on("data", (d) => (log += d));
  tb.stderr!.on("data", (d) => (log += d));
  const stop = async () => {
    // Marionette may be stuck in a script that never finished: ask once, then end it by its PID
    await Promise.race([m?.send("Marionette:Quit", { flags: ["eForceQuit"] }).catch(() => {}), new Promise((r) => setTimeout(r, 5000))]);
    m?.close();
    for (let i = 0; i < 40 && tb.exitCode === null && tb.signalCode === null; i++) await new Promise((r) => setTimeout(r, 50));
    for (const c of children.reverse()) if (c.exitCode === null && c.signalCode === null && c.pid) {
      try {
        process.kill(c.pid, "SIGKILL");
      } catch {}
    }
    await rm(dir, { recursive: true, force: true });
  };
  let m: Awaited<ReturnType<typeof marionette>> | undefined;
  try {
    for (let i = 0; i < 150 && !m; i++) {
      if (tb.exitCode !== null) throw new Error(`Thunderbird exited at start-up:\n${log.slice(-2000)}`);
      m = await marionette(port).catch(() => undefined);
      if (!m) await new Promise((r) => setTimeout(r, 200));
    }
    if (!m) throw new Error(`Marionette did not answer:\n${log.slice(-2000)}`);
    await m.send("WebDriver:NewSession", { capabilities: {} });
    await m.send("Marionette:SetContext", { value: "chrome" });
  } catch (err) {
    await stop();
    throw err;
  }
  const client = m;
  return {
    async chrome<T>(body: string, args: unknown[] = [], timeoutMs = 30_000) {
      const script = `const done = arguments[arguments.length - 1]; const args = Array.from(arguments).slice(0, -1);
        (async () => { ${body} })().catch((e) => done({ __error: String(e) + " at " + (e && e.stack) }));`;
      const r = (await client.send("WebDriver:ExecuteAsyncScript", { script, args, scriptTimeout: timeoutMs })) as { value: T & { __error?: string } };
      if (r.value && typeof r.value === "object" && "__error" in r.value) throw new Error(`in Thunderbird: ${r.value.__error}`);
      return r.value;
    },
    log: () => log,
    stop,
  };
}
