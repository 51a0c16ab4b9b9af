// The wall of DESIGN.md: the engine layers never touch a host, the DOM or a UI.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const ROOT = join(__dirname, "..");
const ENGINE_LAYERS = ["src/core", "src/store", "src/xmpp", "src/engine"];

function files(dir: string): string[] {
  let out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(files(p));
    else if (/\.ts$/.test(name)) out.push(p);
  }
  return out;
}

const FORBIDDEN: [RegExp, string][] = [
  [/\b(messenger|browser|chrome)\.[a-z]/, "a MailExtension API"],
  [/\bOffice\.[A-Za-z]/, "Office.js"],
  [/\b(document|window|navigator|localStorage)\s*\.|\bwindow\b\s*\[/, "the DOM"],
  [/from\s+["'][^"']*\/(hosts|ui)\//, "a host adapter or the UI"],
  [/from\s+["'](webextension-polyfill|dompurify)["']/, "a host-only package"],
];

/** The code without comments and string contents (a message may say "the IM window."). */
function code(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/(^|[^:"'`])\/\/.*$/gm, "$1")
    .replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, (m) =>
      /^["'][^"']*\/(hosts|ui)\//.test(m) || /^["'](webextension-polyfill|dompurify)["']$/.test(m) ? m : '""',
    );
}

describe("Boundaries: the engine never touches a host, the DOM or the UI", () => {
  const sources = ENGINE_LAYERS.flatMap((l) => files(join(ROOT, l)));

  it("finds the engine's sources", () => {
    expect(sources.length).toBeGreaterThan(10);
  });

  it.each(FORBIDDEN)("no engine file uses %s (%s)", (pattern) => {
    const offenders = sources.filter((f) => pattern.test(code(readFileSync(f, "utf8")))).map((f) => relative(ROOT, f));
    expect(offenders).toEqual([]);
  });

  it("the shared UI never touches a host API (hosts pass them in)", () => {
    const ui = files(join(ROOT, "src/ui"));
    expect(ui.length).toBeGreaterThan(0);
    const offenders = ui.filter((f) => FORBIDDEN.slice(0, 2).some(([p]) => p.test(code(readFileSync(f, "utf8"))))).map((f) => relative(ROOT, f));
    expect(offenders).toEqual([]);
  });

  it("each host adapter keeps to its own host: Office.js only in src/hosts/outlook, MailExtension APIs only in src/hosts/thunderbird", () => {
    const use = (dir: string, [pattern]: [RegExp, string]) =>
      files(join(ROOT, dir))
        .filter((f) => pattern.test(code(readFileSync(f, "utf8"))))
        .map((f) => relative(ROOT, f));
    expect(use("src/hosts/outlook", FORBIDDEN[0]!)).toEqual([]);
    expect(use("src/hosts/thunderbird", FORBIDDEN[1]!)).toEqual([]);
    expect(use("src/hosts/outlook", FORBIDDEN[1]!).length).toBeGreaterThan(0); // the check sees the adapter's own calls
  });

  it("the check itself catches a host call", () => {
    const sample = code('import x from "../hosts/thunderbird/x";\nawait messenger.messages.query({});');
    expect(FORBIDDEN.filter(([p]) => p.test(sample)).map(([, what]) => what)).toEqual(["a MailExtension API", "a host adapter or the UI"]);
  });
});
