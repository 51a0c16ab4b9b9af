// Each page of the add-in as its host shows it, in real Chromium, and what axe-core (Deque's WCAG
// checker, node_modules/axe-core) finds wrong in it. A page is its host's own HTML file with the
// stylesheets the build ships for that host (src/ui/theme/sheets.json) inlined, its scripts and
// CSP left out (the gallery of test/ui/pages.ts mounts the view in their place).
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { build } from "esbuild";
import { ROOT } from "./build";

export type Host = "thunderbird" | "outlook" | "web";
export type Scheme = "light" | "dark";
type Gallery = typeof import("../ui/pages").gallery;

export interface PageSpec {
  /** The picture's and the test's name, e.g. "thunderbird-chat". */
  name: string;
  host: Host;
  /** The page's HTML, from the repository's root. */
  html: string;
  /** What the gallery mounts (test/ui/pages.ts), and its arguments. */
  show: keyof Gallery;
  args?: unknown[];
  /** The window's size as the host opens it (800×600 unless told). */
  viewport?: { width: number; height: number };
}

/** Where Thunderbird shows the transcript banner: above the email, in its message display (not a file of ours). */
export const MESSAGE_DISPLAY = "message-display";
const messageDisplay = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Budget review</title><link rel="stylesheet" href="transcript.css"></head>
<body><div id="transcript"></div><div class="moz-text-flowed"><p>Hi all,</p><p>let us go through the budget together on Thursday — join the live chat from the link below.</p><p>Alice</p></div></body></html>`;

const sheets = JSON.parse(readFileSync(join(ROOT, "src/ui/theme/sheets.json"), "utf8")) as Record<Host, Record<string, string[]>>;

/** The stylesheet `href` as the build ships it for `host`: its sources, in order, as one text. */
export function sheet(host: Host, href: string): string {
  const files = sheets[host][href];
  if (!files) throw new Error(`src/ui/theme/sheets.json has no ${href} for ${host}: add it there (the build copies what it lists)`);
  return files.map((f) => readFileSync(join(ROOT, f), "utf8")).join("\n");
}

const png = (file: string) => `data:image/png;base64,${readFileSync(join(ROOT, file)).toString("base64")}`;

/** The host's HTML with its stylesheets inlined and images as data: URLs; no scripts, no CSP (they are the build's). */
export function pageHtml(host: Host, file: string): string {
  return (file === MESSAGE_DISPLAY ? messageDisplay : readFileSync(join(ROOT, file), "utf8"))
    .replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, "")
    .replace(/<script\b[^>]*>[^<]*<\/script>/g, "")
    .replace(/<!--[^]*?-->/g, "")
    .replace(/<link rel="stylesheet" href="([^"]+)">/g, (_, href: string) => `<style>${sheet(host, href)}</style>`)
    .replace(/src="(assets\/[^"]+\.png)"/g, (_, f: string) => `src="${png(f)}"`);
}

let bundle: Promise<string> | undefined;
/** The gallery for the page, in English: the other languages' tables (import() chunks) stay out. */
const galleryBundle = () =>
  (bundle ??= build({
    entryPoints: [join(ROOT, "test/ui/pages.ts")],
    bundle: true,
    write: false,
    format: "iife",
    globalName: "RVIGallery",
    platform: "browser",
    target: "chrome110",
    logLevel: "silent",
    plugins: [
      {
        name: "english-only-no-dns",
        setup: (b) => {
          b.onResolve({ filter: /_locales\/[^/]+\/messages\.json$/ }, (a) => (a.path.includes("/en/") ? undefined : { path: a.path, external: true }));
          // as in the build (scripts/build.mjs): xmpp.js's SRV lookups are not for browsers
          b.onResolve({ filter: /^(node:)?dns$/ }, () => ({ path: "dns", namespace: "stub" }));
          b.onLoad({ filter: /.*/, namespace: "stub" }, () => ({ contents: "export default {}; export const promises = {};", loader: "js" }));
        },
      },
    ],
  }).then((out) => out.outputFiles[0]!.text));

/** A fresh page (in a context of its own: close that) in `scheme` showing `spec`, mounted and settled. */
export async function openPage(browser: Browser, spec: PageSpec, scheme: Scheme): Promise<Page> {
  const context = await browser.newContext({ viewport: spec.viewport ?? { width: 800, height: 600 }, colorScheme: scheme, reducedMotion: "reduce" });
  const page = await context.newPage();
  // served over loopback (a secure context, with the localStorage the join page keeps the name in;
  // a page Playwright fulfils itself cannot open WebSockets), by a server that lives for this one request
  const html = pageHtml(spec.host, spec.html);
  const server = createServer((_, res) => res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html));
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  try {
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  } finally {
    server.close();
  }
  await page.addScriptTag({ content: await galleryBundle() });
  await page.evaluate(
    ([show, args]) => {
      const g = (window as unknown as { RVIGallery: { gallery: Record<string, (...a: unknown[]) => unknown> } }).RVIGallery.gallery;
      return g[show]!(...args);
    },
    [spec.show, spec.args ?? []] as const,
  );
  await page.evaluate(() => document.fonts.ready);
  return page;
}

export interface Violation {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/** axe-core's WCAG 2.0/2.1 A and AA and 2.2 AA rules on the whole document. */
export async function axeViolations(page: Page): Promise<Violation[]> {
  await page.addScriptTag({ path: join(ROOT, "node_modules/axe-core/axe.min.js") });
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(ctx: Document, o: object): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> };
      }
    ).axe;
    const r = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(" ")) }));
  });
}

/** One line per violation, for a failing expectation to say what to fix and where. */
export const describeViolations = (vs: Violation[]) => vs.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.targets.slice(0, 4).join(", ")}`);
