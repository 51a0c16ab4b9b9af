#!/usr/bin/env node
// `npm start`: bundles scripts/demo.ts for Node and runs it (see there: build, private Prosody,
// a demo contact, real Thunderbird with the add-in and a demo mailbox). `npm start -- --headless`
// runs the tour under Xvfb even when a display is available.
import { build } from "esbuild";
import { mkdir } from "node:fs/promises";
import { spawn } from "node:child_process";

await mkdir(".tmp", { recursive: true });
await build({
  entryPoints: ["scripts/demo.ts"],
  outfile: ".tmp/demo.mjs",
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  logLevel: "warning",
});
const demo = spawn(process.execPath, [".tmp/demo.mjs", ...process.argv.slice(2)], { stdio: "inherit" });
// Ctrl+C reaches the demo too (same process group); it stops what it started, then exits
process.on("SIGINT", () => {});
process.on("SIGTERM", () => demo.kill("SIGTERM"));
demo.on("exit", (code) => process.exit(code ?? 1));
