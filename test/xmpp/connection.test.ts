import { freePort } from "../../scripts/lib/process.mjs";
import { checkService, connect, ConnectionError, describeFailure } from "../../src/xmpp/connection";
import { choose, serverSalt, type LoginResult } from "../../src/xmpp/sasl";
import { ScramError } from "../../src/xmpp/scram";
import { prosodyStoring } from "../kit/storage-prosody";
import { account, ejabberdServer, login, logoutAll, server, usersOn, type XmppServer } from "../kit/xmpp";

afterEach(logoutAll);

describe("F21 connection", () => {
  it("logs in over WebSocket with stream management enabled before anything is sent", async () => {
    const c = await login("alice");
    expect(c.bare).toBe(`alice@${server().domain}`);
    expect(c.jid).toMatch(new RegExp(`^alice@${server().domain}/`));
    expect(c.xmpp.streamManagement.enabled).toBe(true);
  });

  it("refuses ws:// to anything but loopback, and non-WebSocket addresses", () => {
    expect(() => checkService("ws://chat.example.org/xmpp-websocket")).toThrow(/without encryption.*wss:\/\//);
    expect(() => checkService("https://chat.example.org/")).toThrow(/not a WebSocket address/);
    expect(() => checkService("nonsense")).toThrow(/not a WebSocket address/);
    expect(checkService("wss://chat.example.org/xmpp-websocket").protocol).toBe("wss:");
    expect(checkService("ws://[::1]:5280/xmpp-websocket").hostname).toBe("[::1]");
  });

  it("a wrong password says so and names the account", async () => {
    const err = (await connect({ account: { ...account("alice"), password: "wrong" } }).catch((e: unknown) => e)) as ConnectionError;
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.problem).toBe("wrong-password");
    expect(err.message).toMatch(/refused the password for alice@localhost: check the XMPP address and password/);
  });

  it("a dead server is 'unreachable' quickly, not a hang or a tight loop", async () => {
    const port = await freePort();
    const t = Date.now();
    const err = (await connect({ account: { ...account("alice"), service: `ws://127.0.0.1:${port}/xmpp-websocket` } }).catch(
      (e: unknown) => e,
    )) as ConnectionError;
    expect(err.problem).toBe("unreachable");
    expect(err.message).toMatch(/Cannot reach the XMPP server at ws:\/\/127\.0\.0\.1:\d+\/xmpp-websocket .*Check the address/);
    expect(Date.now() - t).toBeLessThan(5000);
  });

  it("logs a guest in anonymously on the guest host", async () => {
    const info = server();
    const c = await connect({ account: { service: info.service, jid: info.guestDomain } });
    try {
      expect(c.anonymous).toBe(true);
      expect(c.jid).toMatch(new RegExp(`@${info.guestDomain.replace(/\./g, "\\.")}/`));
    } finally {
      await c.stop();
    }
  });
});

describe("F21 whether kept keys will last: the server's salt (issue 21, item 7)", () => {
  let plain: Awaited<ReturnType<typeof prosodyStoring>> | undefined;
  beforeAll(async () => void (plain = await prosodyStoring("internal_plain")));
  afterAll(() => plain?.stop());
  const kinds: [string, () => XmppServer, number][] = [
    ["Prosody internal_hashed", server, 1],
    ["Prosody internal_plain", () => plain!.info, 3],
    ["ejabberd (plain storage, its default)", ejabberdServer, 3],
  ];
  it.each(kinds)(
    "%s: three exchanges stopped after the server's first message: one salt if it stores SCRAM keys, three if it stores the password",
    async (_name, info, distinct) => {
      const { alice } = await usersOn(info(), "alice");
      const username = alice.jid.split("@")[0]!;
      const salts = await Promise.all([1, 2, 3].map(() => serverSalt({ service: alice.service, domain: info().domain, username, mechanism: "SCRAM-SHA-1" })));
      expect(salts.every((s) => typeof s === "string" && s.length > 0)).toBe(true);
      expect(new Set(salts).size).toBe(distinct);
    },
  );

  it.each(kinds)("%s: the first login says whether its salt is stable", async (_name, info, distinct) => {
    const { alice } = await usersOn(info(), "alice");
    const results: LoginResult[] = [];
    const c = await connect({ account: { ...alice, learnSalt: true }, onLogin: (r) => results.push(r) });
    await c.stop();
    expect(results).toHaveLength(1);
    expect(results[0]?.saltStable).toBe(distinct === 1);
  });

  it("a probe that cannot learn the salt says nothing, quickly, and never fails the login", async () => {
    const port = await freePort();
    await expect(
      serverSalt({ service: `ws://127.0.0.1:${port}/xmpp-websocket`, domain: "localhost", username: "alice", mechanism: "SCRAM-SHA-1" }),
    ).resolves.toBeUndefined();
    await expect(serverSalt({ service: server().service, domain: "localhost", username: "alice", mechanism: "SCRAM-SHA-512" })).resolves.toBeUndefined();
  });
});

describe("F21 once SCRAM has worked, PLAIN alone is refused (issue 21, item 6)", () => {
  const keys = { mechanism: "SCRAM-SHA-1", salt: "c2FsdA==", iterations: 4096, clientKey: "Y2s=", serverKey: "c2s=" };
  it("with kept keys, an offer of PLAIN only is refused, password typed or not; IT's policy allows it", () => {
    expect(() => choose(["PLAIN"], { keys, password: "pw" })).toThrow(ScramError);
    expect(() => choose(["PLAIN"], { keys })).toThrow(/now offers only PLAIN, which would hand it the password itself/);
    expect(choose(["PLAIN"], { keys, password: "pw", allowPlainAfterScram: true })).toBe("PLAIN");
    expect(choose(["PLAIN"], { password: "pw" })).toBe("PLAIN"); // a server that never did SCRAM: PLAIN over TLS as before
    expect(choose(["PLAIN", "SCRAM-SHA-1"], { keys })).toBe("SCRAM-SHA-1");
  });
});

describe("F21 connection errors a user can act on", () => {
  const at = { service: "wss://chat.example.org/xmpp-websocket", jid: "alice@example.org" };
  it("names a TLS failure and what to check", () => {
    const e = describeFailure(Object.assign(new Error("self-signed certificate"), { code: "DEPTH_ZERO_SELF_SIGNED_CERT" }), at);
    expect(e.problem).toBe("tls");
    expect(e.message).toMatch(/^The certificate of chat\.example\.org is not from an authority this computer trusts \(it is self-signed\)/);
  });
  it("names a stream closed by the server", () => {
    const e = describeFailure(Object.assign(new Error("conflict"), { name: "StreamError", condition: "conflict", text: "Replaced by new connection" }), at);
    expect(e.problem).toBe("stream-closed");
    expect(e.message).toMatch(/closed the connection \(conflict: Replaced by new connection\)/);
  });
});
