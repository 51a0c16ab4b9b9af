#!/usr/bin/env node
// `npm start`: the product's main job. Until the Thunderbird add-in runs end to end, it builds
// both add-ins and says where they are.
import { spawnSync } from "node:child_process";

const build = spawnSync(process.execPath, ["scripts/build.mjs", ...process.argv.slice(2)], { stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);
console.log(`
Built.
  Thunderbird: load dist/thunderbird/manifest.json as a temporary add-in (Tools › Developer Tools › Debug Add-ons).
  Outlook:     host dist/outlook/ at the base URL, then add dist/outlook/manifest.xml from file.
  Node engine: dist/engine.mjs`);
