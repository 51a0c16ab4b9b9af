// F25 in Outlook, the panes' side of "Send as IM instead" (the Smart Alerts handler itself is
// tested in send-event.test.ts): the read pane keeps who is online now in roamingSettings for the
// handler, and the compose pane that "Send as IM" opens sends the IM the handler left in the
// item's sessionData, then closes the draft. Built pages over HTTPS in headless Chromium, the
// Office stand-in (a mailbox is needed), the run's SCRAM-only Prosody.
import type { BrowserContext, Page } from "playwright-core";
import { officeCalls, startOutlookSite, type OutlookSite } from "../kit/outlook-site";
import type { FakeOfficeConfig } from "../kit/fake-office";
import { stopEngines, testEngine } from "../kit/engine";
import { scramServer, until, usersOn } from "../kit/xmpp";
import type { IncomingIm } from "../../src/engine/engine";

let web: OutlookSite;
let context: BrowserContext | undefined;

beforeAll(async () => {
  web = await startOutlookSite(["--xmpp", scramServer().service]);
}, 90_000);
afterEach(async () => {
  await context?.close();
  context = undefined;
  await stopEngines();
});
afterAll(() => web?.close());

async function openPane(file: "taskpane.html" | "compose.html", config: FakeOfficeConfig, password: string): Promise<Page> {
  context = await web.browser.newContext({ viewport: { width: 360, height: 800 } });
  await context.route("https://appsforoffice.microsoft.com/lib/1/hosted/office.js", (r) => r.fulfill({ body: web.fakeOffice, contentType: "text/javascript" }));
  await context.addInitScript(
    ([c, pw]) => {
      (window as unknown as { __fakeOfficeConfig: unknown }).__fakeOfficeConfig = c;
      localStorage.setItem("reply-via-im:password", pw); // typed on this computer before (this server moves its salt at every login)
    },
    [config, password] as const,
  );
  const page = await context.newPage();
  await page.goto(`${web.site.url}${file}`);
  return page;
}
const calls = officeCalls;

describe("F25 Send as IM instead, in Outlook's panes", () => {
  it("the read pane, with the setting on, keeps who is online now for the handler at Send (roamingSettings, with the time)", async () => {
    const { alice, bob } = await usersOn(scramServer(), "alice", "bob");
    const b = testEngine(bob); // accepts alice: she sees him online
    await b.start();
    const email = {
      kind: "read" as const,
      from: { displayName: "Bob Builder", emailAddress: bob.jid },
      to: [{ displayName: "Alice", emailAddress: alice.jid }],
      subject: "Budget",
      internetMessageId: "<b1@mail.example.org>",
      conversationId: "AAQk1",
      dateTimeCreated: "2026-11-02T09:00:00Z",
      body: "Numbers?",
    };
    const page = await openPane(
      "taskpane.html",
      { mailbox: "1.5", user: { emailAddress: alice.jid, displayName: "Alice" }, item: email, roaming: { settings: { jid: alice.jid, sendAsIm: true } } },
      alice.password!,
    );
    await page.waitForSelector("#message", { timeout: 20_000 });
    await page.fill("#message", "Are they final?");
    await page.press("#message", "Control+Enter"); // asks to see his presence on the way; he accepts
    const kept = await until(
      async () => {
        const v = await page.evaluate(
          () =>
            (window as unknown as { __fakeOffice: { saved: Record<string, unknown> | null } }).__fakeOffice.saved?.["rvi-online"] as
              { at: number; emails: string[] } | undefined,
        );
        return v?.emails.includes(bob.jid) ? v : undefined;
      },
      "the pane to keep bob as online",
      30_000,
    );
    expect(Date.now() - kept.at).toBeLessThan(120_000); // fresh enough for the handler to believe it
  }, 90_000);

  it("the compose pane opened by 'Send as IM' sends the IM the handler left to bob, says so and closes the draft", async () => {
    const { alice, bob } = await usersOn(scramServer(), "alice", "bob");
    const b = testEngine(bob);
    const got: IncomingIm[] = [];
    b.events.on("message", (m) => got.push(m));
    await b.start();
    const draft = {
      kind: "compose" as const,
      to: [{ displayName: "Bob", emailAddress: bob.jid }],
      subject: "Quick one",
      bodyType: "html" as const,
      body: "<p>Lunch at 12?</p>{caret}",
      sessionData: { "rvi-send-as-im": JSON.stringify({ text: "Lunch at 12?", to: [bob.jid] }) },
    };
    const page = await openPane(
      "compose.html",
      { mailbox: "1.11", user: { emailAddress: alice.jid, displayName: "Alice" }, item: draft, roaming: { settings: { jid: alice.jid, sendAsIm: true } } },
      alice.password!,
    );
    await page.waitForSelector("#send-as-im-button", { timeout: 20_000 });
    expect(await page.textContent("#send-as-im-title")).toBe(`Send as IM to ${bob.jid}`);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("send-as-im-button");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.querySelector("#send-as-im-status")?.textContent?.startsWith("Sent as IM") ?? false, undefined, {
      timeout: 20_000,
    });
    await until(() => got.length > 0, "bob to get the IM");
    expect(got.map((m) => m.text)).toEqual(["Lunch at 12?"]);
    expect(await calls(page, "item.close")).toEqual([[]]);
    expect(await calls(page, "sessionData.removeAsync")).toEqual([["rvi-send-as-im"]]);
  }, 90_000);

  it("a compose pane with nothing left by the handler is the plain invitation pane", async () => {
    const { alice, bob } = await usersOn(scramServer(), "alice", "bob");
    const draft = {
      kind: "compose" as const,
      to: [{ displayName: "Bob", emailAddress: bob.jid }],
      subject: "Review",
      bodyType: "html" as const,
      body: "<p>Hi</p>{caret}",
    };
    const page = await openPane(
      "compose.html",
      { mailbox: "1.11", user: { emailAddress: alice.jid, displayName: "Alice" }, item: draft, roaming: { settings: { jid: alice.jid } } },
      alice.password!,
    );
    await page.waitForFunction(() => /— (ready|not ready)$/.test(document.title), undefined, { timeout: 30_000 });
    expect(await page.locator("#send-as-im").count()).toBe(0);
    expect(await calls(page, "sessionData.getAsync")).toEqual([["rvi-send-as-im"]]);
  }, 90_000);
});
