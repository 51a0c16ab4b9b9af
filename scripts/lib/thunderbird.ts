// Real Thunderbird, driven as a person would: a fresh profile with the built XPI, under its own
// Xvfb display (or the user's, for the demo), driven through Marionette in chrome context. Used
// by the end-to-end tests, the demo and the benchmark. This file starts and stops it and names
// the gestures; the profile, the wire client and the chrome scripts live beside it.
// Every process started here is ended by its PID.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { endChild, freePort, sleep, within } from "./process.mjs";
import { connectMarionette, type Marionette } from "./marionette";
import { ADDON_ID, createProfile } from "./thunderbird-profile";
import {
  ADD_CONTACT,
  BUTTON_BADGE,
  CLICK_IN_IM_WINDOW,
  CLICK_IN_MESSAGE,
  CLOSE_POPUP,
  IM_WINDOW_TEXT,
  MESSAGE_BANNER,
  NOTIFICATION,
  PRESS_BUTTON,
  SHOW_MESSAGE,
  SNAPSHOT_MESSAGE,
  SNAPSHOT_POPUP,
  SNAPSHOT_WINDOW,
  TIMED_PRESS,
  TYPE,
  WAIT_TITLE,
} from "./thunderbird-scripts-mail";
import { ADDON_STORAGE } from "./thunderbird-scripts-addon";
import { COMPOSE_WINDOWS, DRAFT_HTML, KEY_IN_COMPOSE_POPUP, NEW_DRAFT, PRESS_COMPOSE_BUTTON } from "./thunderbird-scripts-compose";

export { ADDON_ID, mbox, rfc822 } from "./thunderbird-profile";
export const BUTTON_ID = `${ADDON_ID.replace(/[^a-z0-9_-]/gi, "_")}-messageDisplayAction-toolbarbutton`;
export const COMPOSE_BUTTON_ID = `${ADDON_ID.replace(/[^a-z0-9_-]/gi, "_")}-composeAction-toolbarbutton`;

export { endChild } from "./process.mjs";

function freeDisplay(): number {
  for (let n = 90; n < 400; n++) if (!existsSync(`/tmp/.X${n}-lock`) && !existsSync(`/tmp/.X11-unix/X${n}`)) return n;
  throw new Error("no free X display");
}

export interface Thunderbird {
  /** Runs privileged JS in the main window; `done(value)` ends it. */
  chrome<T>(body: string, args?: unknown[], timeoutMs?: number): Promise<T>;
  log(): string;
  /** Resolves when Thunderbird has exited (the person closed it). */
  readonly exited: Promise<void>;
  /** Thunderbird's process, and its Xvfb's (and window manager's) when it has its own display. */
  pids: number[];
  /** The X display it runs on (":93"), for tools that act there as a person would (xdotool). */
  display: string;
  /** Quits Thunderbird as a person would (it saves its folders) and starts it again on the same profile. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * IT's preset for the add-on (what it reads through storage.managed), the way an administrator
 * sets it for one person without policies.json: a managed storage manifest in
 * ~/.mozilla/managed-storage/ — here in a throw-away HOME for this Thunderbird only.
 */
async function homeWithPreset(preset: Record<string, unknown>): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), "rvi-tb-home-"));
  const dir = join(home, ".mozilla", "managed-storage");
  await mkdir(dir, { recursive: true });
  const manifest = { name: ADDON_ID, description: "Reply via IM, preset by IT", type: "storage", data: preset };
  await writeFile(join(dir, `${ADDON_ID}.json`), JSON.stringify(manifest, null, 2));
  return home;
}

/**
 * `windowManager`: on its own Xvfb display, an openbox too (started and ended by PID), for what
 * needs one — a real pointer drag out of a popup (without a window manager the popup closes at
 * the first pointer move).
 */
