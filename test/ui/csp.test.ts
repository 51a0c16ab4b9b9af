// Issue 12 item 7: the built Outlook pages run under their own CSP (script-src 'self', no eval)
// without the browser reporting a violation — zod used to probe for eval on every page — and
// what they load on first use (the engine's chunk) comes from the pages' origin, within that CSP.
// Real headless Chromium, the pages built and served over HTTPS as Outlook would load them,
// with the Office.js stand-in (test/kit/fake-office.ts) in place of Microsoft's CDN.
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, BrowserContext } from "playwright-core";
import { buildToTemp } from "../kit/build";
import { bundleForPage, launchChromium } from "../kit/browser";
import type { FakeOfficeConfig } from "../kit/fake-office";
import { freePort } from "../../scripts/lib/process.mjs";
import { serveOutlook } from "../../scripts/serve-outlook.mjs";

let out: string;
let site: { url: string; close(): Promise<void> };
let browser: Browser;
let fakeOffice: string;
let context: BrowserContext | undefined;

beforeAll(async () => {
  const port = await freePort();
  ({ out } = await buildToTemp(["--base-url", `https://localhost:${port}/`]));
  site = await serveOutlook({ dir: join(out, "outlook"), port, certs: join(out, "certs") });
  browser = await launchChromium();
  fakeOffice = `${await bundleForPage(join(__dirname, "../kit/fake-office.ts"), "RVIFakeOffice")}\nRVIFakeOffice.install(window.__fakeOfficeConfig);`;
}, 90_000);
afterEach(async () => {
  await context?.close();
  context = undefined;
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
  await rm(out, { recursive: true, force: true });
});

const alice = { emailAddress: "alice@example.org", displayName: "Alice" };
const READ: FakeOfficeConfig = {
  mailbox: "1.5",
  user: alice,
  item: {
    kind: "read",
    from: { displayName: "Bob", emailAddress: "bob@example.org" },
    to: [alice],
    subject: "Budget 2027",
    internetMessageId: "<b27@mail.example.org>",
    conversationId: "AAQkADBudget",
    dateTimeCreated: "2026-11-02T09:00:00Z",
    body: "The numbers.",
  },
};
const COMPOSE: FakeOfficeConfig = { mailbox: "1.5", user: alice, item: { kind: "compose", to: [], subject: "Plans", bodyType: "html", body: "" } };

/** Opens a built page; returns what the browser reported: CSP violations, console errors, scripts it loaded. */
async function load(page: "taskpane.html" | "compose.html", config: FakeOfficeConfig, ready: string) {
  context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 360, height: 640 } });
  await context.route("https://appsforoffice.microsoft.com/lib/1/hosted/office.js", (r) => r.fulfill({ body: fakeOffice, contentType: "text/javascript" }));
  await context.addInitScript((c) => {
    const w = window as unknown as { __fakeOfficeConfig: unknown; __violations: string[] };
    w.__fakeOfficeConfig = c;
    w.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) => w.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI}`));
  }, config);
  const tab = await context.newPage();
  const errors: string[] = [];
  const scripts: string[] = [];
  tab.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  tab.on("pageerror", (e) => errors.push(e.message));
  tab.on("request", (r) => r.resourceType() === "script" && scripts.push(new URL(r.url()).pathname));
  await tab.goto(site.url + page);
  await tab.waitForSelector(ready);
  const violations = await tab.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
  return { tab, violations, errors, scripts };
}

describe("Issue 12 item 7: the Outlook pages under their CSP", () => {
  it("the task pane asks for the account (its engine loaded as a chunk of its own) and the browser reports no CSP violation and no eval", async () => {
    // no password on this computer yet: the pane loads the engine, which asks for the account
    const { tab, violations, errors, scripts } = await load("taskpane.html", READ, "#account");
    expect(await tab.inputValue("#account-jid")).toBe(alice.emailAddress);
    expect(violations).toEqual([]);
    expect(errors.filter((e) => /Content Security Policy|eval/i.test(e))).toEqual([]);
    // the engine came after the pane's own script, from the pages' origin
    expect(scripts[0]).toMatch(/office\.js$/);
    expect(scripts).toContain("/taskpane.js");
    expect(scripts.some((s) => /^\/chunks\/pane-engine-\w+\.js$/.test(s))).toBe(true);
  });

  it("the IM invitation pane (compose) runs with no CSP violation and no eval either", async () => {
    const { violations, errors } = await load("compose.html", COMPOSE, "#retry:not([hidden])"); // no recipients yet: it says so
    expect(violations).toEqual([]);
    expect(errors.filter((e) => /Content Security Policy|eval/i.test(e))).toEqual([]);
  });
});
