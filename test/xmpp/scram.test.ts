// F23 SCRAM through WebCrypto, checked against the RFCs' own examples, and the server's proof.
import { scramExchange, ScramError } from "../../src/xmpp/scram";

describe("F23 SASL SCRAM (RFC 5802, RFC 7677)", () => {
  it("SCRAM-SHA-1: the RFC 5802 example, message for message", async () => {
    const s = scramExchange({ mechanism: "SCRAM-SHA-1", username: "user", password: "pencil", nonce: "fyko+d2lbbFgONRv9qkxdawL" });
    expect(s.first()).toBe("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL");
    expect(await s.final("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096")).toBe(
      "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=",
    );
    await expect(s.verify("v=rmF9pqV8S7suAoZWja4dJRkFsKQ=")).resolves.toBeUndefined();
  });

  it("SCRAM-SHA-256: the RFC 7677 example", async () => {
    const s = scramExchange({ mechanism: "SCRAM-SHA-256", username: "user", password: "pencil", nonce: "rOprNGfwEbeRWgbNEkqO" });
    expect(await s.final("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")).toBe(
      "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
    );
    await expect(s.verify("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")).resolves.toBeUndefined();
  });

  it("a server that cannot prove it knows the password is refused", async () => {
    const s = scramExchange({ mechanism: "SCRAM-SHA-256", username: "user", password: "pencil", nonce: "rOprNGfwEbeRWgbNEkqO" });
    await s.final("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");
    await expect(s.verify("v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")).rejects.toMatchObject({ condition: "server-not-proven" });
  });

  it("a server nonce that does not extend ours, or no salt, is refused", async () => {
    const s = scramExchange({ mechanism: "SCRAM-SHA-1", username: "user", password: "pencil", nonce: "abc" });
    await expect(s.final("r=xyz123,s=QSXCR+Q6sek8bf92,i=4096")).rejects.toBeInstanceOf(ScramError);
    await expect(s.final("r=abc123,i=4096")).rejects.toMatchObject({ condition: "bad-server-message" });
  });

  it("the kept keys log in without the password, and a new salt asks for it again", async () => {
    const first = scramExchange({ mechanism: "SCRAM-SHA-1", username: "user", password: "pencil", nonce: "fyko+d2lbbFgONRv9qkxdawL" });
    const proof = await first.final("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096");
    const keys = first.keys!;
    expect(JSON.stringify(keys)).not.toContain("pencil");
    expect(keys).toMatchObject({ mechanism: "SCRAM-SHA-1", salt: "QSXCR+Q6sek8bf92", iterations: 4096 });
    const again = scramExchange({ mechanism: "SCRAM-SHA-1", username: "user", keys, nonce: "fyko+d2lbbFgONRv9qkxdawL" });
    expect(await again.final("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096")).toBe(proof);
    await expect(again.verify("v=rmF9pqV8S7suAoZWja4dJRkFsKQ=")).resolves.toBeUndefined();
    const salted = scramExchange({ mechanism: "SCRAM-SHA-1", username: "user", keys, nonce: "fyko" });
    await expect(salted.final("r=fyko123,s=bmV3c2FsdA==,i=4096")).rejects.toMatchObject({ condition: "needs-password" });
  });

  it("escapes = and , in the user name", () => {
    expect(scramExchange({ mechanism: "SCRAM-SHA-1", username: "a=b,c", password: "x", nonce: "n" }).first()).toBe("n,,n=a=3Db=2Cc,r=n");
  });
});

describe("F23 logging in to the run's Prosody", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { connect } = require("../../src/xmpp/connection") as typeof import("../../src/xmpp/connection");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { users } = require("../kit/xmpp") as typeof import("../kit/xmpp");

  it("chooses SCRAM over PLAIN, and then logs in with the kept keys alone", async () => {
    const { alice } = await users("alice");
    const seen: { mechanism: string; keys?: object }[] = [];
    const c = await connect({ account: alice, onLogin: (r) => seen.push(r) });
    await c.stop();
    // Prosody's default storage (internal_hashed) keeps SCRAM-SHA-1 keys, so that is its strongest
    expect(seen[0]?.mechanism).toBe("SCRAM-SHA-1");
    const keys = seen[0]!.keys as import("../../src/xmpp/scram").ScramKeys;
    expect(JSON.stringify(keys)).not.toContain(alice.password!);
    const again = await connect({ account: { ...alice, password: undefined, scram: keys } });
    expect(again.xmpp.status).toBe("online");
    await again.stop();
  });

  it("PLAIN still works where it is the choice (loopback here; TLS elsewhere)", async () => {
    const { alice } = await users("alice");
    const seen: string[] = [];
    await (await connect({ account: alice, mechanism: "PLAIN", onLogin: (r) => seen.push(r.mechanism) })).stop();
    expect(seen).toEqual(["PLAIN"]);
  });

  it("kept keys that do not fit (another salt) ask for the password again", async () => {
    const { alice, bob } = await users("alice", "bob");
    let bobsKeys: import("../../src/xmpp/scram").ScramKeys | undefined;
    await (await connect({ account: bob, onLogin: (r) => (bobsKeys = r.keys) })).stop();
    await expect(connect({ account: { ...alice, password: undefined, scram: bobsKeys } })).rejects.toMatchObject({ problem: "needs-password" });
  });
});
