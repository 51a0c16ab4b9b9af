// F21: after a SCRAM login the keys are kept instead of the password, both hosts alike (the
// shared holder decides, src/engine/credentials.ts); the keys log in alone after a restart; a
// server whose salt changes at every login gets the password kept, learned at the first login
// (issue 21, item 7), so a restart never asks for it; once SCRAM has worked, PLAIN alone is refused.
import { appendFile, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startProsody, stopProsody } from "../../scripts/prosody.mjs";
import { DEFAULT_SETTINGS, isProblem, problemOf, type Settings } from "../../src/core";
import { afterLogin, readCredentials, type StoredCredentials } from "../../src/engine/credentials";
import { engineHolder } from "../../src/engine/holder";
import { stopEngines, testEngine } from "../kit/engine";
import { prosodyStoring } from "../kit/storage-prosody";
import { ejabberdServer, server, until, users, usersOn, type XmppServer } from "../kit/xmpp";

afterEach(stopEngines);

type Kept = { settings: Settings; credentials?: StoredCredentials };

/**
 * A host's storage as both hosts keep it: settings (with the password until it goes) and
 * credentials; given what an earlier start left (`from`), the host as it starts again.
 */
function host(initial: Partial<Settings>, from?: Kept) {
  const kept: Kept = from ?? { settings: { ...DEFAULT_SETTINGS, ...initial } };
  const holder = engineHolder({
    settings: async () => kept.settings,
    needsAccount: () => "No XMPP account is set up here: enter yours below.",
    create: (account) => testEngine({ ...account, resource: `h${Date.now()}` }),
    credentials: {
      load: async () => kept.credentials,
      save: async (c) => void (kept.credentials = c),
      forgetPassword: async () => void (kept.settings = { ...kept.settings, password: "" }),
    },
  });
  return { holder, kept };
}

describe("F21 no clear password at rest", () => {
  it("the first login keeps the SCRAM keys and forgets the password; the keys log in after a restart", async () => {
    const { alice } = await users("alice");
    const { holder, kept } = host({ service: alice.service, jid: alice.jid, password: alice.password });
    await holder.get();
    await until(() => kept.settings.password === "", "the password forgotten");
    expect(JSON.stringify(kept)).not.toContain(alice.password!);
    expect(kept.credentials?.keys).toMatchObject({ mechanism: "SCRAM-SHA-1", iterations: expect.any(Number) as number });
    await holder.restart();
    const again = await holder.get();
    expect(again.connection?.xmpp.status).toBe("online");
  });

  it("keys that no longer fit ask for the password in the account form, saying why", async () => {
    const { alice, bob } = await users("alice", "bob");
    const b = host({ service: bob.service, jid: bob.jid, password: bob.password });
    await b.holder.get();
    await until(() => b.kept.credentials?.keys, "bob's keys kept");
    // alice's storage holds keys made with another salt (as after the server reset her password)
    const withKeys = engineHolder({
      settings: async () => ({ ...DEFAULT_SETTINGS, service: alice.service, jid: alice.jid, password: "" }),
      needsAccount: () => "No XMPP account",
      create: (account) => testEngine({ ...account, resource: "stale" }),
      credentials: { load: async () => b.kept.credentials, save: async () => undefined, forgetPassword: async () => undefined },
    });
    const err = await withKeys.get().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isProblem(err, "needs-password")).toBe(true);
    expect((err as Error).message).toMatch(/needs the password .* again/);
  });
});

describe("F21 what is kept, decided once for both hosts", () => {
  const keys = (salt: string) => ({ mechanism: "SCRAM-SHA-256", salt, iterations: 4096, clientKey: "Y2s=", serverKey: "c2s=" });
  it("a SCRAM login replaces the password with its keys", () => {
    expect(afterLogin(undefined, { mechanism: "SCRAM-SHA-256", keys: keys("a") })).toEqual({
      keep: { keys: keys("a"), keepPassword: false },
      dropPassword: true,
    });
  });
  it("a salt that moved between two logins means the server needs the password itself: it is kept from then on", () => {
    const after = afterLogin({ keys: keys("a") }, { mechanism: "SCRAM-SHA-256", keys: keys("b") });
    expect(after).toEqual({ keep: { keys: keys("b"), keepPassword: true }, dropPassword: false });
    expect(afterLogin(after.keep, { mechanism: "SCRAM-SHA-256", keys: keys("c") }).dropPassword).toBe(false);
  });
  it("keys read back from storage are checked: malformed ones are dropped and the password is asked for", () => {
    expect(readCredentials({ keys: keys("a"), keepPassword: true })).toEqual({ keys: keys("a"), keepPassword: true });
    expect(readCredentials({ keys: { ...keys("a"), iterations: "4096" } })).toEqual({ keys: undefined, keepPassword: false });
    expect(readCredentials("garbage")).toBeUndefined();
  });

  it("the first login's second exchange decides: a salt that moves keeps the password, a stable one lets it go", () => {
    expect(afterLogin(undefined, { mechanism: "SCRAM-SHA-256", keys: keys("a"), saltStable: false })).toEqual({
      keep: { keys: keys("a"), keepPassword: true },
      dropPassword: false,
    });
    expect(afterLogin({ keys: keys("a"), keepPassword: true }, { mechanism: "SCRAM-SHA-256", keys: keys("a"), saltStable: true })).toEqual({
      keep: { keys: keys("a"), keepPassword: false },
      dropPassword: true,
    });
  });

  it("a PLAIN login keeps the password (it is what logs in)", () => {
    expect(afterLogin(undefined, { mechanism: "PLAIN" })).toEqual({ keep: { keepPassword: true }, dropPassword: false });
  });
});

