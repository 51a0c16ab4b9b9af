#!/usr/bin/env node
// Builds both add-ins and the Node engine with esbuild (F18):
//   dist/thunderbird/  the MailExtension (manifest.json, background, pages, assets)
//   dist/outlook/      the Office add-in pages and manifest.xml for the configured HTTPS base URL
//   dist/engine.mjs    the engine for Node
// Options: --base-url https://host/path/ (or RVI_BASE_URL) for the Outlook pages;
//          --xmpp wss://host/path (or RVI_XMPP_URL): the XMPP WebSocket the Outlook pages may
//          connect to (their CSP and the manifest's AppDomains name it, and preset.json offers it
//          so users need not type it). Without it the pages may connect to any wss:// server.
//          --guest-domain guest.example.org (or RVI_GUEST_DOMAIN): where the join page logs guests
//          in anonymously (default: the MUC domain with its first label changed to "guest").
//          --translate-url https://translate.example.org/ (or RVI_TRANSLATE_URL): a LibreTranslate
//          server the join page may use to show messages in each reader's language (F16).
import { build } from "esbuild";
import { chmod, cp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
let DIST = join(ROOT, "dist");
const DEV_BASE = "https://localhost:3000/";

function option(name) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

export function checkBaseUrl(raw) {
  let url;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(
      `--base-url "${raw}" is not a URL. Give the HTTPS address where dist/outlook will be hosted, e.g. https://addins.example.org/reply-via-im/`,
    );
  }
  if (url.protocol !== "https:") throw new Error(`--base-url must be https:// (Office loads add-in pages only over HTTPS), not ${url.protocol}`);
  if (url.search || url.hash) throw new Error("--base-url must not carry a query or a fragment");
  return url.toString().replace(/\/?$/, "/");
}

/**
 * A server the pages may reach: `secure` (wss:, https:) anywhere, `plain` (ws:, http:) only on
 * loopback (tests, demo). The XMPP WebSocket (--xmpp) and the LibreTranslate server (--translate-url).
 */
function checkServerUrl(raw, { flag, secure, plain, example }) {
  let url;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`--${flag} "${raw}" is not a URL, e.g. ${example}`);
  }
  const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  if (url.protocol !== secure && !(url.protocol === plain && loopback))
    throw new Error(`--${flag} must be ${secure}// (${plain}// only on loopback), not ${url.protocol}`);
  return url;
}
export const checkXmppUrl = (raw) => checkServerUrl(raw, { flag: "xmpp", secure: "wss:", plain: "ws:", example: "wss://chat.example.org/xmpp-websocket" });
export const checkTranslateUrl = (raw) =>
  checkServerUrl(raw, { flag: "translate-url", secure: "https:", plain: "http:", example: "https://translate.example.org/" });

/**
 * Budget for the Outlook task pane's script at first paint (issues 6 and 12): taskpane.js and the
 * chunks it imports statically, gzip. The pane loads them on every open; the rest (the engine with
 * xmpp.js and Dexie, ical.js, …) comes as chunks loaded on first use.
 */
export const TASKPANE_BUDGET_GZIP = 80 * 1024;

/** Converse.js's headless build, measured in the same run for comparison (a devDependency). */
const CONVERSE = { label: "Converse.js headless 10.1.7", file: "node_modules/@converse/headless/dist/converse-headless.min.js" };

// xmpp.js imports node:dns for SRV lookups that a browser cannot do and we do not use
// (the WebSocket URL is configured): resolve it to an empty module.
const stubNodeDns = {
  name: "stub-node-dns",
  setup(b) {
    b.onResolve({ filter: /^(node:)?dns$/ }, () => ({ path: "dns", namespace: "stub" }));
    b.onLoad({ filter: /.*/, namespace: "stub" }, () => ({ contents: "export default {}; export const promises = {};", loader: "js" }));
  },
};

