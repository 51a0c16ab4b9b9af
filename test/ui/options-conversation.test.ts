// F24/F25 in Options, in real Chromium: the Conversation History folder and Send as IM instead,
// changed by keyboard and saved; a value out of range is said and focused; IT's preset is locked.
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { bundleForPage, launchChromium } from "../kit/browser";

let browser: Browser;
let page: Page;
let bundle: string;
type W = { saved: unknown[]; RVIOptions: typeof import("../../src/ui/options/view") };

beforeAll(async () => {
  browser = await launchChromium();
  bundle = await bundleForPage(join(__dirname, "../../src/ui/options/view.ts"), "RVIOptions");
}, 30_000);
afterAll(() => browser?.close());
afterEach(() => page?.close());

async function open(locked: string[] = []) {
  page = await (await browser.newContext()).newPage();
  await page.setContent(`<!DOCTYPE html><html lang="en"><body><main id="app"></main></body></html>`);
  await page.addScriptTag({ content: bundle });
  await page.evaluate(async (locked) => {
    const w = window as unknown as W;
    w.saved = [];
    await w.RVIOptions.mountOptions(document.getElementById("app")!, {
      load: async () => ({
        settings: {
          service: "",
          jid: "alice@example.org",
          password: "pw",
          historyLimit: 20,
          retentionDays: 0,
          joinPage: "https://a.example.org/join.html",
          sendAsIm: locked.includes("sendAsIm"),
        },
        locked,
        mappings: [],
        usage: {},
      }),
      save: async (v) => void w.saved.push(v),
      test: async () => ({ usable: true, checks: [] }),
      forgetMapping: async () => undefined,
      exportUsage: async () => "",
      t: (key: string, ...subs: string[]) => (subs.length ? `${key}(${subs.join(",")})` : key),
    });
  }, locked);
}
const saved = () => page.evaluate(() => (window as unknown as W).saved);
const status = () => page.textContent("#status");

describe("F24/F25 Options: conversations with the email", () => {
  it("shows the defaults (folder on, 'Conversation History', 10 minutes; Send as IM instead off), and saves what the person changes by keyboard", async () => {
    await open();
    expect(await page.isChecked("#historyFolder")).toBe(true);
    expect(await page.inputValue("#historyFolderName")).toBe("Conversation History");
    expect(await page.inputValue("#quietMinutes")).toBe("10");
    expect(await page.isChecked("#sendAsIm")).toBe(false);
    await page.focus("#sendAsIm");
    await page.keyboard.press("Space");
    await page.fill("#quietMinutes", "5");
    await page.click("#save");
    await page.waitForFunction(() => document.getElementById("status")?.textContent === "saved");
    expect((await saved())[0]).toMatchObject({ sendAsIm: true, quietMinutes: 5 });
    expect((await saved())[0]).not.toHaveProperty("historyFolderName"); // unchanged: not sent
  });

  it("a quiet time out of range or a folder name with a slash is said and focused, and nothing is saved", async () => {
    await open();
    await page.fill("#quietMinutes", "0");
    await page.click("#save");
    await page.waitForFunction(() => document.getElementById("status")?.textContent?.startsWith("numberBetween"));
    expect(await status()).toBe("numberBetween(1,1440)");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("quietMinutes");
    await page.fill("#quietMinutes", "10");
    await page.fill("#historyFolderName", "IM/History");
    await page.click("#save");
    await page.waitForFunction(() => document.getElementById("status")?.textContent === "historyFolderNameBad");
    expect(await saved()).toEqual([]);
  });

  it("what IT preset is shown locked and never sent", async () => {
    await open(["sendAsIm", "historyFolderName"]);
    expect(await page.isDisabled("#sendAsIm")).toBe(true);
    expect(await page.getAttribute("#historyFolderName", "readonly")).not.toBeNull();
    await page.click("#save");
    await page.waitForFunction(() => document.getElementById("status")?.textContent === "saved");
    expect((await saved())[0]).not.toHaveProperty("sendAsIm");
  });
});
