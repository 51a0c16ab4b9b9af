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
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

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
    throw new Error(`--base-url "${raw}" is not a URL. Give the HTTPS address where dist/outlook will be hosted, e.g. https://addins.example.org/reply-via-im/`);
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
  if (url.protocol !== secure && !(url.protocol === plain && loopback)) throw new Error(`--${flag} must be ${secure}// (${plain}// only on loopback), not ${url.protocol}`);
  return url;
}
export const checkXmppUrl = (raw) => checkServerUrl(raw, { flag: "xmpp", secure: "wss:", plain: "ws:", example: "wss://chat.example.org/xmpp-websocket" });
export const checkTranslateUrl = (raw) => checkServerUrl(raw, { flag: "translate-url", secure: "https:", plain: "http:", example: "https://translate.example.org/" });

/** Budget for the Outlook task pane's script (issue 6): the pane loads it on every open. */
export const TASKPANE_BUDGET_GZIP = 150 * 1024;

// xmpp.js imports node:dns for SRV lookups that a browser cannot do and we do not use
// (the WebSocket URL is configured): resolve it to an empty module.
const stubNodeDns = {
  name: "stub-node-dns",
  setup(b) {
    b.onResolve({ filter: /^(node:)?dns$/ }, () => ({ path: "dns", namespace: "stub" }));
    b.onLoad({ filter: /.*/, namespace: "stub" }, () => ({ contents: "export default {}; export const promises = {};", loader: "js" }));
  },
};

const browserOptions = {
  bundle: true, format: "esm", platform: "browser", target: ["firefox128", "chrome110", "safari16"],
  minify: true, sourcemap: false, legalComments: "none", plugins: [stubNodeDns], metafile: true, logLevel: "warning",
};

const sizes = [];

