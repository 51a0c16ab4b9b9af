// F26 ten languages on the web join page: the built page (dist/web) over HTTPS in real headless
// Chromium speaks the browser's language. A guest whose browser is German joins a live chat made
// by the inviter's engine (Node, against the run's Prosody) and reads the page in German; a
// browser in a language the add-in does not have gets English.
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { buildToTemp } from "../kit/build";
import { launchChromium } from "../kit/browser";
import { stopEngines, testEngine } from "../kit/engine";
import { server, users } from "../kit/xmpp";
import { freePort } from "../../scripts/lib/process.mjs";
import { serveOutlook } from "../../scripts/serve-outlook.mjs";
import de from "../../src/ui/_locales/de/messages.json";

const german = (key: keyof typeof de, ...subs: string[]) => de[key].message.replace(/\$(\d)/g, (_, n: string) => subs[Number(n) - 1] ?? "");

let out: string;
let site: { url: string; caPath: string; close(): Promise<void> };
let browser: Browser;

beforeAll(async () => {
  ({ out } = await buildToTemp(["--xmpp", server().service]));
  site = await serveOutlook({ dir: join(out, "web"), port: await freePort(), certs: join(out, "certs") });
  browser = await launchChromium({ trust: [site.caPath] });
}, 90_000);
afterEach(() => stopEngines());
afterAll(async () => {
  await browser?.close();
  await site?.close();
  await rm(out, { recursive: true, force: true });
});

async function visit(link: string, locale: string): Promise<Page> {
  const context = await browser.newContext({ locale, viewport: { width: 900, height: 560 } });
  const page = await context.newPage();
  await page.goto(link);
  await page.waitForSelector("#name");
  return page;
}

describe("F26 the join page in the browser's language", () => {
  it("a German browser gets the form, the chat and leaving in German; the page says it is German", async () => {
    const { alice, bob } = await users("alice", "bob");
    const a = testEngine(alice);
    await a.start();
    const invitation = await a.sessions.create({ recipients: [bob.jid], subject: "Budget", joinPage: `${site.url}join.html` });
    const page = await visit(invitation.link, "de-DE");
    try {
      expect(await page.evaluate(() => document.documentElement.lang)).toBe("de");
      expect(await page.textContent("h1")).toBe(german("join_heading"));
      expect(await page.textContent('label[for="name"]')).toBe(german("join_nameLabel"));
      expect(await page.textContent("#join-button")).toBe(german("join_button"));
      expect(await page.title()).toBe(german("join_pageTitle", german("join_titleJoin")));

      await page.keyboard.type("Bernd");
      await page.keyboard.press("Enter");
      await page.waitForSelector("#areas");
      expect(await page.textContent("#leave")).toBe(german("join_leave"));
      expect(await page.getAttribute('section.area[data-nick="Bernd"]', "aria-label")).toBe(german("join_you", "Bernd"));
      const host = alice.jid.split("@")[0]!;
      // counted in German: "2 anwesend", once the inviter's presence has arrived
      await a.features.muc.send(invitation.room, "Hallo");
      await page.waitForFunction((t) => document.title === t, german("join_pageTitle", german("join_hereCount_other", "2")));
      expect(await page.textContent("#here")).toBe(german("join_hereNow", ["Bernd", host].sort().join(", ")));
      // the time of a message in German form (24-hour clock, no "AM"/"PM")
      expect(await page.textContent("section.area li time")).toMatch(/^\d{2}:\d{2}$/);

      await page.click("#leave");
      await page.waitForFunction((t) => document.querySelector("h1")?.textContent === t, german("join_leftTitle"));
      expect(await page.textContent("#rejoin")).toBe(german("join_again"));
    } finally {
      await page.context().close();
    }
  }, 90_000);

  it("a browser in a language the add-in does not have (Swedish) gets English", async () => {
    const page = await visit(`${site.url}join.html#s=${globalThis.crypto.randomUUID()}&m=${server().mucDomain}`, "sv-SE");
    try {
      expect(await page.evaluate(() => document.documentElement.lang)).toBe("en");
      expect(await page.textContent("h1")).toBe("Join the live chat");
    } finally {
      await page.context().close();
    }
  }, 30_000);
});
