// A fresh Thunderbird profile as the tests, the demo and the benchmark start it: the built XPI
// installed unsigned, prefs for Marionette and one identity, a mailbox of fixture mbox files in
// Local Folders, and the certificate authorities it should trust beyond Mozilla's (the tests'
// throw-away CA, RVI_TEST_CA) in the profile's own store. Imports only Node.
import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export const ADDON_ID = "reply-via-im@reply-via-im.org";

function prefs(marionettePort: number, me: string): Record<string, string | number | boolean> {
  return {
    "xpinstall.signatures.required": false,
    "extensions.autoDisableScopes": 0,
    "extensions.enabledScopes": 15,
    "extensions.startupScanScopes": 15,
    "mail.provider.suppress_dialog_on_startup": true,
    "mail.shell.checkDefaultClient": false,
    "mailnews.start_page.enabled": false,
    "datareporting.policy.dataSubmissionEnabled": false,
    "app.update.disabledForTesting": true,
    "mail.rights.version": 1,
    "mail.spotlight.firstRunDone": true,
    // notifications as Thunderbird's own alert windows, which the tests can read and click
    "alerts.useSystemBackend": false,
    "browser.dom.window.dump.enabled": true,
    "devtools.console.stdout.content": true,
    "marionette.port": marionettePort,
    // one identity (its SMTP server is never reached) and Local Folders
    "mail.accountmanager.accounts": "account1,account2",
    "mail.accountmanager.localfoldersserver": "server2",
    "mail.accountmanager.defaultaccount": "account1",
    "mail.account.account1.server": "server1",
    "mail.account.account1.identities": "id1",
    "mail.server.server1.type": "pop3",
    "mail.server.server1.hostname": "127.0.0.1",
    "mail.server.server1.port": 1,
    "mail.server.server1.userName": "me",
    "mail.server.server1.name": me,
    "mail.server.server1.directory-rel": "[ProfD]Mail/pop",
    "mail.server.server1.login_at_startup": false,
    "mail.identity.id1.useremail": me,
    "mail.identity.id1.fullName": "Test User",
    "mail.identity.id1.valid": true,
    "mail.identity.id1.smtpServer": "smtp1",
    "mail.smtpservers": "smtp1",
    "mail.smtpserver.smtp1.hostname": "127.0.0.1",
    "mail.smtpserver.smtp1.port": 1,
    "mail.account.account2.server": "server2",
    "mail.server.server2.type": "none",
    "mail.server.server2.hostname": "Local Folders",
    "mail.server.server2.userName": "nobody",
    "mail.server.server2.name": "Local Folders",
    "mail.server.server2.directory-rel": "[ProfD]Mail/Local Folders",
  };
}

/**
 * Makes the profile's certificate store (cert9.db, which Thunderbird would otherwise create on
 * first start) trust `cas` (PEM files) for servers, as an administrator would with certutil
 * (Debian's libnss3-tools).
 */
export async function trustInProfile(dir: string, cas: string[]): Promise<void> {
  const db = `sql:${dir}`;
  try {
    await run("certutil", ["-d", db, "-N", "--empty-password"]);
    for (const [i, ca] of cas.entries()) await run("certutil", ["-d", db, "-A", "-t", "C,,", "-n", `rvi-test-ca-${i}`, "-i", ca]);
  } catch (err) {
    const e = err as { code?: string; stderr?: string; message: string };
    throw new Error(
      e.code === "ENOENT"
        ? "certutil is missing: run bash scripts/setup (Debian package libnss3-tools)"
        : `certutil failed on the Thunderbird profile: ${e.stderr || e.message}`,
    );
  }
}

/**
 * Writes a new profile directory (the caller removes it) and returns its path. `trust`: CAs
 * (PEM files) to trust besides Mozilla's; by default the tests' CA when RVI_TEST_CA names one.
 */
export async function createProfile(opts: {
  xpi: string;
  me: string;
  folders?: Record<string, string>;
  marionettePort: number;
  trust?: string[];
}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "rvi-tb-"));
  await mkdir(join(dir, "extensions"), { recursive: true });
  // a mailbox as imported fixtures: mbox files in Local Folders, indexed by Thunderbird on first use
  await mkdir(join(dir, "Mail", "Local Folders"), { recursive: true });
  for (const [name, text] of Object.entries(opts.folders ?? {})) await writeFile(join(dir, "Mail", "Local Folders", name), text);
  await writeFile(
    join(dir, "user.js"),
    Object.entries(prefs(opts.marionettePort, opts.me))
      .map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`)
      .join("\n"),
  );
  await copyFile(opts.xpi, join(dir, "extensions", `${ADDON_ID}.xpi`));
  const trust = opts.trust ?? (process.env.RVI_TEST_CA ? [process.env.RVI_TEST_CA] : []);
  if (trust.length) await trustInProfile(dir, trust);
  return dir;
}

/** One mbox file's text from whole RFC 822 messages (each gets its "From " separator line). */
export function mbox(messages: string[]): string {
  return messages
    .map(
      (m) =>
        `From - Mon Nov 02 09:00:00 2026\n${m
          .replace(/\r\n/g, "\n")
          .replace(/^(>*From )/gm, ">$1")
          .replace(/\n*$/, "\n")}\n`,
    )
    .join("");
}

/** A plain-text RFC 822 message for a fixture mailbox. */
export function rfc822(m: { from: string; to: string; subject: string; id: string; date: string; body: string; headers?: Record<string, string> }): string {
  const extra = Object.entries(m.headers ?? {})
    .map(([k, v]) => `${k}: ${v}\n`)
    .join("");
  return `From: ${m.from}\nTo: ${m.to}\nSubject: ${m.subject}\nMessage-ID: <${m.id}>\nDate: ${m.date}\n${extra}Content-Type: text/plain; charset=utf-8\n\n${m.body}\n`;
}
