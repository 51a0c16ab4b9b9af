#!/usr/bin/env node
// Serves dist/outlook on https://localhost (npm run serve:outlook), for sideloading manifest.xml
// in Outlook and for the tests. Certificates come from office-addin-dev-certs, generated into
// .tmp/certs (not the system trust store). To make this computer trust them — needed before
// Outlook will load the pages — pass --trust: office-addin-dev-certs then installs its CA
// (on Linux with sudo into /usr/local/share/ca-certificates).
// Options: --port N (3000), --dir DIR (dist/outlook), --certs DIR (.tmp/certs), --trust.
import { createServer } from "node:https";
import { existsSync } from "node:fs";
import { mkdir, readFile, stat } from "node:fs/promises";
import { dirname, extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

// (bundled or transformed into another program, import.meta.url may be absent: callers pass dirs)
const SELF = typeof import.meta.url === "string" ? fileURLToPath(import.meta.url) : "";
const ROOT = SELF ? resolve(dirname(SELF), "..") : process.cwd();

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".xml": "application/xml",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

/** The dev certificates (CA, localhost certificate and key), made once and kept in `dir`. */
export async function devCertificates(dir) {
  const files = { ca: join(dir, "ca.crt"), cert: join(dir, "localhost.crt"), key: join(dir, "localhost.key") };
  if (!existsSync(files.key)) {
    await mkdir(dir, { recursive: true });
    const { generateCertificates } = await import("office-addin-dev-certs/lib/generate.js");
    const log = console.log; // it announces itself on stdout; we say where the certificates went instead
    console.log = () => {};
    try {
      await generateCertificates(files.ca, files.cert, files.key, 30, ["127.0.0.1", "localhost"]);
    } finally {
      console.log = log;
    }
  }
  return { ca: await readFile(files.ca), cert: await readFile(files.cert), key: await readFile(files.key), caPath: files.ca };
}

/** Starts the server; `port` 0 picks a free one. Resolves to its URL and a close() that ends it. */
export async function serveOutlook({ dir = join(ROOT, "dist/outlook"), port = 3000, certs = join(ROOT, ".tmp/certs"), host = "127.0.0.1" } = {}) {
  const base = resolve(dir);
  const { cert, key, ca, caPath } = await devCertificates(certs);
  const server = createServer({ cert, key }, async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url ?? "/", "https://localhost").pathname);
      const file = resolve(base, `.${path.endsWith("/") ? `${path}taskpane.html` : path}`);
      if (file !== base && !file.startsWith(base + sep)) throw Object.assign(new Error("outside"), { code: "ENOENT" });
      if (!(await stat(file)).isFile()) throw Object.assign(new Error("not a file"), { code: "ENOENT" });
      res.writeHead(200, {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
        "cache-control": "no-cache",
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
      });
      res.end(await readFile(file));
    } catch (err) {
      res.writeHead(err.code === "ENOENT" ? 404 : 500, { "content-type": "text/plain" });
      res.end(err.code === "ENOENT" ? "not found" : "server error");
    }
  });
  await new Promise((ok, fail) => server.once("error", fail).listen(port, host, ok));
  const url = `https://localhost:${server.address().port}/`;
  return { url, ca, caPath, close: () => new Promise((ok) => server.close(() => ok())) };
}

async function main() {
  const args = process.argv.slice(2);
  const opt = (name) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const dir = resolve(opt("dir") ?? join(ROOT, "dist/outlook"));
  if (!existsSync(join(dir, "manifest.xml"))) {
    console.error(`No built Outlook add-in in ${dir}: run npm run build first.`);
    process.exit(1);
  }
  try {
    const certs = resolve(opt("certs") ?? join(ROOT, ".tmp/certs"));
    const s = await serveOutlook({ dir, port: Number(opt("port") ?? 3000), certs });
    if (args.includes("--trust")) {
      const { installCaCertificate } = await import("office-addin-dev-certs/lib/install.js");
      await installCaCertificate(s.caPath);
    }
    console.log(`Serving ${dir} on ${s.url} (Ctrl+C stops).`);
    console.log(`Sideload ${join(dir, "manifest.xml")} in Outlook: see docs/deploy-outlook.md.`);
    if (!args.includes("--trust")) console.log(`The certificate's CA is ${s.caPath}; this computer does not trust it until you run with --trust.`);
    const stop = () => void s.close().then(() => process.exit(0));
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  } catch (err) {
    console.error(
      err.code === "EADDRINUSE"
        ? `Port ${opt("port") ?? 3000} is in use: pass --port N (and build with --base-url https://localhost:N/).`
        : `serve:outlook failed: ${err.message}`,
    );
    process.exit(1);
  }
}

if (SELF && process.argv[1] && resolve(process.argv[1]) === SELF) void main();
