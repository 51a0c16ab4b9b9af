// Real headless Chromium (Debian's /usr/bin/chromium) through playwright-core. Each suite
// launches its own and closes it in afterAll; the browser is ended by its own handle.
import { chromium, type Browser } from "playwright-core";
import { build } from "esbuild";

export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** Bundles a TypeScript entry for the page, exposing its exports as window[globalName]. */
export async function bundleForPage(entry: string, globalName: string): Promise<string> {
  const out = await build({
    entryPoints: [entry], bundle: true, write: false, format: "iife", globalName, platform: "browser",
    target: "chrome110", logLevel: "silent",
  });
  return out.outputFiles[0]!.text;
}
