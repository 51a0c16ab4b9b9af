// The feature index (docs/features.md) stays complete: every feature ID (F1, F2, …) that a file
// under src/ or test/ names has its section there, and every path the page names in backticks
// exists. A new ID in a comment or a test name without its section fails here, naming the file.
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";

const ROOT = join(__dirname, "..");
const INDEX = "docs/features.md";
const SCANNED = ["src", "test"];
const SCANNED_FILES = /\.(?:ts|mts|cjs|mjs|js|json|html|css)$/;
/** Backticked text on the page that starts with one of these is a path in the repository. */
const PATH_PREFIXES = ["src/", "test/", "scripts/", "docs/"];

/**
 * Tokens that look like a feature ID but are not one (a key name such as F5 pressed in a page
 * test, say), by file, each with why. None today: every F<number> under src/ and test/ was read
 * and names a feature of the product specification.
 */
const NOT_FEATURES: readonly { file: string; token: string; why: string }[] = [];

/**
 * The feature IDs named in a text: "F" and digits, standing alone as a word — so F6(c) and the
 * ends of "F1–F8" count, but not "F6c", "xF3" or a hex digit run such as "0xF7". One linear scan.
 */
function featureIds(text: string): number[] {
  const ids: number[] = [];
  for (const m of text.matchAll(/\bF(\d+)\b/g)) ids.push(Number(m[1]));
  return ids;
}

/** The feature IDs that have a section on the page: a heading "## F13 …" or a table row "| F13 |". */
function sectionIds(markdown: string): number[] {
  const ids: number[] = [];
  for (const line of markdown.split("\n")) {
    const m = /^(?:#{2,4}[ \t]+|\|[ \t]*)F(\d+)\b/.exec(line);
    if (m) ids.push(Number(m[1]));
  }
  return ids;
}

/** The repository paths the page names in backticks (`src/…`, `test/…`, `scripts/…`, `docs/…`). */
function namedPaths(markdown: string): string[] {
  const paths = new Set<string>();
  for (const m of markdown.matchAll(/`([^`\n]+)`/g)) {
    const text = m[1]!;
    if (PATH_PREFIXES.some((p) => text.startsWith(p))) paths.add(text);
  }
  return [...paths];
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(ROOT, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else if (entry.isFile() && SCANNED_FILES.test(entry.name)) out.push(path);
  }
  return out;
}

/** Each feature ID named under src/ and test/, with the first file (in path order) that names it. */
async function idsInCode(): Promise<{ files: string[]; firstFile: Map<number, string> }> {
  const files = (await Promise.all(SCANNED.map(filesUnder))).flat().sort();
  const firstFile = new Map<number, string>();
  const texts = await Promise.all(files.map((f) => readFile(join(ROOT, f), "utf8")));
  files.forEach((file, i) => {
    const skip = new Set(NOT_FEATURES.filter((n) => n.file === file).map((n) => n.token));
    for (const id of featureIds(texts[i]!)) {
      if (!skip.has(`F${id}`) && !firstFile.has(id)) firstFile.set(id, file);
    }
  });
  return { files, firstFile };
}

async function exists(path: string): Promise<boolean> {
  return stat(join(ROOT, ...path.split("/"))).then(
    () => true,
    () => false,
  );
}

describe("the feature index (docs/features.md)", () => {
  it("reads a feature ID only where it stands alone as a word", () => {
    expect(featureIds("F1 F2x xF3 F4(c) F5–F6 0xF7 F6c (F26)")).toEqual([1, 4, 5, 6, 26]);
    expect(sectionIds("## F1 Reply via IM\ntext F2\n| F3 | x |\n### F4\n#F5\n")).toEqual([1, 3, 4]);
    expect(namedPaths("`src/a.ts`, `test/b.test.ts`, `npm test`, `dist/x`, `src/a.ts`")).toEqual(["src/a.ts", "test/b.test.ts"]);
  });

  it("finds the feature IDs the code and the tests name", async () => {
    const { files, firstFile } = await idsInCode();
    expect(files).toContain("src/core/mapping.ts");
    expect(files).toContain("test/features-index.test.ts");
    expect(firstFile.size).toBeGreaterThan(0);
    for (const n of NOT_FEATURES) expect(files).toContain(n.file); // an exception for a file gone is stale
  });

  it("has a section for every feature ID named under src/ and test/", async () => {
    const page = await readFile(join(ROOT, INDEX), "utf8");
    const documented = new Set(sectionIds(page));
    const { firstFile } = await idsInCode();
    const missing = [...firstFile]
      .filter(([id]) => !documented.has(id))
      .sort(([a], [b]) => a - b)
      .map(([id, file]) => `F${id} (named in ${file}) has no section in ${INDEX}`);
    expect(missing).toEqual([]);
  });

  it("has one section per feature ID, none twice", async () => {
    const ids = sectionIds(await readFile(join(ROOT, INDEX), "utf8"));
    const twice = ids.filter((id, i) => ids.indexOf(id) !== i).map((id) => `F${id}`);
    expect(twice).toEqual([]);
  });

  it("names only files and folders that exist", async () => {
    const paths = namedPaths(await readFile(join(ROOT, INDEX), "utf8"));
    expect(paths.length).toBeGreaterThan(0);
    const gone: string[] = [];
    for (const path of paths) if (!(await exists(path.replace(/\/$/, "")))) gone.push(path);
    expect(gone.map((p) => `${INDEX} names ${p}, which does not exist`)).toEqual([]);
  });
});
