import { freePort } from "../../scripts/prosody.mjs";
import { checkService, connect, ConnectionError } from "../../src/xmpp/connection";
import { account, login, logoutAll, server } from "../kit/xmpp";

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
    const err = (await connect({ account: { ...account("alice"), service: `ws://127.0.0.1:${port}/xmpp-websocket` } }).catch((e: unknown) => e)) as ConnectionError;
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
