// The Outlook pane's first paint on a slow link (issue 25, item 5): the built pane (dist/outlook,
// served over HTTPS by scripts/serve-outlook.mjs) opened in headless Chromium with the network
// throttled to Chrome DevTools' "Fast 3G" profile, beside what every Outlook add-in pays: a page
// that loads Office.js and says it is ready. Both load the same Office.js stand-in
// (test/kit/fake-office.ts; Outlook cannot run here) over the same throttled link, alternating.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "../scripts/lib/process.mjs";
import { launchBenchChromium, pageBundle, ROOT, runtimeImport } from "./browser";
import { percentiles, sized, table } from "./kit";

const RUNS = sized(10, 1);
// Chrome DevTools' "Fast 3G": 1.6 Mbps down, 750 kbps up, 562.5 ms round trip (its latency figure)
const THREE_G = { offline: false, latency: 562.5, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 };
const OFFICE_JS = "https://appsforoffice.microsoft.com/lib/1/hosted/office.js";
const run = promisify(execFile);

/** What every add-in pane is: Office.js, then "ready" once Office says so. */
const BASELINE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>An add-in</title>
<script src="${OFFICE_JS}"></script></head><body><main id="ready" hidden>Ready</main>
<script src="baseline.js"></script></body></html>`;

export async function benchOutlookPane() {
  const out = await mkdtemp(join(tmpdir(), "rvi-bench-pane-"));
  const port = await freePort();
  await run(process.execPath, [join(ROOT, "scripts/build.mjs"), "--out", out, "--base-url", `https://localhost:${port}/`], { cwd: ROOT });
  const dir = join(out, "outlook");
  const fake = await pageBundle({ entry: join(ROOT, "test/kit/fake-office.ts") }, { globalName: "RVIFakeOffice", minify: false });
  await writeFile(join(dir, "office-stand-in.js"), `${fake}\nRVIFakeOffice.install(window.__fakeOfficeConfig);`);
  await writeFile(join(dir, "baseline.html"), BASELINE);
  await writeFile(join(dir, "baseline.js"), `Office.onReady(() => { document.getElementById("ready").hidden = false; });`);
  // loaded at run time: bundled, the script would take the bundle for itself and serve dist/outlook on :3000
  const { serveOutlook } = (await runtimeImport(join(ROOT, "scripts/serve-outlook.mjs"))) as typeof import("../scripts/serve-outlook.mjs");
  const site = await serveOutlook({ dir, port, certs: join(out, "certs") });
  const browser = await launchBenchChromium();
  // an email from Bob open in the reading pane, no account set up yet: the pane's first screen is the sign-in form
  const item = {
    kind: "read",
    from: { displayName: "Bob Builder", emailAddress: "bob@example.org" },
    to: [{ displayName: "Alice", emailAddress: "alice@example.org" }],
    subject: "Budget 2027",
    internetMessageId: "<b27@mail.example.org>",
    conversationId: "AAQkADBudget",
    dateTimeCreated: "2026-11-02T09:00:00Z",
    body: "The numbers are attached.",
    attachments: [],
  };
  const config = { mailbox: "1.5", user: { emailAddress: "alice@example.org", displayName: "Alice" }, item };
  /** One cold open (a fresh profile: nothing cached): first contentful paint, and the pane ready to use. */
  async function open(file: string, ready: string): Promise<{ paint: number; ready: number }> {
    const context = await browser.newContext({ viewport: { width: 360, height: 640 }, ignoreHTTPSErrors: true }); // the site's own test certificate
    try {
      // Office.js comes from the site instead of Microsoft's CDN, through the same throttled network
      await context.route(OFFICE_JS, (r) => r.continue({ url: `${site.url}office-stand-in.js` }));
      await context.addInitScript((c) => ((window as unknown as { __fakeOfficeConfig: unknown }).__fakeOfficeConfig = c), config);
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send("Network.enable");
      await cdp.send("Network.emulateNetworkConditions", THREE_G);
      await page.goto(site.url + file, { waitUntil: "commit" });
      await page.waitForSelector(ready, { state: "visible", timeout: 60_000 });
      return await page.evaluate(() => {
        const fcp = performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN;
        return { paint: fcp, ready: performance.now() };
      });
    } finally {
      await context.close();
    }
  }
  try {
    const ours: { paint: number; ready: number }[] = [];
    const base: { paint: number; ready: number }[] = [];
    await open("taskpane.html", "#account"); // warm-up: the server's first files, Chromium's first page
    for (let i = 0; i < RUNS; i++) {
      const pair: [() => Promise<void>, () => Promise<void>] = [
        async () => void ours.push(await open("taskpane.html", "#account")), // no account yet: the sign-in form is the pane's first screen
        async () => void base.push(await open("baseline.html", "#ready")),
      ];
      for (const f of i % 2 ? pair.reverse() : pair) await f();
    }
    const p = (xs: { paint: number; ready: number }[], k: "paint" | "ready") => percentiles(xs.map((x) => x[k]));
    const [op, bp, or, br] = [p(ours, "paint"), p(base, "paint"), p(ours, "ready"), p(base, "ready")];
    table(
      `Outlook pane, cold open on "Fast 3G" (1.6 Mbps, 562.5 ms RTT), ${RUNS} opens each, alternating (ms from navigation)`,
      ["", "p50", "p95", "÷ baseline (p50)"],
      [
        ["Reply via IM pane: first contentful paint", op.p50, op.p95, op.p50 / bp.p50],
        ["baseline, Office.js and a line: first contentful paint", bp.p50, bp.p95, 1],
        ["Reply via IM pane: the sign-in form shown", or.p50, or.p95, or.p50 / br.p50],
        ["baseline: Office says ready", br.p50, br.p95, 1],
      ],
    );
  } finally {
    await browser.close();
    await site.close();
    await rm(out, { recursive: true, force: true });
  }
}
