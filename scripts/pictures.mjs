#!/usr/bin/env node
// The README's pictures: every page in each host's theme, light and dark, as the accessibility
// test renders them in Chromium (test/ui/axe.test.ts, which photographs when RVI_PICTURES is set),
// written to docs/pictures/ — or to the folder given: `node scripts/pictures.mjs docs/pictures/before`.
// The pages are checked by axe-core as they are photographed: a page with violations fails here too.
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const folder = process.argv[2] ?? "1";
const jest = spawn(process.execPath, [join(ROOT, "node_modules/jest/bin/jest.js"), "test/ui/axe.test.ts"], {
  cwd: ROOT,
  stdio: "inherit",
  env: { ...process.env, RVI_PICTURES: folder },
});
jest.on("exit", (code) => {
  if (code === 0) console.log(`pictures written to ${folder === "1" ? "docs/pictures" : folder}`);
  process.exit(code ?? 1);
});
