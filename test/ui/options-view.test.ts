// Options in real Chromium, by keyboard, on a stand-in host that answers as the background does.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import type { OptionsBackend } from "../../src/ui/options/view";
import { bundleForPage, launchChromium } from "../kit/browser";
import type { OptionsPage } from "./pages";

let browser: Browser;
let page: Page;
let bundle: string;

beforeAll(async () => {
  browser = await launchChromium();
  bundle = await bundleForPage(join(__dirname, "../../src/ui/options/view.ts"), "RVIOptions");
}, 30_000);
afterAll(() => browser?.close());
afterEach(() => page?.close());

async function open(locked: string[] = [], service = "wss://chat.example.org/xmpp-websocket") {
  const context = await browser.newContext({ acceptDownloads: true });
  page = await context.newPage();
  await page.setContent(
    `<!DOCTYPE html><html lang="en"><head><style>${readFileSync(join(__dirname, "../../src/ui/im-window/chat.css"), "utf8")}</style></head><body><main id="app"></main></body></html>`,
  );
  await page.addScriptTag({ content: bundle });
  await page.evaluate(
    ([locked, service]) => {
      const w = window as unknown as OptionsPage;
      w.calls = [];
      const backend: OptionsBackend = {
        load: async () => ({
          settings: {
            service,
            jid: "alice@example.org",
            password: "pw",
            historyLimit: 20,
            retentionDays: 0,
            joinPage: "https://addins.example.org/web/join.html",
          },
          locked,
          mappings: [
            { email: "bob@example.org", jid: "bob@chat.example.org", source: "user" },
            { email: "carol@example.org", jid: "carol@example.org", source: "convention" },
          ],
          usage: { imsSent: 3, imsDelivered: 2 },
        }),
        save: async (v) => void w.calls.push(["save", v]),
        test: async (a) => {
          w.calls.push(["test", a]);
          const failure = w.testFails;
          w.testFails = undefined;
          if (failure) throw Object.assign(new Error(failure.message), { code: failure.code });
          return {
            usable: false,
            checks: [
              { what: "WebSocket login", ok: true, note: "as alice" },
              { what: "message archive (XEP-0313)", ok: false, note: "needed" },
            ],
            advice: "The server lacks message archive (XEP-0313). Ask your XMPP administrator to enable it.",
          };
        },
        forgetMapping: async (email) => void w.calls.push(["forget", email]),
        exportUsage: async () => "counter,count,exported_at\nimsSent,3,2026-11-23T00:00:00.000Z\n",
        t: (key, ...subs) => `${key}${subs.length ? `(${subs.join(",")})` : ""}`,
      };
      return w.RVIOptions.mountOptions(document.getElementById("app")!, backend);
    },
    [locked, service] as const,
  );
}

const calls = () => page.evaluate(() => (window as unknown as OptionsPage).calls);
const statusIs = (text: string) => page.waitForFunction((text) => document.getElementById("status")?.textContent === text, text);

