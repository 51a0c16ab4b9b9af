// The Outlook pane's Settings (F15, F16, F20, F22) in real headless Chromium: the built pages over
// HTTPS, the stand-in for Office.js (test/kit/fake-office.ts: a mailbox is needed), the run's
// SCRAM-only Prosody. The same Options view as Thunderbird's, reached by keyboard from the pane;
// what is saved stays after the pane is opened again (roamingSettings are Outlook's: the stand-in
// is given what the pane saved, as Outlook would give it back), the address table shows the
// mapping the pane learnt, and the usage figures are exported as a file.
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { ROOT } from "../kit/build";
import { officeCalls, startOutlookSite, type OutlookSite } from "../kit/outlook-site";
import type { FakeOfficeConfig, ReadItemSpec } from "../kit/fake-office";
import { stopEngines, testEngine } from "../kit/engine";
import { scramServer, usersOn } from "../kit/xmpp";
import type { Account } from "../../src/xmpp/connection";

const ARTIFACTS = join(ROOT, "artifacts");
let web: OutlookSite;
let context: BrowserContext | undefined;

beforeAll(async () => {
  web = await startOutlookSite(["--xmpp", scramServer().service]);
  await mkdir(ARTIFACTS, { recursive: true });
}, 90_000);
afterEach(async () => {
  await context?.close();
  context = undefined;
  await stopEngines();
});
afterAll(() => web?.close());

/** One browser profile (the pane's storage lives on across openings); Outlook's stand-in with `config`. */
async function openPane(config: FakeOfficeConfig, password: string): Promise<Page> {
  context ??= await web.browser.newContext({ viewport: { width: 360, height: 900 }, acceptDownloads: true });
  await context.route("https://appsforoffice.microsoft.com/lib/1/hosted/office.js", (r) => r.fulfill({ body: web.fakeOffice, contentType: "text/javascript" }));
  await context.addInitScript(
    ([c, pw]) => {
      (window as unknown as { __fakeOfficeConfig: unknown }).__fakeOfficeConfig = c;
      // the password as typed on this computer (this test server moves its SCRAM salt at every login, so kept keys would be asked for again: the e2e tests show that)
      localStorage.setItem("reply-via-im:password", pw);
    },
    [config, password] as const,
  );
  const page = await context.newPage();
  await page.goto(`${web.site.url}taskpane.html`);
  return page;
}

/** bob's email, signed with his XMPP address: the pane learns the mapping from it (F2). */
const emailFrom = (bob: Account, alice: Account): ReadItemSpec => ({
  kind: "read",
  from: { displayName: "Bob", emailAddress: "bob@mail.example.org" },
  to: [{ displayName: "Alice", emailAddress: alice.jid }],
  subject: "Budget 2027",
  internetMessageId: "<b27@mail.example.org>",
  conversationId: "AAQkADBudget",
  dateTimeCreated: "2026-11-02T09:00:00Z",
  body: `The numbers are attached.\n-- \nBob\nxmpp:${bob.jid}`,
});

const calls = officeCalls;

/** Waits for the chat (its "IM to …" line); a pane that shows something else says what. */
const chatShown = (page: Page) =>
  page.waitForSelector("#to", { timeout: 20_000 }).catch(async (err: Error) => {
    throw new Error(`${err.message}\nthe pane shows: ${await page.innerText("body")}`);
  });

const saved = (page: Page) => page.evaluate(() => (window as unknown as { __fakeOffice: { saved: Record<string, unknown> | null } }).__fakeOffice.saved);

