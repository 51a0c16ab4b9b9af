#!/usr/bin/env node
// `npm run bench [suite]`: bundles bench/index.ts for Node and runs it. Figures only, no pass/fail.
import { build } from "esbuild";
import { mkdir } from "node:fs/promises";
import { spawnSync } from "node:child_process";

await mkdir(".tmp", { recursive: true });
await build({
  entryPoints: ["bench/index.ts"],
  outfile: ".tmp/bench.mjs",
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  logLevel: "warning",
  external: ["ws", "bufferutil", "utf-8-validate"],
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
const r = spawnSync(process.execPath, ["--expose-gc", ".tmp/bench.mjs", ...process.argv.slice(2)], { stdio: "inherit" });
process.exit(r.status ?? 1);
