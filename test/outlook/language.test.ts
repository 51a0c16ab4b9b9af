// F26 ten languages in Outlook: the built panes (dist/outlook) over HTTPS in real headless
// Chromium, with the stand-in for Office.js (test/kit/fake-office.ts) saying Outlook's display
// language. The panes speak it from their first words; a language the add-in does not have
// gets English. No XMPP is needed: what is checked is what the pane says before signing in.
import type { BrowserContext, Page } from "playwright-core";
import { startOutlookSite, type OutlookSite } from "../kit/outlook-site";
import type { FakeOfficeConfig } from "../kit/fake-office";
import de from "../../src/ui/_locales/de/messages.json";
import en from "../../src/ui/_locales/en/messages.json";

let web: OutlookSite;
let context: BrowserContext | undefined;

beforeAll(async () => {
  web = await startOutlookSite([]);
}, 90_000);
afterEach(async () => {
  await context?.close();
  context = undefined;
});
afterAll(() => web?.close());

const config: FakeOfficeConfig = {
  mailbox: "1.5", user: { emailAddress: "alice@example.org", displayName: "Alice" },
  item: { kind: "compose", to: [{ displayName: "Bob", emailAddress: "bob@example.org" }], subject: "Budget", bodyType: "html", body: "{caret}" },
};

/** A pane in an Outlook whose display language is `language` (Office.context.displayLanguage). */
async function openPane(file: "taskpane.html" | "compose.html", language: string, item: FakeOfficeConfig["item"] = config.item): Promise<Page> {
  context = await web.browser.newContext({ locale: "en-US", viewport: { width: 360, height: 640 } });
  const office = `${web.fakeOffice}\nOffice.context.displayLanguage = ${JSON.stringify(language)};`;
  await context.route("https://appsforoffice.microsoft.com/lib/1/hosted/office.js", (r) => r.fulfill({ body: office, contentType: "text/javascript" }));
  await context.addInitScript((c) => {
    (window as unknown as { __fakeOfficeConfig: unknown }).__fakeOfficeConfig = c;
  }, { ...config, item });
  const page = await context.newPage();
  await page.goto(web.site.url + file);
  return page;
}

describe("F26 the Outlook panes in Outlook's display language", () => {
  it("an Outlook in de-DE gets the task pane in German, though the browser is English", async () => {
    const page = await openPane("taskpane.html", "de-DE", null);
    await page.waitForFunction((t) => document.getElementById("pane-notice")?.textContent === t, de.paneNotice.message);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("de");
    expect(await page.textContent("#contacts-panel summary")).toBe(de.contactsOpen.message);
  }, 30_000);

  it("an Outlook in de-DE gets the invitation pane in German", async () => {
    const page = await openPane("compose.html", "de-DE");
    await page.waitForFunction((t) => document.getElementById("insert")?.textContent === t, de.inviteInsert.message);
    expect(await page.getAttribute("#icon", "alt")).toBe(de.inviteIconAlt.message);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("de");
  }, 30_000);

  it("an Outlook in a language the add-in does not have (Finnish) gets English", async () => {
    const page = await openPane("taskpane.html", "fi-FI", null);
    await page.waitForFunction((t) => document.getElementById("pane-notice")?.textContent === t, en.paneNotice.message);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("en");
  }, 30_000);
});
