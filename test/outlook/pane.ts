// The Outlook pane as the end-to-end suites drive it (test/outlook/e2e.test.ts, compose.test.ts):
// the built pages (dist/outlook, built for this server's URL and the run's SCRAM-only Prosody)
// served over HTTPS by scripts/serve-outlook.mjs, with a stand-in for Office.js in place of
// Microsoft's CDN (test/kit/fake-office.ts — Outlook itself cannot run here) and the LibreTranslate
// stand-in; a fresh browser profile per pane, every request outside those refused and recorded.
// Each suite that imports it gets its own site (the hooks below are registered in that suite).
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { ROOT } from "../kit/build";
import type { FakeOfficeConfig, ReadItemSpec } from "../kit/fake-office";
import { stopEngines } from "../kit/engine";
import { startLibreTranslate } from "../kit/libretranslate";
import { startOutlookSite, type OutlookSite } from "../kit/outlook-site";
import { scramServer, usersOn } from "../kit/xmpp";
import type { Account } from "../../src/xmpp/connection";

export const ARTIFACTS = join(ROOT, "artifacts");
/** Fresh users on the SCRAM-only server, the one the pages are built for. */
export const users = <N extends string>(...names: N[]) => usersOn(scramServer(), ...names);
let s: OutlookSite;
let context: BrowserContext | undefined;
let translator: Awaited<ReturnType<typeof startLibreTranslate>>;
/** The requests the last pane made outside its site, Office's CDN and the translator (all refused). */
export let outside: string[] = [];
/** The LibreTranslate stand-in the pages are built for (what it was asked). */
export const translatorStandIn = () => translator;
/** The last pane's browser context. */
export const paneContext = () => context;

beforeAll(async () => {
  translator = await startLibreTranslate(); // the LibreTranslate API stand-in (F16)
  s = await startOutlookSite(["--xmpp", scramServer().service, "--translate-url", translator.url]);
  await mkdir(ARTIFACTS, { recursive: true });
}, 90_000);
afterEach(async () => {
  await context?.close();
  context = undefined;
  await stopEngines();
});
afterAll(async () => {
  await s?.close();
  await translator?.close();
});

/** A fresh browser profile with Outlook's stand-in: the pane's storage starts empty. */
export async function openPane(file: "taskpane.html" | "compose.html", config: FakeOfficeConfig, password?: string): Promise<Page> {
  context = await s.browser.newContext({ viewport: { width: 360, height: 640 } });
  outside = [];
  await context.route("https://appsforoffice.microsoft.com/lib/1/hosted/office.js", (r) => r.fulfill({ body: s.fakeOffice, contentType: "text/javascript" }));
  await context.route(
    (url) => !url.href.startsWith(s.site.url) && !url.href.startsWith("https://appsforoffice.microsoft.com/") && !url.href.startsWith(translator.url),
    (r) => {
      outside.push(r.request().url()); // nothing else remote is loaded
      return r.abort();
    },
  );
  await context.addInitScript(
    ([c, pw]) => {
      (window as unknown as { __fakeOfficeConfig: unknown }).__fakeOfficeConfig = c;
      if (pw) localStorage.setItem("reply-via-im:password", pw);
    },
    [config, password ?? ""] as const,
  );
  const page = await context.newPage();
  await page.goto(s.site.url + file);
  return page;
}

export const emailFrom = (bob: Account, alice: Account, body = "The numbers are attached."): ReadItemSpec => ({
  kind: "read",
  from: { displayName: "Bob Builder", emailAddress: bob.jid },
  to: [{ displayName: "Alice", emailAddress: alice.jid }],
  subject: "Budget 2027",
  internetMessageId: "<b27@mail.example.org>",
  conversationId: "AAQkADBudget",
  dateTimeCreated: "2026-11-02T09:00:00Z",
  body,
  attachments: [{ id: "a1", name: "budget.xlsx", size: 20_480, contentType: "application/vnd.ms-excel", isInline: false }],
});

export const signedIn = (alice: Account, item: FakeOfficeConfig["item"], mailbox = "1.5"): FakeOfficeConfig => ({
  mailbox,
  user: { emailAddress: alice.jid, displayName: "Alice" },
  item,
  roaming: { settings: { jid: alice.jid } },
});

export const calls = (page: Page) => page.evaluate(() => (window as unknown as { __officeCalls: [string, ...unknown[]][] }).__officeCalls);
export const callsOf = async (page: Page, name: string) => (await calls(page)).filter((c) => c[0] === name).map((c) => c.slice(1));