describe("F20, F22 Options", () => {
  it("F23: a changed account is signed in with before anything is saved, its checks listed; a wrong password is said beside the password", async () => {
    await open();
    expect(await page.getAttribute("#advanced", "open")).not.toBeNull(); // the person's own server: shown
    const refused =
      "The XMPP server at wss://chat.example.org/xmpp-websocket refused the password for alice@example.org: check the XMPP address and password in the add-in's account settings.";
    await page.evaluate((message) => void ((window as unknown as OptionsPage).testFails = { code: "wrong-password", message }), refused);
    await page.focus("#password");
    await page.keyboard.press("Control+A");
    await page.keyboard.type("wrong");
    await page.focus("#save");
    expect(await page.textContent("#save")).toBe("signInAndSave");
    await page.keyboard.press("Enter");
    await statusIs("signInFailed");
    expect(await page.textContent("#password-error")).toBe(refused);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("password");
    expect((await calls()).map((c) => c[0])).toEqual(["test"]); // nothing saved
    await page.keyboard.press("Control+A");
    await page.keyboard.type("right");
    await page.keyboard.press("Enter");
    await statusIs("saved The server lacks message archive (XEP-0313). Ask your XMPP administrator to enable it.");
    expect(await page.locator("#checks li").allTextContents()).toEqual(["✓ WebSocket login: as alice", "✗ message archive (XEP-0313): needed"]);
    expect(await page.textContent("#password-error")).toBe("");
    const [, second, saved] = await calls();
    expect(second).toEqual(["test", { service: "wss://chat.example.org/xmpp-websocket", jid: "alice@example.org", password: "right" }]);
    expect(saved).toEqual(["save", expect.objectContaining({ service: "wss://chat.example.org/xmpp-websocket", jid: "alice@example.org", password: "right" })]);
    // the same account again: saved without signing in again
    await page.fill("#retentionDays", "30");
    await page.click("#save");
    await statusIs("saved");
    expect((await calls()).map((c) => c[0])).toEqual(["test", "test", "save", "save"]);
  });

  it("F23: with no server of one's own, Advanced is closed; a server not found opens it, said beside the server field", async () => {
    await open([], "");
    expect(await page.getAttribute("#advanced", "open")).toBeNull();
    expect(await page.isVisible("#service")).toBe(false);
    const notFound =
      "No XMPP WebSocket address was found for example.org (…). Type the server's address under Advanced, or ask your administrator to publish …";
    await page.evaluate((message) => void ((window as unknown as OptionsPage).testFails = { code: "no-endpoint", message }), notFound);
    await page.fill("#jid", "alice@example.net");
    await page.click("#save");
    await statusIs("signInFailed");
    expect(await page.getAttribute("#advanced", "open")).not.toBeNull();
    expect(await page.textContent("#service-error")).toBe(notFound);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("service");
    expect((await calls()).map((c) => c[0])).toEqual(["test"]);
  });

  it("saves what the person changed; fields IT preset are locked and not sent", async () => {
    await open(["service"]);
    expect(await page.getAttribute("#service", "readonly")).not.toBeNull();
    expect(await page.isVisible("#service")).toBe(true); // shown, locked, not behind Advanced
    expect(await page.locator("#advanced").count()).toBe(0);
    await page.fill("#retentionDays", "90");
    await page.focus("#save");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.getElementById("status")?.textContent === "saved");
    const saved = (await page.evaluate(() => (window as unknown as OptionsPage).calls))[0]?.[1];
    expect(saved).toEqual({
      jid: "alice@example.org",
      password: "pw",
      historyLimit: 20,
      retentionDays: 90,
      joinPage: "https://addins.example.org/web/join.html",
      // the alerts and translation as they were: notification and badge on, sound and speech off
      notify: true,
      badge: true,
      sound: false,
      speech: false,
      muteAll: false,
      volume: 80,
      muted: [],
      voiceVolumes: {},
      language: "",
      translateUrl: "",
    });
  });

  it("F15/F16: alerts and language chosen by keyboard are saved; a voice-volume line that is not 'address volume' is refused and focused", async () => {
    await open();
    await page.focus("#sound");
    await page.keyboard.press("Space");
    await page.keyboard.press("Tab"); // speech
    await page.keyboard.press("Space");
    await page.fill("#muted", "Carol@example.org, dave@example.org");
    await page.fill("#voiceVolumes", "bob@example.org 40\nbob fifty");
    await page.selectOption("#language", "sw");
    await page.fill("#translateUrl", "https://translate.example.org/");
    await page.click("#save");
    await page.waitForFunction(() => document.getElementById("status")?.textContent?.startsWith("voiceVolumesBad"));
    expect(await page.textContent("#status")).toBe("voiceVolumesBad(bob fifty)");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("voiceVolumes");
    expect(await page.evaluate(() => (window as unknown as OptionsPage).calls)).toEqual([]); // nothing half-saved
    await page.fill("#voiceVolumes", "bob@example.org 40");
    await page.click("#save");
    await page.waitForFunction(() => document.getElementById("status")?.textContent === "saved");
    const saved = (await page.evaluate(() => (window as unknown as OptionsPage).calls))[0]?.[1];
    expect(saved).toMatchObject({
      sound: true,
      speech: true,
      notify: true,
      muted: ["carol@example.org", "dave@example.org"],
      voiceVolumes: { "bob@example.org": 40 },
      language: "sw",
      translateUrl: "https://translate.example.org/",
    });
  });

  it("the address table shows where each address came from; one can be forgotten", async () => {
    await open();
    expect(await page.locator("#mappings tr[data-email] td:nth-child(3)").allTextContents()).toEqual(["source_user", "source_convention"]);
    await page.getByRole("button", { name: "forgetMappingOf(bob@example.org)" }).press("Enter");
    await page.waitForFunction(() => !document.querySelector('#mappings tr[data-email="bob@example.org"]'));
    expect(await page.evaluate(() => (window as unknown as OptionsPage).calls)).toEqual([["forget", "bob@example.org"]]);
  });

  it("usage figures are shown and exported as a CSV file", async () => {
    await open();
    expect(await page.locator("#usage tr").allTextContents()).toEqual(["usage_imsSent3", "usage_imsDelivered2"]);
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export")]);
    expect(download.suggestedFilename()).toBe("reply-via-im-usage.csv");
    expect(readFileSync(await download.path(), "utf8")).toBe("counter,count,exported_at\nimsSent,3,2026-11-23T00:00:00.000Z\n");
  });
});
