// F18/F20: one command builds both add-ins; the browser bundles carry xmpp.js without Node
// built-ins or eval; the Outlook manifest gets the configured HTTPS base URL and still validates.
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findSchemas } from "../scripts/validate-outlook-manifest.mjs";
import { buildToTemp, ROOT, run } from "./kit/build";

let out: string;
let printed: string;

beforeAll(async () => {
  ({ out, printed } = await buildToTemp(["--base-url", "https://addins.example.org/rvi", "--xmpp", "wss://chat.example.org/xmpp-websocket"]));
}, 60_000);
afterAll(() => rm(out, { recursive: true, force: true }));

describe("F18 build", () => {
  it("prints the size of each bundle, what the task pane needs at first paint within its budget, and Converse.js headless beside them", () => {
    expect(printed).toMatch(/thunderbird\/background\.js\s+\d+\s+\d+/);
    expect(printed).toMatch(/outlook\/taskpane\.js\s+\d+\s+\d+/);
    expect(printed).toMatch(/engine\.mjs\s+\d+\s+\d+/);
    // what is loaded on first use (ical.js for address-book cards, the engine) is a chunk of its own
    expect(printed).toMatch(/outlook\/chunks\/ical-\w+\.js \(loaded on use\)\s+\d+\s+\d+/);
    expect(printed).toMatch(/outlook\/chunks\/pane-engine-\w+\.js \(loaded on use\)\s+\d+\s+\d+/);
    // the task pane's budget (issues 6 and 12): printed, and the build fails past it
    const [, gz] = /Outlook task pane script: [\d.]+ KB, ([\d.]+) KB gzip at first paint \(budget 80 KB gzip\)/.exec(printed) ?? [];
    expect(Number(gz)).toBeGreaterThan(10);
    expect(Number(gz)).toBeLessThan(80);
    // measured in the same run, in the same table (a devDependency: a plain notice when absent)
    expect(printed).toMatch(/Converse\.js headless 10\.1\.7 \(comparison\)\s+\d+\s+\d+/);
  });

  it("loads what the pages do not need at once from chunks beside them (CSP script-src 'self'), as ES modules", async () => {
    const pane = await readFile(join(out, "outlook/taskpane.js"), "utf8");
    const chunks = [...pane.matchAll(/"\.\/(chunks\/[\w-]+\.js)"/g)].map((m) => m[1]!);
    expect(chunks.length).toBeGreaterThan(0);
    for (const chunk of chunks) await expect(readFile(join(out, "outlook", chunk), "utf8")).resolves.toBeTruthy();
    // ical.js and Dexie are not in what the pane loads first
    expect(pane).not.toContain("ical.js");
    for (const chunk of chunks) expect(await readFile(join(out, "outlook", chunk), "utf8")).not.toMatch(/ICAL|Dexie/);
    for (const [dir, page] of [
      ["outlook", "taskpane"],
      ["outlook", "compose"],
      ["thunderbird", "background"],
      ["thunderbird", "chat"],
      ["thunderbird", "options"],
      ["thunderbird", "invite"],
      ["thunderbird", "contacts"],
    ]) {
      expect(await readFile(join(out, dir!, `${page}.html`), "utf8")).toContain(`<script src="${page}.js" type="module"></script>`);
    }
    // the XPI carries its chunks
    expect((await run("unzip", ["-l", join(out, "reply-via-im-0.1.0.xpi")])).stdout).toMatch(/chunks\/ical-\w+\.js/);
  });

  it("writes the Outlook pages: both panes, help, Office.js from Microsoft's CDN only, the CSP narrowed to the XMPP server, IT's preset", async () => {
    for (const page of ["taskpane.html", "compose.html"]) {
      const html = await readFile(join(out, "outlook", page), "utf8");
      expect([...html.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1])).toEqual([
        "https://appsforoffice.microsoft.com/lib/1/hosted/office.js",
        page.replace(".html", ".js"),
      ]);
      // the XMPP server's WebSocket, and its host over HTTPS for uploads (XEP-0363)
      expect(html).toContain("connect-src 'self' wss://chat.example.org https://chat.example.org:*;");
      expect(html).not.toMatch(/unsafe-(inline|eval)/);
    }
    await expect(readFile(join(out, "outlook/support.html"), "utf8")).resolves.toContain("Reply via IM");
    expect(JSON.parse(await readFile(join(out, "outlook/preset.json"), "utf8"))).toEqual({ service: "wss://chat.example.org/xmpp-websocket" });
  });

  it("writes the web join page (dist/web, and beside the Outlook pages where Outlook's invitations point) with its server and strict CSP", async () => {
    for (const dir of ["web", "outlook/web"]) {
      const html = await readFile(join(out, dir, "join.html"), "utf8");
      expect(html).toContain("connect-src 'self' wss://chat.example.org;");
      expect(html).toContain("script-src 'self';");
      expect(JSON.parse(await readFile(join(out, dir, "config.json"), "utf8"))).toEqual({ service: "wss://chat.example.org/xmpp-websocket" });
    }
  });

  it("bundles xmpp.js for the browser with no Node built-in and no eval", async () => {
    // the background page and the chunks beside it
    const files = ["background.js", ...(await readdir(join(out, "thunderbird/chunks"))).map((f) => `chunks/${f}`)];
    const js = (await Promise.all(files.map((f) => readFile(join(out, "thunderbird", f), "utf8")))).join("\n");
    expect(js).toContain("urn:xmpp:sm:3");
    expect(js).not.toMatch(/from\s*["']node:|require\(["']node:/);
    expect(js).not.toMatch(/\beval\(|new Function\(/);
  });

  it("writes the Thunderbird manifest with its CSP and the Outlook manifest for the base URL", async () => {
    const mf = JSON.parse(await readFile(join(out, "thunderbird/manifest.json"), "utf8")) as { manifest_version: number; content_security_policy: string };
    expect(mf.manifest_version).toBe(2);
    expect(mf.content_security_policy).toMatch(/script-src 'self'/);
    const xml = await readFile(join(out, "outlook/manifest.xml"), "utf8");
    expect(xml).toContain('<SourceLocation DefaultValue="https://addins.example.org/rvi/taskpane.html"/>');
    expect(xml).toContain("<AppDomain>https://addins.example.org</AppDomain>");
    expect(xml).toContain("<AppDomain>https://chat.example.org</AppDomain>"); // the XMPP WebSocket's host
    expect(xml).not.toContain("localhost:3000");
  });

  it("refuses a base URL that is not HTTPS, saying why", async () => {
    await expect(run("node", ["scripts/build.mjs", "--base-url", "http://addins.example.org/", "--out", join(out, "x")], { cwd: ROOT })).rejects.toMatchObject({
      stderr: expect.stringContaining("--base-url must be https://"),
    });
    await expect(run("node", ["scripts/build.mjs", "--xmpp", "ws://chat.example.org/ws", "--out", join(out, "x")], { cwd: ROOT })).rejects.toMatchObject({
      stderr: expect.stringContaining("--xmpp must be wss:// (ws:// only on loopback)"),
    });
  });
});

describe("F18/F20 the Thunderbird package", () => {
  it("writes the XPI and addons-linter (web-ext lint) finds nothing", async () => {
    const { stdout } = await run("npx", ["web-ext", "lint", "--source-dir", join(out, "thunderbird"), "--output", "json", "--self-hosted"], {
      cwd: ROOT,
    }).catch((e: { stdout: string }) => e);
    const report = JSON.parse(stdout) as { errors: unknown[]; warnings: { code: string; message: string }[] };
    // addons-linter knows Firefox's schema, not Thunderbird's: it calls Thunderbird-only
    // permissions invalid, and measures key support against Firefox versions. Those, and only
    // those, are expected; anything else is a real finding.
    const THUNDERBIRD_PERMISSIONS = [
      "messagesRead",
      "messagesModify",
      "accountsRead",
      "compose",
      "addressBooks",
      "messagesImport",
      "accountsFolders",
      "messagesDelete",
    ];
    const unexpected = report.warnings.filter(
      (w) =>
        !(w.code === "MANIFEST_PERMISSIONS" && THUNDERBIRD_PERMISSIONS.some((p) => w.message.includes(`"${p}"`))) &&
        !/^KEY_FIREFOX(_ANDROID)?_UNSUPPORTED_BY_MIN_VERSION$/.test(w.code),
    );
    expect(report.errors).toEqual([]);
    expect(unexpected).toEqual([]);
    const xpi = await readFile(join(out, "reply-via-im-0.1.0.xpi"));
    expect(xpi.subarray(0, 2).toString()).toBe("PK");
  }, 60_000);

  it("every string the manifest names is in _locales/en", async () => {
    const mf = await readFile(join(out, "thunderbird/manifest.json"), "utf8");
    const messages = JSON.parse(await readFile(join(out, "thunderbird/_locales/en/messages.json"), "utf8"));
    for (const [, key] of mf.matchAll(/__MSG_(\w+)__/g)) expect(messages).toHaveProperty([key!, "message"]);
  });
});

describe("F20 manifests validate offline", () => {
  const validate = (file: string, ...args: string[]) =>
    run("node", ["scripts/validate-outlook-manifest.mjs", file, ...args], { cwd: ROOT }).then(
      (r) => ({ ok: true, out: r.stdout + r.stderr }),
      (e: { stdout: string; stderr: string }) => ({ ok: false, out: e.stdout + e.stderr }),
    );

  it("the built manifest.xml passes the Office XSDs, the SupportsPinning, resid and URL checks", async () => {
    const r = await validate(join(out, "outlook/manifest.xml"), "--base", "https://addins.example.org/rvi/");
    expect(r.out).toContain("manifest.xml: valid");
    expect(r.ok).toBe(true);
  });

  it("a broken manifest is caught: bad permission (by the XSDs, where they are), http URL", async () => {
    const xml = (await readFile(join(ROOT, "manifest.xml"), "utf8"))
      .replace("<Permissions>ReadWriteItem</Permissions>", "<Permissions>FullAccess</Permissions>")
      .replace("https://localhost:3000/support.html", "http://localhost:3000/support.html");
    const file = join(out, "broken.xml");
    await writeFile(file, xml);
    const r = await validate(file);
    expect(r.ok).toBe(false);
    // the XSDs are the team's, not the product's: a user's clone checks the rest and says so
    if (await findSchemas()) expect(r.out).toMatch(/XSD: .*FullAccess/);
    else expect(r.out).toContain("XSD check skipped — no Office manifest schemas at");
    expect(r.out).toContain("not HTTPS: http://localhost:3000/support.html");
  });

  it("without the Office XSDs the check says the XSD part was skipped and why, and still runs its own rules", async () => {
    const empty = await mkdtemp(join(tmpdir(), "rvi-no-xsd-"));
    const env = { ...process.env, OFFICE_MANIFEST_XSD_DIR: empty };
    const good = await run("node", ["scripts/validate-outlook-manifest.mjs", join(out, "outlook/manifest.xml")], { cwd: ROOT, env });
    expect(good.stdout).toContain(`XSD check skipped — no Office manifest schemas at ${empty}`);
    expect(good.stdout).toContain("manifest.xml: valid (offline: SupportsPinning + resids + URLs)");
    const file = join(out, "http.xml");
    await writeFile(
      file,
      (await readFile(join(out, "outlook/manifest.xml"), "utf8")).replace('<SupportUrl DefaultValue="https://', '<SupportUrl DefaultValue="http://'),
    );
    const bad = await run("node", ["scripts/validate-outlook-manifest.mjs", file], { cwd: ROOT, env }).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(bad?.code).toBe(1);
    expect(bad?.stderr).toContain("not HTTPS: http://addins.example.org/rvi/support.html");
  });

  const broken = async (name: string, edit: (xml: string) => string) => {
    const file = join(out, name);
    await writeFile(file, edit(await readFile(join(out, "outlook/manifest.xml"), "utf8")));
    return validate(file, "--base", "https://addins.example.org/rvi/");
  };

  it("what the 2019 XSDs do not know is checked by its own rules: SupportsPinning in V1_0, or not true/false", async () => {
    const r = await broken("pin.xml", (x) =>
      x.replace(
        '<SourceLocation resid="Taskpane.Url"/>\n                  </Action>',
        '<SourceLocation resid="Taskpane.Url"/>\n<SupportsPinning>yes</SupportsPinning></Action>',
      ),
    );
    expect(r.ok).toBe(false);
    expect(r.out).toContain("SupportsPinning: allowed only inside VersionOverridesV1_1 (Mailbox 1.5)");
    expect(r.out).toContain('SupportsPinning: "yes" is not true or false');
    const newer = await broken("newer.xml", (x) =>
      x.replace("<SupportsPinning>true</SupportsPinning>", "<SupportsPinning>true</SupportsPinning><ExtendedPermissions/>"),
    );
    expect(newer.out).toContain("ExtendedPermissions: newer than the offline schemas");
  });

  it("a dangling resid, a resid of the wrong kind, and a page outside the base URL are caught", async () => {
    const r = await broken("resids.xml", (x) =>
      x
        .replace('<Label resid="Invite.Label"/>', '<Label resid="Missing.Label"/>')
        .replace('<SourceLocation resid="Compose.Url"/>', '<SourceLocation resid="Invite.Tip"/>')
        .replace(
          '<bt:Url id="Taskpane.Url" DefaultValue="https://addins.example.org/rvi/taskpane.html"/>',
          '<bt:Url id="Taskpane.Url" DefaultValue="https://elsewhere.example.net/taskpane.html"/>',
        ),
    );
    expect(r.ok).toBe(false);
    expect(r.out).toContain("dangling resid: Missing.Label (VersionOverridesV1_0)");
    expect(r.out).toContain("resid Invite.Tip on <SourceLocation> names a LongStrings resource");
    expect(r.out).toContain("not under the base URL https://addins.example.org/rvi/: https://elsewhere.example.net/taskpane.html");
  });
});
