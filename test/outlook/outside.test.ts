// A pane opened outside Outlook, with the REAL Office.js: the built pages (dist/outlook) served over
// HTTPS, in headless Chromium, with Microsoft's CDN answered from the @microsoft/office-js package
// (its office.js and the locale and host files it loads next), not from our stand-in. Outside an
// Office host Office.onReady resolves with no host; the page must then say what it is and where
// it works, and link to its help page, instead of waiting or failing.
import { mkdir, readFile, rm } from "node:fs/promises";
import { join, normalize, sep } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { buildToTemp, ROOT } from "../kit/build";
import { launchChromium } from "../kit/browser";
import { freePort } from "../../scripts/lib/process.mjs";
import { serveOutlook } from "../../scripts/serve-outlook.mjs";

const CDN = "https://appsforoffice.microsoft.com/lib/1/hosted/";
const OFFICE_JS = join(ROOT, "node_modules/@microsoft/office-js/dist");
let out: string;
let site: Awaited<ReturnType<typeof serveOutlook>>;
let browser: Browser;
let context: BrowserContext | undefined;

beforeAll(async () => {
  const port = await freePort();
  ({ out } = await buildToTemp(["--base-url", `https://localhost:${port}/`]));
  site = await serveOutlook({ dir: join(out, "outlook"), port, certs: join(out, "certs") });
  browser = await launchChromium({ trust: [site.caPath] });
  await mkdir(join(ROOT, "artifacts"), { recursive: true });
}, 90_000);
afterEach(async () => {
  await context?.close();
  context = undefined;
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
  if (out) await rm(out, { recursive: true, force: true });
});

/** A plain browser tab on one of the pages; Microsoft's CDN answered from the package; what else was asked for, and the page's errors. */
async function openAlone(file: string, office: "real" | "blocked" = "real") {
  context = await browser.newContext({ viewport: { width: 360, height: 640 } });
  const fromCdn: string[] = [];
  const missing: string[] = [];
  await context.route(`${CDN}**`, async (r) => {
    const url = r.request().url();
    if (office === "blocked") return r.abort("blockedbyclient");
    const rel = new URL(url).pathname.slice(new URL(CDN).pathname.length);
    const path = normalize(join(OFFICE_JS, rel));
    if (!path.startsWith(OFFICE_JS + sep)) return r.abort();
    try {
      const body = await readFile(path);
      fromCdn.push(rel);
      return r.fulfill({ body, contentType: "text/javascript" });
    } catch {
      missing.push(rel); // a file the package does not have: the CDN would answer 404 too
      return r.fulfill({ status: 404, body: "not found" });
    }
  });
  const elsewhere: string[] = [];
  await context.route(
    (url) => !url.href.startsWith(site.url) && !url.href.startsWith(CDN),
    (r) => {
      elsewhere.push(r.request().url());
      return r.abort();
    },
  );
  const page: Page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(site.url + file);
  return { page, fromCdn, missing, elsewhere, errors };
}

const HELP =
  /^This is Reply via IM, an Outlook add-in: on an email it answers the sender by instant message \(XMPP\)\. It works inside Outlook — on the web, the new Outlook and classic Outlook for Windows, Outlook for Mac — once it is added to your mailbox; opened on its own in a browser, as here, it has no email to work on\. How to add it and use it$/;

describe("F20 a pane opened outside Outlook", () => {
  it("the task pane, with the real Office.js and no Office host: Office.onReady resolves with no host, and the pane says what it is and where it works, with its help page a link away", async () => {
    const { page, fromCdn, missing, elsewhere, errors } = await openAlone("taskpane.html");
    await page.waitForSelector("#outside-outlook", { timeout: 15_000 });
    const shownAfter = Math.round(await page.evaluate(() => performance.now())); // since the navigation began, at most
    // it is the real library that answered: no host, no platform, no mailbox
    expect(fromCdn[0]).toBe("office.js");
    expect(
      await page.evaluate(async () => {
        const info = await Office.onReady();
        return { host: info.host, platform: info.platform, mailbox: Boolean(Office.context?.mailbox) };
      }),
    ).toEqual({ host: null, platform: null, mailbox: false });
    expect(await page.textContent("#outside-outlook")).toMatch(HELP);
    await page.screenshot({ path: join(ROOT, "artifacts", "outlook-outside.png") });
    // nothing of the pane that needs a mailbox: no Loading…, no account form, no contacts
    expect(await page.textContent("#app")).not.toContain("Loading");
    expect(await page.locator("#account, #contacts-panel").count()).toBe(0);
    // the help page is one link away, beside the pages, and opens in a tab of its own
    const link = page.locator("#outside-outlook a");
    expect(await link.getAttribute("href")).toBe(`${site.url}support.html`);
    const [help] = await Promise.all([context!.waitForEvent("page"), link.click()]);
    await help.waitForLoadState();
    expect(await help.title()).toBe("Reply via IM — help");
    // nothing failed on the way and nothing else remote was asked for
    expect(errors).toEqual([]);
    expect(elsewhere).toEqual([]);
    console.log(
      `outside Outlook: said after ${shownAfter} ms; Office.js loaded ${fromCdn.join(", ")}${missing.length ? `; not in the package: ${missing.join(", ")}` : ""}`,
    );
  }, 30_000);

  it("the IM invitation pane says the same in place of the invitation", async () => {
    const { page, errors } = await openAlone("compose.html");
    await page.waitForSelector("#outside-outlook", { timeout: 15_000 });
    expect(await page.textContent("#outside-outlook")).toMatch(HELP);
    expect(await page.locator("#insert, #icon").count()).toBe(0);
    expect(errors).toEqual([]);
  }, 30_000);

  it("with Office.js blocked (no network to Microsoft, a filter), the pane says the same instead of waiting", async () => {
    const { page, errors } = await openAlone("taskpane.html", "blocked");
    await page.waitForSelector("#outside-outlook", { timeout: 15_000 });
    expect(await page.textContent("#outside-outlook")).toMatch(HELP);
    expect(errors).toEqual([]);
  }, 30_000);
});