export async function startThunderbird(opts: {
  xpi: string;
  me: string;
  folders?: Record<string, string>;
  display?: string;
  preset?: Record<string, unknown>;
  windowManager?: boolean;
}): Promise<Thunderbird> {
  const port = await freePort();
  const dir = await createProfile({ xpi: opts.xpi, me: opts.me, folders: opts.folders, marionettePort: port });
  const home = opts.preset ? await homeWithPreset(opts.preset) : undefined;
  const helpers: ChildProcess[] = []; // Xvfb and the window manager, for Thunderbird's life and its restarts
  let display = opts.display;
  if (!display) {
    const n = freeDisplay();
    helpers.push(spawn("Xvfb", [`:${n}`, "-screen", "0", "1280x900x24", "-nolisten", "tcp"], { stdio: "ignore" }));
    for (let i = 0; i < 100 && !existsSync(`/tmp/.X11-unix/X${n}`); i++) await sleep(50);
    display = `:${n}`;
    if (opts.windowManager) helpers.push(spawn("openbox", ["--sm-disable"], { env: { ...process.env, DISPLAY: display }, stdio: "ignore" }));
  }
  let tb: ChildProcess | undefined;
  let m: Marionette | undefined;
  let exited: Promise<void> = Promise.resolve();
  let log = "";

  /** Starts Thunderbird on the profile and opens a chrome-context Marionette session. */
  async function launch() {
    const child = spawn("thunderbird", ["--no-remote", "-profile", dir, "--marionette", "-remote-allow-system-access"], {
      env: { ...process.env, DISPLAY: display, ...(home ? { HOME: home } : {}) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    tb = child;
    exited = new Promise<void>((r) => child.once("exit", () => r()));
    child.stdout.on("data", (d) => (log += d));
    child.stderr.on("data", (d) => (log += d));
    m = undefined;
    let refused: unknown;
    for (let i = 0; i < 150 && !m; i++) {
      if (child.exitCode !== null) throw new Error(`Thunderbird exited at start-up:\n${log.slice(-2000)}`);
      // until Thunderbird listens, connecting fails: try again, and say the last reason if it never does
      m = await connectMarionette(port).catch((e: unknown) => void (refused = e));
      if (!m) await sleep(200);
    }
    if (!m) throw new Error(`Marionette on port ${port} did not answer within 30 s (${String(refused)}); Thunderbird's log:\n${log.slice(-2000)}`);
    await m.send("WebDriver:NewSession", { capabilities: {} });
    await m.send("Marionette:SetContext", { value: "chrome" });
  }

  /**
   * Asks Thunderbird to quit (`eAttemptQuit`: as a person would, folders saved; `eForceQuit`: at
   * once), then ends it by its PID if it is still there. Marionette may be stuck in a script that
   * never finished, and a refusal or a dropped connection is fine: the PID is the last word.
   */
  async function quit(flag: "eAttemptQuit" | "eForceQuit") {
    const polite = flag === "eAttemptQuit";
    await within(m?.send("Marionette:Quit", { flags: [flag] }).catch(() => undefined) ?? Promise.resolve(), polite ? 10_000 : 5000);
    m?.close();
    await within(exited, polite ? 15_000 : 2000);
    if (tb) await endChild(tb);
  }

  const stop = async () => {
    await quit("eForceQuit");
    for (const c of [...helpers].reverse()) await endChild(c);
    await rm(dir, { recursive: true, force: true });
    if (home) await rm(home, { recursive: true, force: true });
  };
  try {
    await launch();
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    async chrome<T>(body: string, args: unknown[] = [], timeoutMs = 30_000) {
      const script = `const done = arguments[arguments.length - 1]; const args = Array.from(arguments).slice(0, -1);
        (async () => { ${body} })().catch((e) => done({ __error: String(e) + " at " + (e && e.stack) }));`;
      const r = (await m!.send("WebDriver:ExecuteAsyncScript", { script, args, scriptTimeout: timeoutMs })) as { value: T & { __error?: string } };
      if (r.value && typeof r.value === "object" && "__error" in r.value) throw new Error(`in Thunderbird: ${r.value.__error}`);
      return r.value;
    },
    log: () => log,
    get exited() {
      return exited;
    },
    get pids() {
      return [...helpers, tb].map((c) => c?.pid).filter((p): p is number => !!p);
    },
    display,
    async restart() {
      await quit("eAttemptQuit");
      await launch();
    },
    stop,
  };
}

export type Keystroke = { text: string } | { key: string; keyCode: number; mods?: string[] };
export const keys = {
  tab: { key: "Tab", keyCode: 9 },
  shiftTab: { key: "Tab", keyCode: 9, mods: ["Shift"] },
  enter: { key: "Enter", keyCode: 13 },
  ctrlEnter: { key: "Enter", keyCode: 13, mods: ["Control"] },
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
    /** The text of the IM window's element `id`, once it is shown and reads like `pattern`. */
    imWindowText: (id: string, pattern = ".", ms = 15_000) => tb.chrome<string>(IM_WINDOW_TEXT, [id, pattern, ms], ms + 10_000),
    /** Clicks the IM window's button `id`; false when it is not there, hidden or disabled. */
    clickInImWindow: (id: string) => tb.chrome<boolean>(CLICK_IN_IM_WINDOW, [id]),
    pictureOfWindow: (type: "msgcompose" | "mail:3pane", file: string) => picture(SNAPSHOT_WINDOW, [type], file),
    /** What the add-on keeps (its storage.local) and what IT preset (storage.managed), as the add-on reads them. */
    addonStorage: () =>
      tb.chrome<{ local: Record<string, unknown>; managed: Record<string, unknown> & { error?: string }; manifests: string }>(
        ADDON_STORAGE,
        [ADDON_ID],
        20_000,
      ),
  };
}
export type Person = ReturnType<typeof person>;
