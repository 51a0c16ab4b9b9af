// The Outlook pages as a test serves them: built for a free loopback port (and, when given, an
// XMPP server), served over HTTPS with their own certificate, a Chromium trusting it, and the
// Office stand-in bundled for a page (test/kit/fake-office.ts, read from window.__fakeOfficeConfig).
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { freePort } from "../../scripts/lib/process.mjs";
import { serveOutlook } from "../../scripts/serve-outlook.mjs";
import { buildToTemp } from "./build";
import { bundleForPage, launchChromium } from "./browser";

export interface OutlookSite {
  out: string;
  site: Awaited<ReturnType<typeof serveOutlook>>;
  browser: Browser;
  /** The stand-in's script, to answer for https://appsforoffice.microsoft.com/lib/1/hosted/office.js. */
  fakeOffice: string;
  close(): Promise<void>;
}

export async function startOutlookSite(buildArgs: string[] = []): Promise<OutlookSite> {
  const port = await freePort();
  const { out } = await buildToTemp(["--base-url", `https://localhost:${port}/`, ...buildArgs]);
  const site = await serveOutlook({ dir: join(out, "outlook"), port, certs: join(out, "certs") });
  const browser = await launchChromium({ trust: [site.caPath] });
  const fakeOffice = `${await bundleForPage(join(__dirname, "fake-office.ts"), "RVIFakeOffice")}\nRVIFakeOffice.install(window.__fakeOfficeConfig);`;
  return {
    out,
    site,
    browser,
    fakeOffice,
    async close() {
      await browser.close();
      await site.close();
      await rm(out, { recursive: true, force: true });
    },
  };
}

/** The stand-in's recorded calls of one kind, with their arguments. */
export const officeCalls = (page: Page, name: string) =>
  page.evaluate((n) => (window as unknown as { __officeCalls: [string, ...unknown[]][] }).__officeCalls.filter((c) => c[0] === n).map((c) => c.slice(1)), name);
