// F10 in real Thunderbird, the way a person uses it: the IM invitation's icon DRAGGED from the
// compose button's popup into the draft with a real X pointer (xdotool, XTest, on the test's own
// Xvfb display), not Insert. Marionette's synthesized drags cannot leave the popup's process, so
// the pointer is the X server's; a window manager (openbox, started and ended by PID with
// Thunderbird) must run on that display, or the popup closes at the first pointer move.
// Screen positions come from Thunderbird itself: the icon's rectangle and the popup's place on the
// screen (read in the popup's page), the body's from the compose window.
import { execFile } from "node:child_process";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { buildToTemp } from "../kit/build";
import { stopEngines, testEngine } from "../kit/engine";
import { ADDON_ID, mbox, person, startThunderbird, type Thunderbird } from "../../scripts/lib/thunderbird";
import { until, users } from "../kit/xmpp";

const run = promisify(execFile);
let out: string;
let tb: Thunderbird | undefined;

beforeAll(async () => {
  ({ out } = await buildToTemp());
}, 60_000);
afterEach(async () => {
  await tb?.stop();
  tb = undefined;
  await stopEngines();
});
afterAll(async () => {
  if (out) await rm(out, { recursive: true, force: true });
});

/**
 * Runs `fn` (its source, called with `content` and `sendAsyncMessage`'s answer name) in one of the
 * add-on's pages — "background" or "popup" — through a frame script, as the add-on's own code
 * would see it; done() gets what it sends back.
 */
const IN_ADDON_PAGE = `
  const { ExtensionParent } = ChromeUtils.importESModule("resource://gre/modules/ExtensionParent.sys.mjs");
  const ext = ExtensionParent.GlobalManager.getExtension(args[0]);
  let browser;
  for (let i = 0; i < 100 && !browser; i++) {
    browser = [...(ext?.views ?? [])].find((v) => v.viewType === args[1])?.xulBrowser;
    if (!browser) await new Promise(r => setTimeout(r, 100));
  }
  if (!browser) return done({ __error: "no " + args[1] + " page of the add-on is open" });
  const name = "rvi-drag-" + Math.random().toString(36).slice(2);
  const mm = browser.messageManager;
  const answer = new Promise((ok) => mm.addMessageListener(name, function heard(m) { mm.removeMessageListener(name, heard); ok(m.data); }));
  mm.loadFrameScript("data:application/javascript," + encodeURIComponent("(async () => { const name = " + JSON.stringify(name) + "; const given = " + JSON.stringify(args[3]) + "; sendAsyncMessage(name, await (" + args[2] + ")(content.wrappedJSObject, given)); })()"), false);
  const got = await Promise.race([answer, new Promise((r) => setTimeout(() => r(null), 10000))]);
  done(got ?? { __error: "the add-on's " + args[1] + " page did not answer" });
`;

/** The account, kept where the add-on keeps it (the sign-in form has tests of its own). */
const keepAccount = (
  page: { messenger: { storage: { local: { set(v: unknown): Promise<void> } } }; JSON: JSON },
  a: { service: string; jid: string; password: string },
) =>
  page.messenger.storage.local
    .set(page.JSON.parse(JSON.stringify({ settings: { service: a.service, jid: a.jid }, credentials: { password: a.password } })))
    .then(() => true);

/** Where the icon's centre is on the screen, in X pixels: its rectangle in the popup's page, and the page's place on the screen. */
const iconOnScreen = (page: Window & { mozInnerScreenX: number; mozInnerScreenY: number }) => {
  const r = page.document.getElementById("icon")!.getBoundingClientRect();
  const k = page.devicePixelRatio;
  return {
    x: Math.round((page.mozInnerScreenX + r.x + r.width / 2) * k),
    y: Math.round((page.mozInnerScreenY + r.y + r.height / 2) * k),
    title: page.document.title,
  };
};

/** Where a point of the draft's body is on the screen: `down` CSS pixels below the last line written. */
const BODY_ON_SCREEN = `
  const w = Services.wm.getMostRecentWindow("msgcompose");
  const editor = w.document.getElementById("messageEditor");
  const page = editor.contentWindow;
  const body = page.document.body;
  const r = editor.getBoundingClientRect();
  const last = body.lastElementChild?.getBoundingClientRect();
  const k = page.devicePixelRatio;
  const y = Math.min((last ? last.bottom : 0) + args[0], r.height - 10);
  done({ x: Math.round((page.mozInnerScreenX + 40) * k), y: Math.round((page.mozInnerScreenY + y) * k), text: body.textContent });
`;

