// The product stands alone: a user's clone has nothing beside it (no ../shared, which only the
// team's machines have). A copy of the repository in a fresh temporary directory, with no sibling
// folders, builds and passes the build and manifest tests — so a dependency on a sibling folder
// cannot come back unseen.
import { cp, mkdtemp, mkdir, readdir, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ROOT, run } from "./kit/build";

let top: string;
let copy: string;

beforeAll(async () => {
  top = await mkdtemp(join(tmpdir(), "rvi-alone-"));
  copy = join(top, "reply-via-im");
  // what a clone has: the files git tracks (and new ones it does not ignore), not node_modules or dist
  const { stdout } = await run("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], { cwd: ROOT, maxBuffer: 64 << 20 });
  for (const file of stdout.split("\0").filter(Boolean)) {
    await mkdir(dirname(join(copy, file)), { recursive: true });
    await cp(join(ROOT, file), join(copy, file)).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== "ENOENT") throw e; // a tracked file deleted in the working tree is not part of the copy
    });
  }
  // the installed packages are the same as `npm ci` would give; linked to keep the test quick
  await symlink(join(ROOT, "node_modules"), join(copy, "node_modules"), "dir");
}, 60_000);
afterAll(() => rm(top, { recursive: true, force: true }));

describe("F18 the project stands alone", () => {
  it("the copy has nothing beside it", async () => {
    expect(await readdir(top)).toEqual(["reply-via-im"]);
  });

  it("a copy with no sibling folders builds and passes its build and manifest tests", async () => {
    const env = { ...process.env, OFFICE_MANIFEST_XSD_DIR: "" };
    const r = await run("npx", ["jest", "--ci", "test/build.test.ts"], { cwd: copy, env, maxBuffer: 64 << 20 }).then(
      (x) => ({ ok: true, out: x.stdout + x.stderr }),
      (e: { stdout: string; stderr: string }) => ({ ok: false, out: e.stdout + e.stderr }),
    );
    expect(r.out).toMatch(/Tests:\s+\d+ passed, \d+ total/);
    expect(r.ok).toBe(true);
    const validate = await run("node", ["scripts/validate-outlook-manifest.mjs", "manifest.xml"], { cwd: copy, env });
    expect(validate.stdout).toContain("XSD check skipped — no Office manifest schemas at");
    expect(validate.stdout).toContain("manifest.xml: valid");
  }, 180_000);

  it("no source names a folder outside the repository", async () => {
    const { stdout } = await run("git", ["ls-files", "src", "scripts", "test", "bench", "package.json", ".ci"], { cwd: ROOT });
    const offenders: string[] = [];
    for (const file of stdout.split("\n").filter(Boolean)) {
      if (file === "scripts/validate-outlook-manifest.mjs" || file === "test/standalone.test.ts") continue; // the one optional reader, and this test
      const text = await readFile(join(ROOT, file), "utf8").catch(() => "");
      // a path to a sibling folder: "../shared", or path segments "..", "shared" (a word "shared" alone is fine)
      if (/\.\.\/shared\b|["']\.\.["']\s*,\s*["']shared["']/.test(text)) offenders.push(file);
    }
    expect(offenders).toEqual([]);
  });
});
