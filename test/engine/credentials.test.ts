// F21: after a SCRAM login the keys are kept instead of the password, both hosts alike (the
// shared holder decides, src/engine/credentials.ts); the keys log in alone after a restart; a
// server whose salt changes at every login gets the password kept, after asking for it once.
import { DEFAULT_SETTINGS, isProblem, type Settings } from "../../src/core";
import { afterLogin, readCredentials, type StoredCredentials } from "../../src/engine/credentials";
import { engineHolder } from "../../src/engine/holder";
import { stopEngines, testEngine } from "../kit/engine";
import { until, users } from "../kit/xmpp";

afterEach(stopEngines);

/** A host's storage as both hosts keep it: settings (with the password until it goes) and credentials. */
function host(initial: Partial<Settings>) {
  const kept: { settings: Settings; credentials?: StoredCredentials } = { settings: { ...DEFAULT_SETTINGS, ...initial } };
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
    const err = await withKeys.get().then(() => undefined, (e: unknown) => e);
    expect(isProblem(err, "needs-password")).toBe(true);
    expect((err as Error).message).toMatch(/needs the password .* again/);
  });
});

describe("F21 what is kept, decided once for both hosts", () => {
  const keys = (salt: string) => ({ mechanism: "SCRAM-SHA-256", salt, iterations: 4096, clientKey: "Y2s=", serverKey: "c2s=" });
  it("a SCRAM login replaces the password with its keys", () => {
    expect(afterLogin(undefined, { mechanism: "SCRAM-SHA-256", keys: keys("a") })).toEqual({ keep: { keys: keys("a"), keepPassword: false }, dropPassword: true });
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

  it("a PLAIN login keeps the password (it is what logs in)", () => {
    expect(afterLogin(undefined, { mechanism: "PLAIN" })).toEqual({ keep: { keepPassword: true }, dropPassword: false });
  });
});