// The pages' CSP forbids eval, and zod 4 probes for it (new Function) when its first object schema
// is built: the probe fails quietly but the browser reports a CSP violation on every page. In
// jitless mode zod neither probes nor compiles. The mode is set where zod keeps its config, at the
// end of its core.js, which every zod module imports: so it is on before any schema exists, and
// pages without zod carry nothing for it. A zod that moved its config fails the build, not the CSP.
const ZOD_CORE = join(dirname(createRequire(import.meta.url).resolve("zod/v4/core")), "core.js");
const zodJitless = {
  name: "zod-jitless",
  setup(b) {
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]core[\\/]core\.js$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      if (!/^export function config\(/m.test(source))
        throw new Error(`${args.path} no longer defines config(): set zod's jitless mode another way (the pages' CSP forbids eval)`);
      return { contents: `${source}\nconfig({ jitless: true });\n`, loader: "js" };
    });
  },
};
/** Throws when a bundle carries zod without its core.js having gone through zodJitless. */
function checkJitless(metafile) {
  const inputs = Object.keys(metafile.inputs);
  if (inputs.some((i) => /node_modules\/zod\//.test(i)) && !inputs.some((i) => resolve(ROOT, i) === ZOD_CORE)) {
    throw new Error(`a bundle carries zod but not ${ZOD_CORE}, where the build sets jitless mode: adjust zodJitless in scripts/build.mjs`);
  }
}

const browserOptions = {
  bundle: true,
  format: "esm",
  platform: "browser",
  target: ["firefox128", "chrome110", "safari16"],
  minify: true,
  sourcemap: false,
  legalComments: "none",
  plugins: [stubNodeDns, zodJitless],
  metafile: true,
  logLevel: "warning",
};

const sizes = [];

/** The XPI: a zip of the built add-in with manifest.json at its root (web-ext build does the same). */
async function zipDir(dir, out) {
  const { cmd } = await import("web-ext");
  await cmd.build({ sourceDir: dir, artifactsDir: dirname(out), filename: basename(out), overwriteDest: true }, { shouldExitProgram: false });
}

function analyze(name, output) {
  if (!process.argv.includes("--analyze")) return;
  const byPackage = {};
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? "src";
    byPackage[pkg] = (byPackage[pkg] ?? 0) + bytesInOutput;
  }
  console.log(
    name,
    Object.entries(byPackage)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12),
  );
}

async function measure(file) {
  const buf = await readFile(file);
  return [buf.length, gzipSync(buf, { level: 9 }).length];
}

/** One page script as a single file (content scripts, iife; the join page, a classic script). */
async function bundle(entry, outfile, extra = {}) {
  const { metafile } = await build({ ...browserOptions, ...extra, entryPoints: [join(ROOT, entry)], outfile: join(DIST, outfile) });
  checkJitless(metafile);
  analyze(outfile, Object.values(metafile.outputs)[0]);
  sizes.push([outfile, ...(await measure(join(DIST, outfile)))]);
}

/**
 * Page scripts built together with code splitting, as ES modules (their pages load them with
 * <script type="module">): code two pages share and code loaded on first use (dynamic import())
 * become chunks in <dir>/chunks/, served from the pages' own origin (CSP script-src 'self').
 * Each entry is printed with what it needs at first paint: itself and the chunks it imports
 * statically. Returns those first-paint sizes by entry file.
 */
async function bundlePages(dir, entries) {
  const { metafile } = await build({
    ...browserOptions,
    splitting: true,
    outdir: join(DIST, dir),
    chunkNames: "chunks/[name]-[hash]",
    absWorkingDir: ROOT,
    entryPoints: entries.map(([entry, out]) => ({ in: join(ROOT, entry), out })),
  });
  checkJitless(metafile);
  const outputs = Object.entries(metafile.outputs).map(([file, output]) => ({ file, output, name: relative(DIST, join(ROOT, file)).split(sep).join("/") }));
  const measured = new Map();
  for (const { file, output, name } of outputs) {
    analyze(name, output);
    measured.set(file, await measure(join(ROOT, file)));
  }
  const firstPaint = {};
  const isPage = (name) => entries.some(([, out]) => name === `${dir}/${out}.js`);
  for (const { file, name } of outputs.filter((o) => isPage(o.name))) {
    const needed = new Set([file]);
    for (const f of needed) for (const i of metafile.outputs[f].imports) if (i.kind === "import-statement" && !i.external) needed.add(i.path);
    const [raw, gz] = [...needed].map((f) => measured.get(f)).reduce((a, b) => [a[0] + b[0], a[1] + b[1]]);
    firstPaint[name] = [raw, gz];
    sizes.push([name, ...measured.get(file)]);
    if (needed.size > 1) sizes.push([`${name} at first paint (+${needed.size - 1} chunks)`, raw, gz]);
  }
  for (const { file, output, name } of outputs.filter((o) => !isPage(o.name))) {
    sizes.push([`${name} (${output.entryPoint ? "loaded on use" : "common to pages"})`, ...measured.get(file)]);
  }
  return firstPaint;
}

/** [bytes, gzip] of Converse.js's headless build, or undefined when it is not installed. */
async function measureConverse() {
  try {
    return await measure(join(ROOT, CONVERSE.file));
  } catch (err) {
    if (err.code === "ENOENT") return undefined; // a devDependency: absent in a production install, said so in the table
    throw err;
  }
}

/** Each stylesheet of a host's pages, joined from its sources as src/ui/theme/sheets.json lists them. */
async function sheets(host, dir) {
  const table = JSON.parse(await readFile(join(ROOT, "src/ui/theme/sheets.json"), "utf8"))[host];
  await mkdir(join(DIST, dir), { recursive: true });
  for (const [name, files] of Object.entries(table)) {
    await writeFile(join(DIST, dir, name), (await Promise.all(files.map((f) => readFile(join(ROOT, f), "utf8")))).join("\n"));
  }
}

