// Real Thunderbird, driven as a person would: a fresh profile with the built XPI, under its own
// Xvfb display (or the user's, for the demo), driven through Marionette in chrome context. Used
// by the end-to-end tests, the demo and the benchmark.
// Every process started here is ended by its PID.
import { spawn, type ChildProcess } from "node:child_process";
import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../prosody.mjs";

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

/** Ends a child we started, by its PID, and waits until it is gone (reaped, not a zombie). */
export async function endChild(c: ChildProcess, signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null || !c.pid) return;
  const gone = new Promise<void>((r) => c.once("exit", () => r()));
  try {
    process.kill(c.pid, signal);
  } catch {
    return;
  }
  const late = await Promise.race([gone.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 5000))]);
  if (late && signal !== "SIGKILL") await endChild(c, "SIGKILL");
}

function freeDisplay(): number {
  for (let n = 90; n < 400; n++) if (!existsSync(`/tmp/.X${n}-lock`) && !existsSync(`/tmp/.X11-unix/X${n}`)) return n;
  throw new Error("no free X display");
}

export interface Thunderbird {
  /** Runs privileged JS in the main window; `done(value)` ends it. */
  chrome<T>(body: string, args?: unknown[], timeoutMs?: number): Promise<T>;
  log(): string;
  /** Resolves when Thunderbird has exited (the person closed it). */
  exited: Promise<void>;
  /** Thunderbird's process, and its Xvfb's when it has its own display. */
  pids: number[];
  stop(): Promise<void>;
}

/** One mbox file's text from whole RFC 822 messages (each gets its "From " separator line). */
export function mbox(messages: string[]): string {
  return messages.map((m) => `From - Mon Nov 02 09:00:00 2026\n${m.replace(/\r\n/g, "\n").replace(/^(>*From )/gm, ">$1").replace(/\n*$/, "\n")}\n`).join("");
}

