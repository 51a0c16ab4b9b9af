// Each suite that needs the built product builds it into a directory of its own (so suites
// never race over dist/), exactly as `npm run build` does.
import { execFile } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

export const ROOT = join(__dirname, "../..");
export const run = promisify(execFile);

export async function buildToTemp(extraArgs: string[] = []): Promise<{ out: string; printed: string }> {
  const out = await mkdtemp(join(tmpdir(), "rvi-build-"));
  const { stdout } = await run("node", ["scripts/build.mjs", ...extraArgs, "--out", out], { cwd: ROOT });
  return { out, printed: stdout };
}
