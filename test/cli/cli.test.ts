// The command-line front, run as IT would run it: the built dist/cli.mjs in a child process.
import { spawn } from "node:child_process";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { buildToTemp, run } from "../kit/build";
import { server, until, users } from "../kit/xmpp";
import { stopEngines, testEngine } from "../kit/engine";

let out: string;
let cli: string;

beforeAll(async () => {
  ({ out } = await buildToTemp());
  cli = join(out, "cli.mjs");
}, 60_000);
afterAll(() => rm(out, { recursive: true, force: true }));
afterEach(() => stopEngines());

function rvi(args: string[], env: Record<string, string> = {}) {
  return run("node", [cli, ...args], { env: { ...process.env, ...env }, timeout: 30_000 }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

describe("F20 doctor", () => {
  it("reports what the server offers and exits 0 when usable", async () => {
    const { alice } = await users("alice");
    const r = await rvi(["doctor", "--service", alice.service, "--jid", alice.jid, "--password-env", "RVI_PW", "--origin", "https://addin.example.org"], {
      RVI_PW: alice.password!,
    });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({
      usable: true,
      missing: [],
      support: { streamManagement: true, mam: true, carbons: true, muc: server().mucDomain, mucArchive: true },
      guest: { domain: server().guestDomain, ok: true },
      uploadCors: { origin: "https://addin.example.org", ok: true },
    });
    expect(r.stderr).toMatch(/ok\s+file upload \(XEP-0363\): upload\.localhost, up to 10485760 bytes/);
    expect(r.stderr).toMatch(/ok\s+upload from the add-in's pages \(CORS\): http:\/\/127\.0\.0\.1:\d+ lets https:\/\/addin\.example\.org PUT/);
    expect(r.stderr).toMatch(/Usable, with everything\.\n$/);
  });

  it("without --origin: usable, the CORS check missing with how to make it; a bad --origin is refused", async () => {
    const { alice } = await users("alice");
    const r = await rvi(["doctor", "--service", alice.service, "--jid", alice.jid, "--password-env", "RVI_PW"], { RVI_PW: alice.password! });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/MISSING upload from the add-in's pages \(CORS\): not checked here.*--origin/);
    expect(r.stderr).toMatch(/Usable; the add-in works without upload from the add-in's pages \(CORS\)\.\n$/);
    const bad = await rvi(
      ["doctor", "--service", alice.service, "--jid", alice.jid, "--password-env", "RVI_PW", "--origin", "https://addin.example.org/pages/"],
      { RVI_PW: alice.password! },
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--origin takes an origin such as https:\/\/addin\.example\.org .*\(no path\)/);
  });

  it("a wrong password: non-zero exit and the reason", async () => {
    const { alice } = await users("alice");
    const r = await rvi(["doctor", "--service", alice.service, "--jid", alice.jid, "--password-env", "RVI_PW"], { RVI_PW: "nope" });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/refused the password for .* check the XMPP address and password/);
  });

  it("never takes a password on the command line", async () => {
    const r = await rvi(["doctor", "--service", "ws://127.0.0.1:1/x", "--jid", "a@localhost", "--password", "secret"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--password is not accepted.*--password-env/);
    const r2 = await rvi(["doctor", "--service", "ws://127.0.0.1:1/x", "--jid", "a@localhost", "--password-env", "UNSET_VAR_X"]);
    expect(r2.stderr).toMatch(/UNSET_VAR_X \(named by --password-env\) is not set/);
  });
});

describe("F1–F3 send and listen", () => {
  it("bob listens; alice sends with earlier emails: delivered, and bob prints it with alice's email — his own, as her client tells it, left out and counted", async () => {
    const { alice, bob } = await users("alice", "bob");
    const hers = join(out, "earlier-hers.eml");
    const his = join(out, "earlier-his.eml");
    await writeFile(
      hers,
      `From: ${alice.jid}\r\nTo: ${bob.jid}\r\nSubject: Quarterly report\r\nDate: Mon, 2 Nov 2026 09:00:00 +0000\r\nMessage-ID: <q3@mail.example.org>\r\n\r\nHere is the Q3 report.\r\n`,
    );
    await writeFile(
      his,
      `From: ${bob.jid}\r\nTo: ${alice.jid}\r\nSubject: Re: Quarterly report\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\nMessage-ID: <q3-re@mail.example.org>\r\n\r\nThanks, reading it.\r\n`,
    );
    const listener = spawn(
      "node",
      [cli, "listen", "--service", bob.service, "--jid", bob.jid, "--password-env", "RVI_PW", "--for", "20", "--contact", alice.jid],
      { env: { ...process.env, RVI_PW: bob.password! } },
    );
    let lines = "";
    listener.stdout.on("data", (d) => (lines += d));
    try {
      await new Promise<void>((ok) => listener.stderr.on("data", (d) => String(d).includes("listening as") && ok()));
      const r = await rvi(
        [
          "send",
          "--service",
          alice.service,
          "--jid",
          alice.jid,
          "--password-env",
          "RVI_PW",
          "--to",
          bob.jid,
          "--text",
          "Did you see the report?",
          "--eml",
          hers,
          "--eml",
          his,
          "--wait",
          "5",
        ],
        { RVI_PW: alice.password! },
      );
      expect(JSON.parse(r.stdout)).toMatchObject({ outcome: "delivered", to: bob.jid });
      for (let i = 0; i < 100 && !lines.includes("\n"); i++) await new Promise((res) => setTimeout(res, 50));
      const got = JSON.parse(lines.split("\n")[0]!) as { history: { items: unknown[]; yours?: number } };
      expect(got).toMatchObject({ from: alice.jid, text: "Did you see the report?" });
      expect(got.history.items).toEqual([
        expect.objectContaining({ kind: "email", direction: "in", from: alice.jid, subject: "Quarterly report", text: "Here is the Q3 report." }),
      ]);
      expect(got.history.yours).toBe(1); // what anyone's client says bob wrote is not taken as his words (issue 21)
    } finally {
      listener.kill("SIGTERM");
    }
  });

  it("listen --answer: a contact that answers every IM (for IT and the demo)", async () => {
    const { alice, bob } = await users("alice", "bob");
    const listener = spawn(
      "node",
      [cli, "listen", "--service", bob.service, "--jid", bob.jid, "--password-env", "RVI_PW", "--for", "20", "--answer", "Bob here — you said: {text}"],
      { env: { ...process.env, RVI_PW: bob.password! } },
    );
    try {
      await new Promise<void>((ok) => listener.stderr.on("data", (d) => String(d).includes("listening as") && ok()));
      const a = testEngine(alice);
      const got: string[] = [];
      a.events.on("message", (m) => got.push(m.text));
      await a.start();
      expect((await a.replyViaIm("Lunch at 1?", { to: bob.jid })).state).toBe("delivered");
      await until(() => got.length > 0, "bob's answer");
      expect(got).toEqual(["Bob here — you said: Lunch at 1?"]);
    } finally {
      listener.kill("SIGTERM");
    }
  });

  it("nobody listening (bob shares no presence): kept, the server takes it, not confirmed until --wait runs out; a bad .eml is refused clearly", async () => {
    const { alice, bob } = await users("alice", "bob");
    const r = await rvi(
      ["send", "--service", alice.service, "--jid", alice.jid, "--password-env", "RVI_PW", "--to", bob.jid, "--text", "hello?", "--wait", "1"],
      { RVI_PW: alice.password! },
    );
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: "sent", to: bob.jid }); // never "delivered": nobody confirmed it
    const bad = join(out, "bad.eml");
    await writeFile(bad, "not an email at all");
    const r2 = await rvi(["send", "--service", alice.service, "--jid", alice.jid, "--password-env", "RVI_PW", "--to", bob.jid, "--text", "x", "--eml", bad], {
      RVI_PW: alice.password!,
    });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/bad\.eml: This file is not an email/);
  });

  it("convert when offline prints the email draft", async () => {
    const { alice, bob } = await users("alice", "bob");
    const r = await rvi(
      ["send", "--service", alice.service, "--jid", alice.jid, "--password-env", "RVI_PW", "--to", bob.jid, "--text", "call me", "--when-offline", "convert"],
      { RVI_PW: alice.password! },
    );
    const o = JSON.parse(r.stdout) as { draft: { text: string } };
    expect(o).toMatchObject({ outcome: "converted", draft: { to: [bob.jid], subject: "Re: (no subject)" } });
    expect(o.draft.text).toContain("call me");
  });
});
