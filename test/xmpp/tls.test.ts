// TLS for real (issue 13): the run's servers speak wss:// with a certificate from the run's
// throw-away CA, which this process trusts as it would a real one (verification on); a hardened
// server that offers only SCRAM; and what a user is told when a certificate is wrong — for another
// name, expired, or from an authority nobody here trusts. The bad certificates are presented by a
// tiny HTTPS server: the WebSocket fails at the TLS handshake, before any XMPP.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { issueCert, makeCa, type IssuedCert } from "../../scripts/test-ca.mjs";
import { connect, ConnectionError } from "../../src/xmpp/connection";
import type { LoginResult } from "../../src/xmpp/sasl";
import { launchChromium } from "../kit/browser";
import { logoutAll, scramServer, server, usersOn } from "../kit/xmpp";

afterEach(logoutAll);

describe("F23 the run's servers over TLS", () => {
  it("the test server is reached at wss://localhost with the run's CA, and logs in with the strongest SCRAM it offers", async () => {
    const info = server();
    expect(info.service).toMatch(/^wss:\/\/localhost:\d+\/xmpp-websocket$/);
    const { alice } = await usersOn(info, "alice");
    const logins: LoginResult[] = [];
    const c = await connect({ account: alice, onLogin: (r) => logins.push(r) });
    try {
      expect(c.jid).toMatch(new RegExp(`^${alice.jid}/`));
      // internal_hashed storage keeps SCRAM-SHA-1 keys only
      expect(logins.map((l) => l.mechanism)).toEqual(["SCRAM-SHA-1"]);
    } finally {
      await c.stop();
    }
  });

  it("the SCRAM-only server: the login uses SCRAM-SHA-256 and keeps its keys, not the password", async () => {
    const { alice } = await usersOn(scramServer(), "alice");
    const logins: LoginResult[] = [];
    const c = await connect({ account: alice, onLogin: (r) => logins.push(r) });
    try {
      expect(logins).toHaveLength(1);
      expect(logins[0]).toMatchObject({ mechanism: "SCRAM-SHA-256", keys: { mechanism: "SCRAM-SHA-256" } });
      expect(JSON.stringify(logins[0]!.keys)).not.toContain(alice.password);
    } finally {
      await c.stop();
    }
  });

  it("the SCRAM-only server refuses PLAIN: asking for it is a clear error, and nothing logs in", async () => {
    const { alice } = await usersOn(scramServer(), "alice");
    const err = (await connect({ account: alice, mechanism: "PLAIN" }).catch((e: unknown) => e)) as ConnectionError;
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.message).toContain(`The XMPP server at ${alice.service} could not log in ${alice.jid}: the server does not offer PLAIN (it offers `);
    expect(err.message).toMatch(/SCRAM-SHA-256/);
  });
});

describe("F23 a bad certificate says which fault it is and what to do", () => {
  let dir: string;
  const certs: Record<string, IssuedCert> = {};
  const servers: Server[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "rvi-badcerts-"));
    const runCa = await makeCa(dirname(process.env.RVI_TEST_CA ?? "")); // the run's CA: kept as it is
    const strangerCa = await makeCa(join(dir, "stranger-ca"));
    certs.otherName = await issueCert(runCa, dir, { names: ["other.localhost"], ips: [] });
    certs.expired = await issueCert(runCa, dir, { expired: true });
    certs.unknownCa = await issueCert(strangerCa, dir, { name: "stranger" });
    certs.selfSigned = await issueCert(runCa, dir, { selfSigned: true });
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    await rm(dir, { recursive: true, force: true });
  });

  /** An HTTPS server on loopback presenting `cert`; returns its wss:// address at localhost. */
  async function presenting(cert: IssuedCert): Promise<{ service: string; host: string }> {
    const s = createServer({ cert: await readFile(cert.cert), key: await readFile(cert.key) }, (_, res) => res.writeHead(404).end());
    s.on("tlsClientError", () => {}); // the client refusing our certificate is the point of the test
    servers.push(s);
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
    const host = `localhost:${(s.address() as AddressInfo).port}`;
    return { service: `wss://${host}/xmpp-websocket`, host };
  }

  async function failure(cert: IssuedCert): Promise<{ err: ConnectionError; host: string }> {
    const { service, host } = await presenting(cert);
    const err = (await connect({ account: { service, jid: "alice@localhost", password: "secret" }, timeoutMs: 5000 }).catch(
      (e: unknown) => e,
    )) as ConnectionError;
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.problem).toBe("tls");
    return { err, host };
  }

  it("a certificate for another name", async () => {
    const { err, host } = await failure(certs.otherName!);
    expect(err.message).toBe(
      `The certificate of ${host} is for another name (it names DNS:other.localhost): check the server address, or ask your administrator for a certificate that names it.`,
    );
  });

  it("an expired certificate", async () => {
    const { err, host } = await failure(certs.expired!);
    expect(err.message).toBe(
      `The certificate of ${host} has expired: the add-in will not connect until the server's administrator renews it (check also that this computer's date is right).`,
    );
  });

  it("a certificate from an authority this computer does not trust, and a self-signed one", async () => {
    const unknown = await failure(certs.unknownCa!);
    expect(unknown.err.message).toBe(
      `The certificate of ${unknown.host} is not from an authority this computer trusts (its issuer is unknown): if it is your organisation's own server, ask your administrator to install its certificate authority on this computer; otherwise do not connect, as the server may not be the real one.`,
    );
    const self = await failure(certs.selfSigned!);
    expect(self.err.message).toContain(`The certificate of ${self.host} is not from an authority this computer trusts (it is self-signed)`);
  });
});

describe("F23 Chromium trusts the run's CA through its own certificate store", () => {
  /** What a page gets when it opens a WebSocket to the test server: "open", or the error. */
  async function pageOpensSocket(browser: Browser): Promise<string> {
    const page = await (await browser.newContext()).newPage();
    return page.evaluate(
      (url) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(url, ["xmpp"]);
          ws.onopen = () => (ws.close(), resolve("open"));
          ws.onerror = () => resolve("refused");
        }),
      server().service,
    );
  }

  it("with the CA in its NSS database the page's wss:// opens; without it Chromium refuses the same server", async () => {
    const trusting = await launchChromium();
    const stranger = await launchChromium({ runCa: false });
    try {
      expect(await pageOpensSocket(trusting)).toBe("open");
      expect(await pageOpensSocket(stranger)).toBe("refused");
    } finally {
      await Promise.all([trusting.close(), stranger.close()]);
    }
  });
});