/** The XPI: a zip of the built add-in with manifest.json at its root (web-ext build does the same). */
async function zipDir(dir, out) {
  const { cmd } = await import("web-ext");
  await cmd.build({ sourceDir: dir, artifactsDir: dirname(out), filename: basename(out), overwriteDest: true }, { shouldExitProgram: false });
}
async function bundle(entry, outfile, extra = {}) {
  const { metafile } = await build({ ...browserOptions, ...extra, entryPoints: [join(ROOT, entry)], outfile: join(DIST, outfile) });
  if (process.argv.includes("--analyze")) {
    const byPackage = {};
    for (const [input, { bytesInOutput }] of Object.entries(Object.values(metafile.outputs)[0].inputs)) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? "src";
      byPackage[pkg] = (byPackage[pkg] ?? 0) + bytesInOutput;
    }
    console.log(outfile, Object.entries(byPackage).sort((a, b) => b[1] - a[1]).slice(0, 12));
  }
  const buf = await readFile(join(DIST, outfile));
  sizes.push([outfile, buf.length, gzipSync(buf, { level: 9 }).length]);
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
  await bundle("src/hosts/thunderbird/background.ts", "thunderbird/background.js");
  await bundle("src/hosts/thunderbird/chat-page.ts", "thunderbird/chat.js");
  await bundle("src/hosts/thunderbird/options.ts", "thunderbird/options.js");
  await bundle("src/hosts/thunderbird/invite.ts", "thunderbird/invite.js");
  await bundle("src/hosts/thunderbird/contacts-page.ts", "thunderbird/contacts.js");
  await bundle("src/hosts/thunderbird/compose-script.ts", "thunderbird/compose-script.js", { format: "iife" });
  await bundle("src/hosts/thunderbird/transcript-script.ts", "thunderbird/transcript-script.js", { format: "iife" });
  await copy("manifest.json", "thunderbird/manifest.json");
  for (const page of ["background.html", "chat.html", "options.html", "invite.html", "contacts.html"]) await copy(`src/hosts/thunderbird/${page}`, `thunderbird/${page}`);
  await copy("src/ui/_locales", "thunderbird/_locales");
  await copy("src/ui/chat/chat.css", "thunderbird/chat.css");
  await copy("src/ui/transcript.css", "thunderbird/transcript.css");
  await copy("assets", "thunderbird/assets");
  const version = JSON.parse(await readFile(join(ROOT, "manifest.json"), "utf8")).version;
  const xpi = `reply-via-im-${version}.xpi`;
  await zipDir(join(DIST, "thunderbird"), join(DIST, xpi));
  const xpiSize = (await readFile(join(DIST, xpi))).length;
  sizes.push([xpi, xpiSize, xpiSize]);

  // Outlook: the pages (engine in the page), their CSP narrowed to the XMPP server when known
  await bundle("src/hosts/outlook/taskpane.ts", "outlook/taskpane.js");
  await bundle("src/hosts/outlook/compose.ts", "outlook/compose.js");
  const connect = xmppUrl ? `'self' ${xmppUrl.origin.replace(/^http/, "ws")}` : "'self' wss:";
  const translateOrigin = translateUrl ? checkTranslateUrl(translateUrl).origin : "";
  for (const page of ["taskpane.html", "compose.html", "support.html"]) {
    // the task pane may also reach the translation server (F16), when one is built in
    const extra = page === "taskpane.html" && translateOrigin ? ` ${translateOrigin}` : "";
    const html = (await readFile(join(ROOT, "src/hosts/outlook", page), "utf8")).replace("connect-src 'self' wss:", `connect-src ${connect}${extra}`);
    await mkdir(join(DIST, "outlook"), { recursive: true });
    await writeFile(join(DIST, "outlook", page), html);
  }
  await copy("src/ui/chat/chat.css", "outlook/chat.css");
  await copy("src/ui/transcript.css", "outlook/transcript.css");
  await copy("assets", "outlook/assets");
  // what IT presets for everyone (users need not type the server); editable where the pages are hosted
  const preset = { ...(xmppUrl ? { service: xmppUrl.toString() } : {}), ...(translateUrl ? { translateUrl } : {}) };
  await writeFile(join(DIST, "outlook/preset.json"), JSON.stringify(preset, null, 2) + "\n");
  const appDomains = xmppUrl ? `    <AppDomain>${xmppUrl.origin.replace(/^ws/, "http")}</AppDomain>\n` : "";
  const manifest = (await readFile(join(ROOT, "manifest.xml"), "utf8"))
    .replaceAll(DEV_BASE, base)
    .replaceAll(DEV_BASE.replace(/\/$/, ""), new URL(base).origin)
    .replace("  </AppDomains>", `${appDomains}  </AppDomains>`);
  await writeFile(join(DIST, "outlook/manifest.xml"), manifest);
  const pane = sizes.find(([f]) => f === "outlook/taskpane.js");
  if (pane[2] > TASKPANE_BUDGET_GZIP) throw new Error(`outlook/taskpane.js is ${pane[2]} bytes gzip, over its budget of ${TASKPANE_BUDGET_GZIP}`);

  // The web join page (F11), hosted anywhere — and beside the Outlook pages, where invitations
  // made in Outlook point by default (<base>/web/join.html)
  await bundle("src/ui/join/page.ts", "web/join.js");
  const joinHtml = (await readFile(join(ROOT, "src/ui/join/join.html"), "utf8")).replace("connect-src 'self' wss:", `connect-src ${connect}${translateOrigin ? ` ${translateOrigin}` : ""}`);
  await writeFile(join(DIST, "web/join.html"), joinHtml);
  await copy("src/ui/join/join.css", "web/join.css");
  const joinConfig = xmppUrl ? { service: xmppUrl.toString(), ...(guestDomain ? { guestDomain } : {}), ...(translateUrl ? { translateUrl } : {}) } : {};
  await writeFile(join(DIST, "web/config.json"), JSON.stringify(joinConfig, null, 2) + "\n");
  await cp(join(DIST, "web"), join(DIST, "outlook/web"), { recursive: true });

  // Node engine
  await build({
    entryPoints: [join(ROOT, "src/engine/index.ts")], outfile: join(DIST, "engine.mjs"),
    bundle: true, format: "esm", platform: "node", target: "node20", logLevel: "warning",
    external: ["bufferutil", "utf-8-validate"],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  // Command-line front
  await build({
    entryPoints: [join(ROOT, "src/cli/bin.ts")], outfile: join(DIST, "cli.mjs"),
    bundle: true, format: "esm", platform: "node", target: "node20", logLevel: "warning",
    external: ["bufferutil", "utf-8-validate"],
    banner: { js: "#!/usr/bin/env node\nimport { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  await chmod(join(DIST, "cli.mjs"), 0o755);
  const cli = await readFile(join(DIST, "cli.mjs"));
  sizes.push(["cli.mjs", cli.length, gzipSync(cli, { level: 9 }).length]);
  const engine = await readFile(join(DIST, "engine.mjs"));
  sizes.push(["engine.mjs", engine.length, gzipSync(engine, { level: 9 }).length]);
  return { base, sizes };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const out = option("out");
    const { base, sizes: s } = await buildAll({
      baseUrl: option("base-url") ?? process.env.RVI_BASE_URL ?? DEV_BASE, out: out && resolve(out), xmpp: option("xmpp") ?? process.env.RVI_XMPP_URL,
      guestDomain: option("guest-domain") ?? process.env.RVI_GUEST_DOMAIN,
      translateUrl: option("translate-url") ?? process.env.RVI_TRANSLATE_URL,
    });
    console.log(`${"bundle".padEnd(35)}    bytes    gzip`);
    for (const [f, raw, gz] of s) console.log(`${f.padEnd(35)} ${String(raw).padStart(8)} ${String(gz).padStart(7)}`);
    const pane = s.find(([f]) => f === "outlook/taskpane.js");
    console.log(`Outlook task pane script: ${(pane[1] / 1024).toFixed(1)} KB, ${(pane[2] / 1024).toFixed(1)} KB gzip (budget ${TASKPANE_BUDGET_GZIP / 1024} KB gzip)`);
    console.log(`Outlook pages for ${base} in ${join(DIST, "outlook")} (manifest: ${join(DIST, "outlook/manifest.xml")})`);
    console.log(`Thunderbird add-in in ${join(DIST, "thunderbird")}; Node engine ${join(DIST, "engine.mjs")}`);
  } catch (err) {
    console.error(`build failed: ${err.message}`);
    process.exit(1);
  }
}