export async function startThunderbird(opts: { xpi: string; me: string; folders?: Record<string, string>; display?: string }): Promise<Thunderbird> {
  const dir = await mkdtemp(join(tmpdir(), "rvi-tb-"));
  await mkdir(join(dir, "extensions"), { recursive: true });
  // a mailbox as imported fixtures: mbox files in Local Folders, indexed by Thunderbird on first use
  await mkdir(join(dir, "Mail", "Local Folders"), { recursive: true });
  for (const [name, text] of Object.entries(opts.folders ?? {})) await writeFile(join(dir, "Mail", "Local Folders", name), text);
  const port = await freePort();
  await writeFile(join(dir, "user.js"), Object.entries(prefs(port, opts.me)).map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`).join("\n"));
  await copyFile(opts.xpi, join(dir, "extensions", `${ADDON_ID}.xpi`));
  const children: ChildProcess[] = [];
  let display = opts.display;
  if (!display) {
    const n = freeDisplay();
    children.push(spawn("Xvfb", [`:${n}`, "-screen", "0", "1280x900x24", "-nolisten", "tcp"], { stdio: "ignore" }));
    for (let i = 0; i < 100 && !existsSync(`/tmp/.X11-unix/X${n}`); i++) await new Promise((r) => setTimeout(r, 50));
    display = `:${n}`;
  }
  const tb = spawn("thunderbird", ["--no-remote", "-profile", dir, "--marionette", "-remote-allow-system-access"], {
    env: { ...process.env, DISPLAY: display }, stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(tb);
  const exited = new Promise<void>((r) => tb.once("exit", () => r()));
  let log = "";
  tb.stdout!.on("data", (d) => (log += d));
  tb.stderr!.on("data", (d) => (log += d));
  const stop = async () => {
    // Marionette may be stuck in a script that never finished: ask once, then end it by its PID
    await Promise.race([m?.send("Marionette:Quit", { flags: ["eForceQuit"] }).catch(() => {}), new Promise((r) => setTimeout(r, 5000))]);
    m?.close();
    for (let i = 0; i < 40 && tb.exitCode === null && tb.signalCode === null; i++) await new Promise((r) => setTimeout(r, 50));
    for (const c of [...children].reverse()) await endChild(c);
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
    exited,
    pids: children.map((c) => c.pid!).filter(Boolean),
    stop,
  };
}

// ---- what a person does, as chrome scripts ------------------------------------------------------

const POPUP = `let popup; for (const w of Services.wm.getEnumerator(null)) if (w.location.href.includes("extensionPopup")) popup = w;`;

/** Opens Local Folders' Inbox and shows the message with the given Message-ID. */
const SHOW_MESSAGE = `
  const { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
  const { MailUtils } = ChromeUtils.importESModule("resource:///modules/MailUtils.sys.mjs");
  for (let i = 0; i < 100 && !Services.wm.getMostRecentWindow("mail:3pane")?.gTabmail; i++) await new Promise(r => setTimeout(r, 100));
  const folder = MailServices.accounts.localFoldersServer.rootFolder.getChildNamed("Inbox");
  const win = Services.wm.getMostRecentWindow("mail:3pane");
  win.gTabmail.currentAbout3Pane.displayFolder(folder.URI);
  let hdr;
  for (let i = 0; i < 100 && !hdr; i++) {
    await new Promise(r => setTimeout(r, 100));
    try { hdr = [...folder.messages].find(h => h.messageId === args[0]); } catch {} // still being indexed
  }
  MailUtils.displayMessageInFolderTab(hdr);
  let btn;
  for (let i = 0; i < 100 && !btn; i++) {
    await new Promise(r => setTimeout(r, 100));
    btn = win.gTabmail.currentAbout3Pane?.messageBrowser?.contentWindow?.document.getElementById(args[1]);
  }
  done(btn ? btn.label : null);
`;

/** Presses the message's toolbar button and waits for the IM window (a popup window). */
const PRESS_BUTTON = `
  const win = Services.wm.getMostRecentWindow("mail:3pane");
  win.gTabmail.currentAbout3Pane.messageBrowser.contentWindow.document.getElementById(args[0]).click();
  for (let i = 0; i < 500; i++) {
    await new Promise(r => setTimeout(r, 20));
    ${POPUP}
    if (popup) return done(true);
  }
  done(false);
`;

/** Types into whatever has focus in the IM window, through the real input path (TextInputProcessor). */
const TYPE = `
  ${POPUP}
  popup.focus();
  const tip = Cc["@mozilla.org/text-input-processor;1"].createInstance(Ci.nsITextInputProcessor);
  tip.beginInputTransactionForTests(popup);
  for (const step of args[0]) {
    if (step.key) {
      const mods = (step.mods || []).map(k => new popup.KeyboardEvent("", { key: k }));
      mods.forEach(e => tip.keydown(e));
      const e = new popup.KeyboardEvent("", { key: step.key, code: step.key, keyCode: step.keyCode });
      tip.keydown(e); tip.keyup(e);
      mods.reverse().forEach(e => tip.keyup(e));
      continue;
    }
    for (const ch of step.text) { const e = new popup.KeyboardEvent("", { key: ch }); tip.keydown(e); tip.keyup(e); }
  }
  done(true);
`;

/** Waits until the IM window's title (its page's title, shown by Thunderbird) matches. */
const WAIT_TITLE = `
  const re = new RegExp(args[0]);
  let title = "";
  for (let i = 0; i < args[1] / 10; i++) {
    ${POPUP}
    title = popup ? (popup.document.querySelector("browser")?.contentTitle || popup.document.title) : "";
    if (re.test(title)) return done(title);
    await new Promise(r => setTimeout(r, 10));
  }
  done({ __error: "title stayed " + JSON.stringify(title) });
`;

const CANVAS = `
  const canvas = doc.createElementNS("http://www.w3.org/1999/xhtml", "canvas");
  canvas.width = snap.width; canvas.height = snap.height;
  canvas.getContext("2d").drawImage(snap, 0, 0);
  done(canvas.toDataURL("image/png"));
`;

/** A picture of the IM window's page, as the person sees it. */
const SNAPSHOT_POPUP = `
  ${POPUP}
  const doc = popup.document;
  const snap = await doc.querySelector("browser").browsingContext.currentWindowGlobal.drawSnapshot(null, 1, "white");
  ${CANVAS}
`;

/** A picture of a whole window: the draft ("msgcompose") or the main window ("mail:3pane"). */
const SNAPSHOT_WINDOW = `
  const w = Services.wm.getMostRecentWindow(args[0]);
  const doc = w.document;
  const snap = await w.browsingContext.currentWindowGlobal.drawSnapshot(null, 1, "white");
  ${CANVAS}
`;

/** The Reply via IM button's badge (the unread count), waiting until it reads as expected. */
const BUTTON_BADGE = `
  let badge = null;
  for (let i = 0; i < args[2] / 100; i++) {
    const doc = Services.wm.getMostRecentWindow("mail:3pane").gTabmail.currentAbout3Pane?.messageBrowser?.contentWindow?.document;
    badge = doc?.getElementById(args[0])?.getAttribute("badge") ?? "";
    if (badge === args[1]) return done(badge);
    await new Promise(r => setTimeout(r, 100));
  }
  done({ __error: "the button's badge says " + JSON.stringify(badge) + ", not " + JSON.stringify(args[1]) });
`;

/** The displayed email's document (about:message's message pane), as the person reads it. */
const MESSAGE_DOC = `
  const about = Services.wm.getMostRecentWindow("mail:3pane").gTabmail.currentAbout3Pane.messageBrowser.contentWindow;
  const doc = about.getMessagePaneBrowser().contentDocument;
`;

/** Waits for the transcript banner above the displayed email to match, and returns its text. */
const MESSAGE_BANNER = `
  const re = new RegExp(args[0]);
  let text = "";
  for (let i = 0; i < args[1] / 100; i++) {
    ${MESSAGE_DOC}
    const b = doc?.getElementById("rvi-transcript");
    text = b ? b.innerText.trim() : "";
    if (re.test(text)) return done(text);
    await new Promise(r => setTimeout(r, 100));
  }
  done({ __error: "no transcript banner like " + args[0] + "; it says: " + JSON.stringify(text) });
`;

/** Clicks a button in the displayed email (the banner's), as a person would. */
const CLICK_IN_MESSAGE = `
  ${MESSAGE_DOC}
  const b = doc.getElementById(args[0]);
  if (!b) return done(false);
  b.click();
  done(true);
`;

/** A picture of the message pane (the banner and the start of the email). */
const SNAPSHOT_MESSAGE = `
  const about = Services.wm.getMostRecentWindow("mail:3pane").gTabmail.currentAbout3Pane.messageBrowser.contentWindow;
  const browser = about.getMessagePaneBrowser();
  const doc = about.document;
  const snap = await browser.browsingContext.currentWindowGlobal.drawSnapshot(null, 1, "white");
  ${CANVAS}
`;

const CLOSE_POPUP = `
  ${POPUP}
  popup?.close();
  done(true);
`;

/** Waits for a notification (Thunderbird's alert window), returns its text, and clicks it if asked. */
const NOTIFICATION = `
  const re = new RegExp(args[0]);
  const seen = [];
  for (let i = 0; i < args[1] / 100; i++) {
    for (const w of Services.wm.getEnumerator("alert:alert")) {
      const read = (id) => { const e = w.document.getElementById(id); return (e?.value || e?.textContent || "").trim(); };
      const text = read("alertTitleLabel") + " — " + read("alertTextLabel");
      if (!seen.includes(text)) seen.push(text);
      if (re.test(text)) {
        if (args[2]) w.document.getElementById("alertBox").click();
        return done(text);
      }
    }
    await new Promise(r => setTimeout(r, 100));
  }
  done({ __error: "no notification like " + args[0] + "; seen: " + JSON.stringify(seen) });
`;

/** Opens a new HTML draft to the given people, as a person writing an email. */
const NEW_DRAFT = `
  const { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
  const params = Cc["@mozilla.org/messengercompose/composeparams;1"].createInstance(Ci.nsIMsgComposeParams);
  const fields = Cc["@mozilla.org/messengercompose/composefields;1"].createInstance(Ci.nsIMsgCompFields);
  fields.to = args[0]; fields.subject = args[1]; fields.body = args[2];
  params.composeFields = fields; params.format = Ci.nsIMsgCompFormat.HTML;
  MailServices.compose.OpenComposeWindowWithParams(null, params);
  let w;
  for (let i = 0; i < 100 && !w?.GetCurrentEditor?.(); i++) { await new Promise(r => setTimeout(r, 100)); w = Services.wm.getMostRecentWindow("msgcompose"); }
  for (let i = 0; i < 50 && !w.document.getElementById(args[3]); i++) await new Promise(r => setTimeout(r, 100));
  done(Boolean(w.document.getElementById(args[3])));
`;

/** Presses the draft's compose button (mouse down and up, as a pointer does) and waits for its popup's title. */
const PRESS_COMPOSE_BUTTON = `
  const w = Services.wm.getMostRecentWindow("msgcompose");
  const btn = w.document.getElementById(args[0]);
  const r = btn.getBoundingClientRect();
  w.synthesizeMouseEvent("mousedown", r.x + 5, r.y + 5, { button: 0, clickCount: 1 });
  w.synthesizeMouseEvent("mouseup", r.x + 5, r.y + 5, { button: 0, clickCount: 1 });
  const re = new RegExp(args[1]);
  let title = "";
  for (let i = 0; i < 200; i++) {
    const b = [...w.document.querySelectorAll("panel browser")].find(b => b.currentURI?.spec.endsWith("/invite.html"));
    title = b?.contentTitle ?? "";
    if (re.test(title)) return done(title);
    await new Promise(r => setTimeout(r, 100));
  }
  done({ __error: "popup title stayed " + JSON.stringify(title) });
`;

/** Presses a key in the compose button's popup (keyboard focus moves into it first, as Tab would). */
const KEY_IN_COMPOSE_POPUP = `
  const w = Services.wm.getMostRecentWindow("msgcompose");
  const popup = [...w.document.querySelectorAll("panel browser")].find(b => b.currentURI?.spec.endsWith("/invite.html"));
  Services.focus.setFocus(popup, Services.focus.FLAG_BYKEY);
  await new Promise(r => setTimeout(r, 200));
  const tip = Cc["@mozilla.org/text-input-processor;1"].createInstance(Ci.nsITextInputProcessor);
  tip.beginInputTransactionForTests(w);
  const e = new w.KeyboardEvent("", { key: args[0], code: args[0], keyCode: args[1] });
  tip.keydown(e); tip.keyup(e);
  done(true);
`;

/** The draft's body as HTML, once it contains the given text. */
const DRAFT_HTML = `
  const w = Services.wm.getMostRecentWindow("msgcompose");
  let html = "";
  for (let i = 0; i < 100; i++) {
    html = w.GetCurrentEditor().outputToString("text/html", 0);
    if (html.includes(args[0])) return done(html);
    await new Promise(r => setTimeout(r, 100));
  }
  done({ __error: "the draft never got " + args[0] + ": " + html.slice(0, 2000) });
`;

/** The open compose windows, as the person would read them; closes them if asked. */
const COMPOSE_WINDOWS = `
  const out = [];
  for (let i = 0; i < 100 && !out.length; i++) {
    await new Promise(r => setTimeout(r, 100));
    for (const w of Services.wm.getEnumerator("msgcompose")) {
      if (!w.gMsgCompose || !w.GetCurrentEditor?.()) continue;
      // the add-on's details (addresses, body) are filled in once the window is ready;
      // the address pills are copied into compFields as Thunderbird does before sending
      for (let j = 0; j < 50 && !w.gMsgCompose.compFields.to; j++) {
        await new Promise(r => setTimeout(r, 100));
        w.Recipients2CompFields?.(w.gMsgCompose.compFields);
      }
      await new Promise(r => setTimeout(r, 500));
      const fields = w.gMsgCompose.compFields;
      out.push({ to: fields.to, subject: fields.subject, body: w.GetCurrentEditor().outputToString("text/plain", 0) });
    }
  }
  if (args[0]) for (const w of Services.wm.getEnumerator("msgcompose")) w.close();
  done(out);
`;

/**
 * For the benchmark: presses a button in the message header and measures, in Thunderbird's own
 * clock, until what it opens is usable — the IM window showing its title (history loaded), or
 * (the baseline) Thunderbird's own Reply: a compose window with its editor. Closes it after.
 */
const TIMED_PRESS = `
  const win = Services.wm.getMostRecentWindow("mail:3pane");
  const doc = win.gTabmail.currentAbout3Pane.messageBrowser.contentWindow.document;
  const re = new RegExp(args[1]);
  const t0 = win.performance.now();
  doc.getElementById(args[0]).click();
  for (;;) {
    if (args[2] === "im") {
      ${POPUP}
      const title = popup?.document.querySelector("browser")?.contentTitle ?? "";
      if (re.test(title)) { const ms = win.performance.now() - t0; popup.close(); return done(ms); }
    } else {
      const w = Services.wm.getMostRecentWindow("msgcompose");
      if (w?.gMsgCompose && w.GetCurrentEditor?.() && w.gMsgCompose.compFields.subject) {
        const ms = win.performance.now() - t0; w.close(); return done(ms);
      }
    }
    if (win.performance.now() - t0 > 30000) return done({ __error: "nothing opened within 30 s" });
    await new Promise(r => setTimeout(r, 2));
  }
`;

/** Adds a contact to the personal address book from a vCard, as an import would. */
const ADD_CONTACT = `
  const { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
  const { VCardUtils } = ChromeUtils.importESModule("resource:///modules/VCardUtils.sys.mjs");
  const book = MailServices.ab.getDirectory("jsaddrbook://abook.sqlite");
  book.addCard(VCardUtils.vCardToAbCard(args[0]));
  done(true);
`;

export type Keystroke = { text: string } | { key: string; keyCode: number; mods?: string[] };
export const keys = {
  tab: { key: "Tab", keyCode: 9 }, shiftTab: { key: "Tab", keyCode: 9, mods: ["Shift"] },
  enter: { key: "Enter", keyCode: 13 }, ctrlEnter: { key: "Enter", keyCode: 13, mods: ["Control"] },
} satisfies Record<string, Keystroke>;

/** What a person does in Thunderbird, one method per gesture; each waits for what it expects. */
export function person(tb: Thunderbird) {
  const picture = async (script: string, args: unknown[], file: string) => {
    const url = await tb.chrome<string>(script, args);
    await writeFile(file, Buffer.from(url.split(",")[1]!, "base64"));
  };
  return {
    /** Shows the Inbox message with this Message-ID; returns the Reply via IM button's label. */
    showMessage: (messageId: string) => tb.chrome<string | null>(SHOW_MESSAGE, [messageId, BUTTON_ID], 60_000),
    pressReplyViaIm: () => tb.chrome<boolean>(PRESS_BUTTON, [BUTTON_ID]),
    type: (steps: Keystroke[]) => tb.chrome<boolean>(TYPE, [steps], 60_000),
    waitTitle: (pattern: string, ms = 15_000) => tb.chrome<string>(WAIT_TITLE, [pattern, ms], ms + 10_000),
    closeImWindow: () => tb.chrome<boolean>(CLOSE_POPUP),
    buttonBadge: (expected: string, ms = 10_000) => tb.chrome<string>(BUTTON_BADGE, [BUTTON_ID, expected, ms], ms + 10_000),
    messageBanner: (pattern: string, ms = 20_000) => tb.chrome<string>(MESSAGE_BANNER, [pattern, ms], ms + 10_000),
    clickInMessage: (id: string) => tb.chrome<boolean>(CLICK_IN_MESSAGE, [id]),
    pictureOfMessage: (file: string) => picture(SNAPSHOT_MESSAGE, [], file),
    notification: (pattern: string, click = false, ms = 15_000) => tb.chrome<string>(NOTIFICATION, [pattern, ms, click], ms + 10_000),
    newDraft: (to: string, subject: string, html = "<p></p>") => tb.chrome<boolean>(NEW_DRAFT, [to, subject, html, COMPOSE_BUTTON_ID], 30_000),
    pressComposeButton: (titlePattern: string) => tb.chrome<string>(PRESS_COMPOSE_BUTTON, [COMPOSE_BUTTON_ID, titlePattern], 30_000),
    keyInComposePopup: (k: { key: string; keyCode: number }) => tb.chrome<boolean>(KEY_IN_COMPOSE_POPUP, [k.key, k.keyCode]),
    draftHtml: (containing: string) => tb.chrome<string>(DRAFT_HTML, [containing], 30_000),
    composeWindows: (close = true) => tb.chrome<{ to: string; subject: string; body: string }[]>(COMPOSE_WINDOWS, [close], 60_000),
    timedReplyViaIm: (titlePattern: string) => tb.chrome<number>(TIMED_PRESS, [BUTTON_ID, titlePattern, "im"], 40_000),
    timedThunderbirdReply: () => tb.chrome<number>(TIMED_PRESS, ["hdrReplyButton", "", "compose"], 40_000),
    addContact: (vcard: string) => tb.chrome<boolean>(ADD_CONTACT, [vcard]),
    pictureOfImWindow: (file: string) => picture(SNAPSHOT_POPUP, [], file),
    pictureOfWindow: (type: "msgcompose" | "mail:3pane", file: string) => picture(SNAPSHOT_WINDOW, [type], file),
  };
}
export type Person = ReturnType<typeof person>;

/** A plain-text RFC 822 message for a fixture mailbox. */
export function rfc822(m: { from: string; to: string; subject: string; id: string; date: string; body: string; headers?: Record<string, string> }): string {
  const extra = Object.entries(m.headers ?? {}).map(([k, v]) => `${k}: ${v}\n`).join("");
  return `From: ${m.from}\nTo: ${m.to}\nSubject: ${m.subject}\nMessage-ID: <${m.id}>\nDate: ${m.date}\n${extra}Content-Type: text/plain; charset=utf-8\n\n${m.body}\n`;
}