describe("F15, F16, F22 the Outlook pane's Settings", () => {
  it("opened by keyboard from the pane: a changed setting is kept when the pane opens again, the address table shows the mapping the pane learnt, the usage figures are exported as a file; Escape returns to the chat", async () => {
    const { alice, bob } = await usersOn(scramServer(), "alice", "bob");
    const config: FakeOfficeConfig = {
      mailbox: "1.5",
      user: { emailAddress: alice.jid, displayName: "Alice" },
      item: emailFrom(bob, alice),
      roaming: { settings: { jid: alice.jid } },
    };
    let page = await openPane(config, alice.password!);
    await chatShown(page);

    // from the message being written, Shift+Tab goes back through the pane to Settings, its first stop
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("message");
    let presses = 0;
    while ((await page.evaluate(() => document.activeElement?.id)) !== "settings-open" && presses < 20) {
      await page.keyboard.press("Shift+Tab");
      presses++;
    }
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("settings-open");
    expect(await page.textContent("#settings-open")).toBe("Settings");
    await page.keyboard.press("Enter");
    await page.waitForSelector("#settings-view #historyLimit");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("settings-back");
    expect(await page.isVisible("#app")).toBe(false); // Settings in place of the chat
    expect(await page.textContent("#settings-title")).toBe("Reply via IM settings");

    // what Outlook does not allow is said, and not offered: no count on the button
    expect(await page.locator("#settings-view #badge").count()).toBe(0);
    expect(await page.textContent("#alerts-note")).toBe(
      "In Outlook a new IM is announced by a notice on the email shown, and by sound or speech while this pane is open or pinned. Outlook does not let add-ins show a count on their button, so there is no unread badge.",
    );
    for (const id of ["notify", "sound", "speech", "muteAll", "volume", "language", "historyLimit", "retentionDays"])
      expect(await page.locator(`#settings-view #${id}`).count()).toBe(1);
    expect(await page.inputValue("#jid")).toBe(alice.jid);

    // the address table: bob's email, his XMPP address, and where it came from
    const row = page.locator('#mappings tr[data-email="bob@mail.example.org"]');
    expect(await row.locator("td").allTextContents()).toEqual(["bob@mail.example.org", bob.jid, "Found in their email signature", "Forget"]);
    await page.screenshot({ path: join(ARTIFACTS, "outlook-settings.png"), fullPage: true });

    // change settings as a person would, and save
    await page.fill("#historyLimit", "7");
    await page.check("#sound");
    await page.uncheck("#notify");
    await page.selectOption("#language", "de");
    await page.click("#save");
    await page.waitForFunction(() => document.getElementById("status")?.textContent?.startsWith("Saved") ?? false);
    expect((await saved(page))?.settings).toMatchObject({ historyLimit: 7, sound: true, notify: false, language: "de", jid: alice.jid });

    // usage figures as a file
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export")]);
    expect(download.suggestedFilename()).toBe("reply-via-im-usage.csv");
    const csv = await readFile(await download.path(), "utf8");
    expect(csv.split("\n")[0]).toBe("counter,count,exported_at");
    expect(csv).toMatch(/^\w+,\d+,\d{4}-\d\d-\d\dT/m);

    // Escape returns to the chat, shown anew, ready to write in
    await page.focus("#historyLimit");
    await page.keyboard.press("Escape");
    await chatShown(page);
    expect(await page.isVisible("#settings-view")).toBe(false);
    expect(await page.isVisible("#app")).toBe(true);
    await page.waitForFunction(() => document.activeElement?.id === "message");

    // the pane opened again: Outlook gives back what the pane saved in roamingSettings
    const roaming = (await saved(page))!;
    await page.close();
    page = await openPane({ ...config, roaming }, alice.password!);
    await chatShown(page);
    await page.click("#settings-open");
    await page.waitForSelector("#settings-view #historyLimit");
    expect(await page.inputValue("#historyLimit")).toBe("7");
    expect(await page.isChecked("#sound")).toBe(true);
    expect(await page.isChecked("#notify")).toBe(false);
    expect(await page.inputValue("#language")).toBe("de");
    // Back (the button) returns too
    await page.click("#settings-back");
    await chatShown(page);
  }, 90_000);

  it("F15: alerts in the pane follow the settings — an IM from bob while carol's email is shown gives a notice on it; with notices off and sound on, the next one only chimes", async () => {
    const { alice, bob, carol } = await usersOn(scramServer(), "alice", "bob", "carol");
    const b = testEngine(bob);
    await b.start();
    const config: FakeOfficeConfig = {
      mailbox: "1.5",
      user: { emailAddress: alice.jid, displayName: "Alice" },
      item: emailFrom(bob, alice),
      roaming: { settings: { jid: alice.jid } },
    };
    await context?.close();
    context = await web.browser.newContext({ viewport: { width: 360, height: 900 } });
    // the chime is Web Audio: count the notes it starts
    await context.addInitScript(() => {
      const w = window as unknown as { __notes: number; AudioContext: typeof AudioContext };
      w.__notes = 0;
      const Base = w.AudioContext;
      w.AudioContext = class extends Base {
        override createOscillator() {
          w.__notes++;
          return super.createOscillator();
        }
      };
    });
    const page = await openPane(config, alice.password!);
    await chatShown(page);
    // the address bob's signature gives is only a claim until alice confirms it: then his IMs are hers to see (issue 21)
    await page.click("#confirm");
    await page.waitForSelector("#confirm", { state: "hidden" });
    const bobs = await page.textContent("#to");
    // pinned, the pane follows the selection to carol's email; bob writes meanwhile
    await page.evaluate((c) => {
      const w = window as unknown as { __fakeOffice: { select(s: unknown): void }; __fakeOfficeConfig: { item: Record<string, unknown> } };
      w.__fakeOffice.select({
        ...w.__fakeOfficeConfig.item,
        from: { displayName: "Carol", emailAddress: c },
        internetMessageId: "<c1@mail.example.org>",
        subject: "Lunch",
        body: "Lunch on Friday?",
      });
    }, carol.jid);
    const carols = async () => {
      await page.waitForFunction((was) => ![was, "", undefined].includes(document.querySelector("#to")?.textContent ?? undefined), bobs);
      return page.textContent("#to");
    };
    const carolsTitle = await carols();
    await b.replyViaIm("Are the numbers final?", { to: alice.jid });
    await page.waitForFunction(() =>
      (window as unknown as { __officeCalls: unknown[][] }).__officeCalls.some(
        (c) => c[0] === "notificationMessages.replaceAsync" && JSON.stringify(c).includes("Are the numbers final?"),
      ),
    );
    expect(await page.evaluate(() => (window as unknown as { __notes: number }).__notes)).toBe(0); // sound is off until chosen

    await page.click("#settings-open");
    await page.waitForSelector("#settings-view #notify");
    await page.uncheck("#notify");
    await page.check("#sound");
    await page.click("#save");
    await page.waitForFunction(() => document.getElementById("status")?.textContent?.startsWith("Saved") ?? false);
    await page.keyboard.press("Escape");
    expect(await carols()).toBe(carolsTitle); // back on carol's chat

    await b.replyViaIm("And the travel budget?", { to: alice.jid });
    await page.waitForFunction(() => (window as unknown as { __notes: number }).__notes >= 2); // two notes: one chime
    // the notice would have come first, in the same decision: there is none
    expect(JSON.stringify(await calls(page, "notificationMessages.replaceAsync"))).not.toContain("And the travel budget?");
  }, 90_000);
});
