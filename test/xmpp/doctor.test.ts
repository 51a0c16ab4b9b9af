// The doctor for real deployments (F20, F23): every piece found or not, and for each missing one
// what to ask IT for. Against the run's Prosody (over TLS) and the hardened one, and against a
// Prosody started here with pieces taken away — PLAIN only, no carbons, rooms without archive,
// uploads without CORS, no guest host, plain ws:// — plus a second host without stream
// management and archive, which is not usable. That server also publishes its WebSocket in
// host-meta through Prosody's own mod_http_files, as docs/servers.md tells IT to.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { startProsody, type ProsodyServer } from "../../scripts/prosody.mjs";
import { diagnose, preflight, type Diagnosis } from "../../src/xmpp/doctor";
import { scramServer, server, usersOn } from "../kit/xmpp";

const run = promisify(execFile);
const ORIGIN = "https://addin.example.org";
const check = (d: Diagnosis, what: string) => d.checks.find((c) => c.what.startsWith(what));

describe("F23 doctor on the run's servers", () => {
  it("the run's Prosody: every piece found, nothing to ask for", async () => {
    const { alice } = await usersOn(server(), "alice");
    const d = await diagnose(alice, { origin: ORIGIN });
    expect(d).toMatchObject({
      usable: true,
      missing: [],
      asks: [],
      mechanism: "SCRAM-SHA-1",
      endpoint: { how: "given" },
      guest: { domain: "guest.localhost", ok: true },
      uploadCors: { origin: ORIGIN, ok: true },
      support: { mucArchive: true },
    });
    expect(check(d, "TLS")).toMatchObject({ ok: true, note: expect.stringMatching(/^wss:\/\//) });
    expect(check(d, "SCRAM login")?.note).toMatch(/SCRAM-SHA-256 is not offered .*internal_hashed.*password_hash = "SHA-256"/);
    expect(check(d, "group chat archive")?.note).toBe("conference.localhost archives its rooms");
    expect(check(d, "upload from the add-in's pages")?.note).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+ lets ${ORIGIN} PUT$`));
    expect(check(d, "guest host")?.note).toMatch(/^a guest logged in as .+@guest\.localhost\//);
    expect(d.checks.every((c) => c.ask === undefined)).toBe(true);
  });

  it("the hardened server: SCRAM-SHA-256; without an origin the CORS check says how to make it", async () => {
    const { alice } = await usersOn(scramServer(), "alice");
    const d = await diagnose(alice);
    expect(d).toMatchObject({ usable: true, mechanism: "SCRAM-SHA-256", uploadCors: undefined, missing: ["upload from the add-in's pages (CORS)"] });
    expect(check(d, "SCRAM login")).toMatchObject({ ok: true, note: "SCRAM-SHA-256" });
    expect(check(d, "upload from the add-in's pages")?.note).toMatch(/not checked here.*reply-via-im doctor --origin/);
  });
});

describe("F23 doctor: what SCRAM-SHA-256 needs in Prosody", () => {
  it('internal_hashed with password_hash = "SHA-256": the accounts log in with SCRAM-SHA-256', async () => {
    const prosody = await startProsody({
      dir: await mkdtemp(join(tmpdir(), "rvi-doctor-sha256-")),
      users: { alice: "alice-pw" },
      extraConfig: `VirtualHost "localhost" { password_hash = "SHA-256" }`,
    });
    try {
      const d = await diagnose({ service: prosody.service, jid: "alice@localhost", password: "alice-pw" });
      expect(d.mechanism).toBe("SCRAM-SHA-256");
      expect(check(d, "SCRAM login")).toMatchObject({ ok: true, note: "SCRAM-SHA-256" });
    } finally {
      await prosody.stop({ purge: true });
    }
  });
});

describe("F23 doctor on a server with pieces missing", () => {
  let prosody: ProsodyServer;
  const other = "other.localhost";
  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), "rvi-doctor-"));
    const www = join(dir, "www");
    await mkdir(join(www, ".well-known"), { recursive: true });
    // the same pieces as the run's server, then each taken away by naming its section again
    prosody = await startProsody({
      dir,
      tls: server().tls,
      extraConfig: `
VirtualHost "localhost" { disable_sasl_mechanisms = { "SCRAM-SHA-1"; "SCRAM-SHA-256" }; modules_disabled = { "carbons" };
  modules_enabled = { "http_files" }; http_files_dir = ${JSON.stringify(www)}; http_paths = { files = "/" } }
Component "conference.localhost" "muc" { modules_enabled = { } }
VirtualHost "guest.localhost" { enabled = false }
VirtualHost "${other}" { modules_disabled = { "smacks"; "mam" } }
http_cors_override = { bosh = { enabled = true }; websocket = { enabled = true }; file_share = { enabled = false } }
`,
    });
    const link = `wss://localhost:${prosody.httpsPort}/xmpp-websocket`;
    await writeFile(
      join(www, ".well-known", "host-meta"),
      `<?xml version="1.0" encoding="utf-8"?>
<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">
  <Link rel="urn:xmpp:alt-connections:websocket" href="${link}"/>
</XRD>
`,
    );
    await run("prosodyctl", ["--config", join(dir, "prosody.cfg.lua"), "register", "erin", other, "erin-pw"]);
  }, 30_000);
  afterAll(() => prosody?.stop({ purge: true }));

  it("usable, and each missing piece says what to ask IT for", async () => {
    const d = await diagnose({ service: prosody.service, jid: "alice@localhost", password: prosody.users.alice }, { origin: ORIGIN });
    expect(d.usable).toBe(true);
    expect(d.advice).toBeUndefined();
    expect(d.missing).toEqual([
      "TLS",
      "SCRAM login (the password is not kept)",
      "carbons (XEP-0280)",
      "group chat archive (XEP-0313 on the rooms)",
      "upload from the add-in's pages (CORS)",
      "guest host for the join page (anonymous login)",
    ]);
    expect(d.mechanism).toBe("PLAIN");
    expect(check(d, "SCRAM login")?.note).toBe("PLAIN: the server offers no SCRAM, so the add-in must keep the password itself");
    expect(check(d, "TLS")?.ask).toMatch(/over TLS \(wss:\/\/\)/);
    expect(check(d, "SCRAM login")?.ask).toMatch(/internal_hashed/);
    expect(check(d, "carbons")?.ask).toMatch(/mod_carbons.*mod_carboncopy/);
    expect(check(d, "group chat (XEP-0045)")).toMatchObject({ ok: true, note: "rooms on conference.localhost" });
    expect(check(d, "group chat archive")).toMatchObject({ note: "conference.localhost keeps no archive", ask: expect.stringMatching(/muc_mam.*mam: true/) });
    expect(check(d, "upload from the add-in's pages")).toMatchObject({
      // with the upload's own CORS off, Prosody answers the OPTIONS as the site's files do (GET only)
      note: expect.stringMatching(
        new RegExp(
          `^http://127\\.0\\.0\\.1:\\d+ refuses a PUT from ${ORIGIN}: it does not allow PUT \\(Access-Control-Allow-Methods: (GET, OPTIONS|OPTIONS, GET)\\); it does not allow the header authorization$`,
        ),
      ),
      ask: expect.stringMatching(/custom_headers/),
    });
    expect(check(d, "guest host")?.note).toMatch(/^no guest login on guest\.localhost: /);
    expect(d.asks).toHaveLength(6);
    expect(d.uploadCors).toEqual({ origin: ORIGIN, ok: false });
  });

  it("a guest host given by name is tried instead of guest.<domain>", async () => {
    const d = await diagnose({ service: prosody.service, jid: "alice@localhost", password: prosody.users.alice }, { guestDomain: "nowhere.localhost" });
    expect(d.guest).toEqual({ domain: "nowhere.localhost", ok: false });
  });

  it("no stream management and no archive: not usable, and the advice names both", async () => {
    const d = await diagnose({ service: prosody.secureService!, jid: `erin@${other}`, password: "erin-pw" });
    expect(d.usable).toBe(false);
    expect(d.missing).toEqual(expect.arrayContaining(["stream management (XEP-0198)", "message archive (XEP-0313)"]));
    expect(d.advice).toMatch(
      /^The server lacks stream management \(XEP-0198\) and message archive \(XEP-0313\)\. Ask your XMPP administrator to enable it: .*mod_smacks.*mod_mam/,
    );
    expect(check(d, "TLS")?.ok).toBe(true);
  });

  it("the endpoint found in host-meta served by Prosody's mod_http_files (XEP-0156)", async () => {
    const d = await diagnose({ jid: "alice@localhost", password: prosody.users.alice }, { discovery: { origin: `https://localhost:${prosody.httpsPort}` } });
    expect(d.endpoint).toEqual({ service: prosody.secureService, how: "discovered", from: `https://localhost:${prosody.httpsPort}/.well-known/host-meta` });
    expect(check(d, "WebSocket endpoint")?.note).toMatch(/found in https:\/\/localhost:\d+\/\.well-known\/host-meta$/);
    // the add-in's pages read it from their own origin: mod_http_files allows any (it echoes it)
    const res = await fetch(`https://localhost:${prosody.httpsPort}/.well-known/host-meta`, { headers: { Origin: ORIGIN } });
    expect(res.headers.get("access-control-allow-origin")).toBe(ORIGIN);
  });

  it("a preflight is judged as a browser would: origin, method and headers", async () => {
    const answer =
      (h: Record<string, string>, status = 200) =>
      () =>
        Promise.resolve(new Response(null, { status, headers: h }));
    const url = "https://upload.example.org/slot/1";
    expect(
      await preflight(
        url,
        ORIGIN,
        ["content-type"],
        answer({ "access-control-allow-origin": "*", "access-control-allow-methods": "GET, PUT", "access-control-allow-headers": "Content-Type" }),
      ),
    ).toBe("");
    expect(
      await preflight(
        url,
        ORIGIN,
        ["content-type"],
        answer(
          {
            "access-control-allow-origin": "https://upload.example.org",
            "access-control-allow-methods": "GET",
            "access-control-allow-headers": "Authorization",
          },
          403,
        ),
      ),
    ).toBe(
      "it answered 403; it allows only https://upload.example.org; it does not allow PUT (Access-Control-Allow-Methods: GET); it does not allow the header content-type",
    );
  });
});
