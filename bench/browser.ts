// What the benches that run Chromium share: playwright-core and esbuild loaded at run time (they
// find their own files in node_modules, so they are not bundled into the bench), one headless
// Chromium set-up, and a TypeScript entry bundled for a page as the add-in's pages are (Node's
// dns stubbed out: xmpp.js asks for it only in Node).
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";

export const runtimeImport = (name: string): Promise<unknown> => import(name);
/** The repository: one level up from bench/ (the source) and from .tmp/ (the bundle) alike. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

/** Headless Chromium without its background traffic; `extra` flags after the common ones. */
export async function launchBenchChromium(extra: string[] = []): Promise<Browser> {
  const { chromium } = (await runtimeImport("playwright-core")) as typeof import("playwright-core");
  return chromium.launch({
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
      ...extra,
    ],
  });
}

/** An entry file, or a few lines of TypeScript resolved from the repository, bundled for a page (an IIFE). */
export async function pageBundle(input: { entry: string } | { contents: string }, opts: { globalName?: string; minify?: boolean } = {}): Promise<string> {
  const { build } = (await runtimeImport("esbuild")) as typeof import("esbuild");
  const stubNodeDns = {
    name: "stub-node-dns",
    setup(b: import("esbuild").PluginBuild) {
      b.onResolve({ filter: /^(node:)?dns$/ }, () => ({ path: "dns", namespace: "stub" }));
      b.onLoad({ filter: /.*/, namespace: "stub" }, () => ({ contents: "export default {}; export const promises = {};", loader: "js" }));
    },
  };
  const out = await build({
    ...("entry" in input ? { entryPoints: [input.entry] } : { stdin: { contents: input.contents, resolveDir: ROOT, loader: "ts" as const } }),
    bundle: true,
    write: false,
    format: "iife",
    globalName: opts.globalName,
    platform: "browser",
    target: ["chrome110"],
    minify: opts.minify ?? true,
    logLevel: "silent",
    plugins: [stubNodeDns],
  });
  return out.outputFiles[0]!.text;
}