describe("F21 keys that last, or a password asked once (issue 21, item 7)", () => {
  let plain: Awaited<ReturnType<typeof prosodyStoring>> | undefined;
  beforeAll(async () => void (plain = await prosodyStoring("internal_plain")));
  afterAll(() => plain?.stop());
  const kinds: [string, () => XmppServer, boolean][] = [
    ["Prosody internal_hashed", server, false],
    ["Prosody internal_plain", () => plain!.info, true],
    ["ejabberd, auth_password_format: plain (its default)", ejabberdServer, true],
  ];
  it.each(kinds)("%s: after one login and a restart from what was kept, it logs in without asking for the password", async (_name, info, saltMoves) => {
    const { alice } = await usersOn(info(), "alice");
    const first = host({ service: alice.service, jid: alice.jid, password: alice.password });
    await first.holder.get();
    await until(() => first.kept.credentials?.keys, "the login's keys kept");
    // the password goes only where the keys will log in again
    expect(first.kept.credentials?.keepPassword).toBe(saltMoves);
    expect(first.kept.settings.password).toBe(saltMoves ? alice.password : "");
    await first.holder.restart();

    const again = host({}, first.kept); // a new holder from what the host stored (the add-in restarted)
    const e = await again.holder.get();
    expect(e.connection?.xmpp.status).toBe("online");
    await again.holder.restart();
    const third = await host({}, again.kept).holder.get();
    expect(third.connection?.xmpp.status).toBe("online");
  });
});

describe("F21 after SCRAM, PLAIN alone is refused (issue 21, item 6)", () => {
  it("a Prosody set up again to offer PLAIN only: refused with or without the password, unless IT's policy allows it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "rvi-plain-after-scram-"));
    try {
      const prosody = await startProsody({ dir, users: { alice: "alice-pw" }, tls: server().tls });
      const first = host({ service: prosody.secureService, jid: "alice@localhost", password: "alice-pw" });
      await first.holder.get();
      await until(() => first.kept.settings.password === "" && first.kept.credentials?.keys, "the keys kept, the password forgotten");
      await first.holder.restart();
      await stopProsody(dir);
      // the same server, the same address: SCRAM taken away (as a man in the middle would offer)
      await appendFile(
        join(dir, "prosody.cfg.lua"),
        '\nVirtualHost "localhost" { disable_sasl_mechanisms = { "SCRAM-SHA-1"; "SCRAM-SHA-1-PLUS"; "SCRAM-SHA-256"; "SCRAM-SHA-256-PLUS" } }\n',
      );
      await startProsody({ dir, ports: { c2sPort: prosody.c2sPort, httpPort: prosody.httpPort, httpsPort: prosody.httpsPort }, tls: server().tls });

      const keysOnly = await host({}, structuredClone(first.kept))
        .holder.get()
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(problemOf(keysOnly).code).toBe("plain-after-scram"); // not "needs-password": typing it would hand it over
      expect((keysOnly as Error).message).toMatch(/now offers only PLAIN, which would hand it the password itself.*allowPlainAfterScram/);
      const typed = { ...structuredClone(first.kept), settings: { ...first.kept.settings, password: "alice-pw" } };
      const retyped = host({}, typed);
      expect(
        problemOf(
          await retyped.holder.get().then(
            () => undefined,
            (e: unknown) => e,
          ),
        ).code,
      ).toBe("plain-after-scram");
      expect(retyped.kept.credentials?.keepPassword).toBe(false); // nothing learned from the refused server

      const allowed = host({}, { ...typed, settings: { ...typed.settings, allowPlainAfterScram: true } });
      const logins: string[] = [];
      allowed.holder.on("login", (r) => logins.push(r.mechanism));
      expect((await allowed.holder.get()).connection?.xmpp.status).toBe("online");
      expect(logins).toEqual(["PLAIN"]);
    } finally {
      await stopEngines();
      await stopProsody(dir, { purge: true });
    }
  });
});
