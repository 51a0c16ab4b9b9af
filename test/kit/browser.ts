// Real headless Chromium (Debian's /usr/bin/chromium) through playwright-core. Each suite
// launches its own and closes it in afterAll; the browser is ended by its own handle.
// Chromium trusts the run's throw-away CA (RVI_TEST_CA, test/kit/global-setup.ts) the way a
// person's computer trusts its organisation's: in its own certificate store — an NSS database in
// a throw-away HOME (certutil, Debian's libnss3-tools) — so wss:// to the test server is verified.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { chromium, type Browser } from "playwright-core";
import { build } from "esbuild";

export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const run = promisify(execFile);

/** A HOME whose NSS database (~/.pki/nssdb, where Chromium on Linux looks) trusts `cas` (PEM files) for websites. */
export async function homeTrusting(cas: string[]): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), "rvi-chromium-home-"));
  if (!cas.length) return home; // Chromium makes an empty store itself
  const db = `sql:${join(home, ".pki", "nssdb")}`;
  await mkdir(join(home, ".pki", "nssdb"), { recursive: true });
  try {
    await run("certutil", ["-d", db, "-N", "--empty-password"]);
    for (const [i, ca] of cas.entries()) await run("certutil", ["-d", db, "-A", "-t", "C,,", "-n", `rvi-test-ca-${i}`, "-i", ca]);
  } catch (err) {
    await rm(home, { recursive: true, force: true });
    const e = err as { code?: string; stderr?: string; message: string };
    throw new Error(
      e.code === "ENOENT" ? "certutil is missing: run bash scripts/setup (Debian package libnss3-tools)" : `certutil failed: ${e.stderr || e.message}`,
    );
  }
  return home;
}

/**
 * `trust`: more CAs (PEM files) besides the run's, e.g. the one of a page server's certificate;
 * `runCa: false` leaves the run's out (to see that Chromium then refuses the test server).
 */
export async function launchChromium(opts: { trust?: string[]; runCa?: boolean } = {}): Promise<Browser> {
  const cas = [opts.runCa === false ? undefined : process.env.RVI_TEST_CA, ...(opts.trust ?? [])].filter((c): c is string => Boolean(c));
  // always a HOME of our own: what Chromium trusts must not depend on the HOME of whoever runs the tests
  const home = await homeTrusting(cas);
  try {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
      env: { ...process.env, HOME: home },
    });
    // the HOME goes with the browser; a failure to remove it leaves only a temporary directory
    browser.on("disconnected", () => void rm(home, { recursive: true, force: true }).catch(() => {}));
    return browser;
  } catch (err) {
    await rm(home, { recursive: true, force: true });
    throw err;
  }
}

/** Bundles a TypeScript entry for the page, exposing its exports as window[globalName]. */
export async function bundleForPage(entry: string, globalName: string): Promise<string> {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: "iife",
    globalName,
    platform: "browser",
    target: "chrome110",
    logLevel: "silent",
  });
  return out.outputFiles[0]!.text;
}
