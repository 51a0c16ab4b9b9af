// F26 ten languages in Outlook: the built panes (dist/outlook) over HTTPS in real headless
// Chromium, with the stand-in for Office.js (test/kit/fake-office.ts) saying Outlook's display
// language. The panes speak it from their first words; a language the add-in does not have
// gets English. What fails when signing in is said in that language too (issue 24: never the
// engine's English sentence), against the run's Prosody.
import type { BrowserContext, Page } from "playwright-core";
import { startOutlookSite, type OutlookSite } from "../kit/outlook-site";
import type { FakeOfficeConfig } from "../kit/fake-office";
import { freePort } from "../../scripts/lib/process.mjs";
import { server, usersOn } from "../kit/xmpp";
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
  mailbox: "1.5",
  user: { emailAddress: "alice@example.org", displayName: "Alice" },
  item: { kind: "compose", to: [{ displayName: "Bob", emailAddress: "bob@example.org" }], subject: "Budget", bodyType: "html", body: "{caret}" },
};

/** A pane in an Outlook whose display language is `language` (Office.context.displayLanguage). */
async function openPane(file: "taskpane.html" | "compose.html", language: string, item: FakeOfficeConfig["item"] = config.item): Promise<Page> {
  context = await web.browser.newContext({ locale: "en-US", viewport: { width: 360, height: 640 } });
  const office = `${web.fakeOffice}\nOffice.context.displayLanguage = ${JSON.stringify(language)};`;
  await context.route("https://appsforoffice.microsoft.com/lib/1/hosted/office.js", (r) => r.fulfill({ body: office, contentType: "text/javascript" }));
  await context.addInitScript(
    (c) => {
      (window as unknown as { __fakeOfficeConfig: unknown }).__fakeOfficeConfig = c;
    },
    { ...config, item },
  );
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

describe("F26 what failed, in Outlook's display language", () => {
  /** Signs in on the pane's account form with the server typed under Advanced; resolves with what the form says beside the field. */
  async function signIn(language: string, jid: string, service: string, password: string, field: "password" | "service"): Promise<string> {
    const page = await openPane("taskpane.html", language, {
      kind: "read",
      from: { displayName: "Bob", emailAddress: "bob@example.org" },
      to: [],
      subject: "Budget",
      body: "Hi",
      internetMessageId: "<b1@example.org>",
      conversationId: "AAQkB1",
      dateTimeCreated: "2026-11-02T09:00:00Z",
    });
    await page.waitForSelector("#account");
    await page.fill("#account-jid", jid);
    await page.fill("#account-password", password);
    await page.click("#account-advanced summary");
    await page.fill("#account-service", service);
    await page.click("#account-save");
    await page.waitForFunction((id) => document.getElementById(id)?.textContent, `account-${field}-error`);
    return (await page.textContent(`#account-${field}-error`)) ?? "";
  }

  it("a wrong password in a German Outlook is said in German, not in the engine's English", async () => {
    const { alice } = await usersOn(server(), "alice");
    const said = await signIn("de-DE", alice.jid, server().service, "not the password", "password");
    expect(said).toBe(de.problem_wrong_password.message);
    expect(said).not.toMatch(/refused|password for/); // the engine's sentence, for logs only
  }, 30_000);

  it("a server that does not answer, in German; the same in English for an English Outlook", async () => {
    const dead = `ws://127.0.0.1:${await freePort()}/xmpp-websocket`; // a free port: nobody listens
    expect(await signIn("de-DE", "alice@example.org", dead, "secret", "service")).toBe(de.problem_unreachable.message);
    await context?.close();
    expect(await signIn("en-GB", "alice@example.org", dead, "secret", "service")).toBe(en.problem_unreachable.message);
  }, 40_000);
});