const xdo = async (display: string, ...args: string[]) => (await run("xdotool", args, { env: { ...process.env, DISPLAY: display } })).stdout;

/** A person's drag: press on `from`, move in small steps with short pauses (as a hand does), release on `to`. */
async function drag(display: string, from: { x: number; y: number }, to: { x: number; y: number }, steps = 20) {
  const moves: string[] = ["mousemove", String(from.x), String(from.y), "sleep", "0.2", "mousedown", "1", "sleep", "0.2"];
  for (let i = 1; i <= steps; i++) {
    const x = Math.round(from.x + ((to.x - from.x) * i) / steps);
    const y = Math.round(from.y + ((to.y - from.y) * i) / steps);
    moves.push("mousemove", String(x), String(y), "sleep", "0.05");
  }
  moves.push("sleep", "0.3", "mouseup", "1");
  await xdo(display, ...moves);
}

describe("F10 in real Thunderbird: the invitation's icon dragged into a draft", () => {
  it("a real pointer drags the icon from the popup into the body: the invitation lands there once, and what was typed stays", async () => {
    const { alice, bob, carol } = await users("alice", "bob", "carol");
    const b = testEngine(bob);
    const invited: string[] = [];
    await b.start();
    b.features.muc.onInvite((i) => invited.push(i.room));
    tb = await startThunderbird({ xpi: join(out, "reply-via-im-0.1.0.xpi"), me: alice.jid, folders: { Inbox: mbox([]) }, windowManager: true });
    const me = person(tb);
    const display = tb.display;
    const inPage = <T>(page: "background" | "popup", fn: string, given?: unknown) => tb!.chrome<T>(IN_ADDON_PAGE, [ADDON_ID, page, fn, given ?? null], 30_000);
    expect(await inPage<boolean>("background", keepAccount.toString(), { service: alice.service, jid: alice.jid, password: alice.password })).toBe(true);

    // a new email; the person clicks into its body and types, with the real keyboard
    expect(await me.newDraft(`${bob.jid}, ${carol.jid}`, "Budget review", "<p></p>")).toBe(true);
    const start = await tb.chrome<{ x: number; y: number }>(BODY_ON_SCREEN, [5]);
    await xdo(display, "mousemove", String(start.x), String(start.y), "click", "1");
    await xdo(display, "type", "--delay", "15", "See you there.");
    expect((await tb.chrome<{ text: string }>(BODY_ON_SCREEN, [0])).text).toContain("See you there.");

    // the compose button's popup, ready with an invitation for the recipients
    // with no join page set up the invitation carries only the xmpp: link: still ready to drag
    const title = await me.pressComposeButton("— (ready|ready, no web link|not ready)$");
    if (/— not ready$/.test(title)) throw new Error(`the popup says: ${title}`);
    const icon = await inPage<{ x: number; y: number; title: string }>("popup", iconOnScreen.toString());
    const target = await tb.chrome<{ x: number; y: number }>(BODY_ON_SCREEN, [30]);
    const started = Date.now();
    await drag(display, icon, target);
    const html = await me.draftHtml("Join the live chat");
    const dragMs = Date.now() - started;

    const text = (await tb.chrome<{ text: string }>(BODY_ON_SCREEN, [0])).text;
    expect(text.split("Join the live chat").length - 1).toBe(1); // once, not twice (no drop handled twice)
    expect(text).toContain("See you there."); // what the person typed is still there
    expect(text.indexOf("See you there.")).toBeLessThan(text.indexOf("Join the live chat")); // dropped where the pointer let go: below it
    const room = /xmpp:([0-9a-f-]{36})@conference\.localhost\?join/.exec(html);
    expect(room).not.toBeNull();
    await until(() => invited.length > 0, "bob's invitation to the room");
    expect(invited).toEqual([`${room![1]}@conference.localhost`]);
    console.log(`drag: icon at ${icon.x},${icon.y} → body at ${target.x},${target.y}; invitation in the draft ${dragMs} ms after the press`);
  }, 150_000);
});