async function copy(from, to) {
  await mkdir(join(DIST, to, ".."), { recursive: true });
  await cp(join(ROOT, from), join(DIST, to), { recursive: true });
}

export async function buildAll({ baseUrl = DEV_BASE, out, xmpp, guestDomain, translateUrl } = {}) {
  const base = checkBaseUrl(baseUrl);
  const xmppUrl = xmpp ? checkXmppUrl(xmpp) : undefined;
  if (out) DIST = out;
  await rm(DIST, { recursive: true, force: true });

  // Thunderbird
  await bundlePages("thunderbird", [
    ["src/hosts/thunderbird/background.ts", "background"],
    ["src/hosts/thunderbird/chat-page.ts", "chat"],
    ["src/hosts/thunderbird/options.ts", "options"],
    ["src/hosts/thunderbird/invite.ts", "invite"],
    ["src/hosts/thunderbird/contacts-page.ts", "contacts"],
  ]);
  // content scripts cannot be modules: one file each
  await bundle("src/hosts/thunderbird/compose-script.ts", "thunderbird/compose-script.js", { format: "iife" });
  await bundle("src/hosts/thunderbird/transcript-script.ts", "thunderbird/transcript-script.js", { format: "iife" });
  await copy("manifest.json", "thunderbird/manifest.json");
  for (const page of ["background.html", "chat.html", "options.html", "invite.html", "contacts.html"])
    await copy(`src/hosts/thunderbird/${page}`, `thunderbird/${page}`);
  await copy("src/ui/_locales", "thunderbird/_locales");
  await sheets("thunderbird", "thunderbird"); // the host's theme (src/ui/theme) and the pages' CSS
  await copy("assets", "thunderbird/assets");
  const version = JSON.parse(await readFile(join(ROOT, "manifest.json"), "utf8")).version;
  const xpi = `reply-via-im-${version}.xpi`;
  await zipDir(join(DIST, "thunderbird"), join(DIST, xpi));
  const xpiSize = (await readFile(join(DIST, xpi))).length;
  sizes.push([xpi, xpiSize, xpiSize]);

  // Outlook: the pages (engine in the page), their CSP narrowed to the XMPP server when known
  const outlook = await bundlePages("outlook", [
    ["src/hosts/outlook/taskpane.ts", "taskpane"],
    ["src/hosts/outlook/compose.ts", "compose"],
  ]);
  // The pane also reaches the server over HTTPS: its upload service (XEP-0363), and, with no
  // server built in, the domain's host-meta (XEP-0156) — so: the XMPP host on any port when it is
  // known, any HTTPS server when it is not (the person's domain is known only when they type it).
  const connect = xmppUrl ? `'self' ${xmppUrl.origin.replace(/^http/, "ws")} https://${xmppUrl.hostname}:*` : "'self' wss: https:";
  const translateOrigin = translateUrl ? checkTranslateUrl(translateUrl).origin : "";
  for (const page of ["taskpane.html", "compose.html", "support.html"]) {
    // the task pane may also reach the translation server (F16), when one is built in
    const extra = page === "taskpane.html" && translateOrigin ? ` ${translateOrigin}` : "";
    const html = (await readFile(join(ROOT, "src/hosts/outlook", page), "utf8")).replace("connect-src 'self' wss:", `connect-src ${connect}${extra}`);
    await mkdir(join(DIST, "outlook"), { recursive: true });
    await writeFile(join(DIST, "outlook", page), html);
  }
  await sheets("outlook", "outlook");
  await copy("assets", "outlook/assets");
  // F25: the Smart Alerts handler — one classic script (classic Outlook on Windows loads the .js
  // alone, in a JavaScript-only runtime: no modules, syntax lowered), and its page for the others
  await bundle("src/hosts/outlook/send-event.ts", "outlook/send-event.js", { format: "iife", target: "es2016" });
  await copy("src/hosts/outlook/send-event.html", "outlook/send-event.html");
  // what IT presets for everyone (users need not type the server); editable where the pages are hosted
  const preset = { ...(xmppUrl ? { service: xmppUrl.toString() } : {}), ...(translateUrl ? { translateUrl } : {}) };
  await writeFile(join(DIST, "outlook/preset.json"), JSON.stringify(preset, null, 2) + "\n");
  const appDomains = xmppUrl ? `    <AppDomain>${xmppUrl.origin.replace(/^ws/, "http")}</AppDomain>\n` : "";
  const manifest = (await readFile(join(ROOT, "manifest.xml"), "utf8"))
    .replaceAll(DEV_BASE, base)
    .replaceAll(DEV_BASE.replace(/\/$/, ""), new URL(base).origin)
    .replace("  </AppDomains>", `${appDomains}  </AppDomains>`);
  await writeFile(join(DIST, "outlook/manifest.xml"), manifest);
  const pane = outlook["outlook/taskpane.js"];
  if (pane[1] > TASKPANE_BUDGET_GZIP)
    throw new Error(
      `outlook/taskpane.js needs ${pane[1]} bytes gzip at first paint, over its budget of ${TASKPANE_BUDGET_GZIP}: load what the pane does not need at once with import() where it is first used (node scripts/build.mjs --analyze shows what each bundle carries)`,
    );

  // The web join page (F11), hosted anywhere — and beside the Outlook pages, where invitations
  // made in Outlook point by default (<base>/web/join.html)
  // an ES module with code splitting: each of the nine other languages is a chunk loaded for its
  // readers only (all of them in one script made the page 82 KB gzip instead of 42)
  await bundlePages("web", [["src/hosts/web/join-page.ts", "join"]]);
  const joinConnect = xmppUrl ? `'self' ${xmppUrl.origin.replace(/^http/, "ws")}` : "'self' wss: https:"; // a guest reads host-meta only when no server is built in
  const joinHtml = (await readFile(join(ROOT, "src/ui/join/join.html"), "utf8")).replace(
    "connect-src 'self' wss:",
    `connect-src ${joinConnect}${translateOrigin ? ` ${translateOrigin}` : ""}`,
  );
  await writeFile(join(DIST, "web/join.html"), joinHtml);
  await sheets("web", "web");
  const joinConfig = xmppUrl ? { service: xmppUrl.toString(), ...(guestDomain ? { guestDomain } : {}), ...(translateUrl ? { translateUrl } : {}) } : {};
  await writeFile(join(DIST, "web/config.json"), JSON.stringify(joinConfig, null, 2) + "\n");
  await cp(join(DIST, "web"), join(DIST, "outlook/web"), { recursive: true });

  // Node engine
  await build({
    entryPoints: [join(ROOT, "src/engine/index.ts")],
    outfile: join(DIST, "engine.mjs"),
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    logLevel: "warning",
    external: ["bufferutil", "utf-8-validate"],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  // Command-line front
  await build({
    entryPoints: [join(ROOT, "src/cli/bin.ts")],
    outfile: join(DIST, "cli.mjs"),
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    logLevel: "warning",
    external: ["bufferutil", "utf-8-validate"],
    banner: { js: "#!/usr/bin/env node\nimport { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  await chmod(join(DIST, "cli.mjs"), 0o755);
  const cli = await readFile(join(DIST, "cli.mjs"));
  sizes.push(["cli.mjs", cli.length, gzipSync(cli, { level: 9 }).length]);
  const engine = await readFile(join(DIST, "engine.mjs"));
  sizes.push(["engine.mjs", engine.length, gzipSync(engine, { level: 9 }).length]);
  return { base, sizes, taskpane: pane, converse: await measureConverse() };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const out = option("out");
    const {
      base,
      sizes: s,
      taskpane,
      converse,
    } = await buildAll({
      baseUrl: option("base-url") ?? process.env.RVI_BASE_URL ?? DEV_BASE,
      out: out && resolve(out),
      xmpp: option("xmpp") ?? process.env.RVI_XMPP_URL,
      guestDomain: option("guest-domain") ?? process.env.RVI_GUEST_DOMAIN,
      translateUrl: option("translate-url") ?? process.env.RVI_TRANSLATE_URL,
    });
    const width = Math.max(...s.map(([f]) => f.length), CONVERSE.label.length + 17);
    console.log(`${"bundle".padEnd(width)}    bytes    gzip`);
    for (const [f, raw, gz] of s) console.log(`${f.padEnd(width)} ${String(raw).padStart(8)} ${String(gz).padStart(7)}`);
    if (converse) console.log(`${`${CONVERSE.label} (comparison)`.padEnd(width)} ${String(converse[0]).padStart(8)} ${String(converse[1]).padStart(7)}`);
    else console.log(`(${CONVERSE.label} not measured: ${CONVERSE.file} is absent; npm install adds it)`);
    console.log(
      `Outlook task pane script: ${(taskpane[0] / 1024).toFixed(1)} KB, ${(taskpane[1] / 1024).toFixed(1)} KB gzip at first paint (budget ${TASKPANE_BUDGET_GZIP / 1024} KB gzip); the rest loads on first use`,
    );
    console.log(`Outlook pages for ${base} in ${join(DIST, "outlook")} (manifest: ${join(DIST, "outlook/manifest.xml")})`);
    console.log(`Thunderbird add-in in ${join(DIST, "thunderbird")}; Node engine ${join(DIST, "engine.mjs")}`);
  } catch (err) {
    console.error(`build failed: ${err.message}`);
    process.exit(1);
  }
}
