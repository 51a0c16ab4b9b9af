// F23 XEP-0156: the WebSocket endpoint found from the address's domain — host-meta.json, then
// host-meta (XRD), over HTTPS only, kept until it expires and found again when asked afresh.
// Issue 21 item 6: what the domain's web site answers cannot steer the login — an endpoint on
// another domain waits for confirmation, no redirect to another origin, a week at most.
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { readFile } from "node:fs/promises";
import { DEFAULT_SETTINGS, isProblem, problemOf } from "../../src/core";
import { engineHolder } from "../../src/engine/holder";
import { discover, DiscoveryError, EndpointElsewhereError, endpointFor, onDomain, readHostMeta, type Discovered } from "../../src/xmpp/discovery";
import { stopEngines, testEngine } from "../kit/engine";
import { server, users } from "../kit/xmpp";

afterEach(stopEngines);

const XRD = `<?xml version="1.0" encoding="UTF-8"?>
<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">
  <Expires>2030-01-01T00:00:00Z</Expires>
  <Link rel="urn:xmpp:alt-connections:xbosh" href="https://chat.example.org/http-bind"/>
  <Link rel="urn:xmpp:alt-connections:websocket" href="wss://chat.example.org/xmpp-websocket"/>
</XRD>`;
const JRD = JSON.stringify({ links: [{ rel: "urn:xmpp:alt-connections:websocket", href: "wss://ws.example.org/ws" }] });

/** A web server as fetch sees it: a map of URL → answer. */
function web(pages: Record<string, { status?: number; body: string; cacheControl?: string }>) {
  const asked: string[] = [];
  const fetch = (async (input: RequestInfo | URL) => {
    const url = input instanceof Request ? input.url : input.toString();
    asked.push(url);
    const page = pages[url];
    if (!page) return new Response("not found", { status: 404 });
    const r = new Response(page.body, { status: page.status ?? 200, headers: page.cacheControl ? { "cache-control": page.cacheControl } : {} });
    Object.defineProperty(r, "url", { value: url });
    return r;
  }) as typeof globalThis.fetch;
  return { fetch, asked };
}

describe("F23 finding the WebSocket endpoint (XEP-0156)", () => {
  it("reads both host-meta forms", () => {
    expect(readHostMeta(XRD, false)).toEqual({ links: ["wss://chat.example.org/xmpp-websocket"], expires: Date.parse("2030-01-01T00:00:00Z") });
    expect(readHostMeta(JRD, true).links).toEqual(["wss://ws.example.org/ws"]);
  });

  it("host-meta.json first, host-meta when there is none; the endpoint may be on another host", async () => {
    const xmlOnly = web({ "https://example.org/.well-known/host-meta": { body: XRD } });
    const found = await discover("example.org", { fetch: xmlOnly.fetch });
    expect(found).toMatchObject({ service: "wss://chat.example.org/xmpp-websocket", from: "https://example.org/.well-known/host-meta" });
    expect(xmlOnly.asked).toEqual(["https://example.org/.well-known/host-meta.json", "https://example.org/.well-known/host-meta"]);
    const both = web({
      "https://example.org/.well-known/host-meta.json": { body: JRD, cacheControl: "max-age=60" },
      "https://example.org/.well-known/host-meta": { body: XRD },
    });
    const json = await discover("example.org", { fetch: both.fetch, now: () => 1000 });
    expect(json).toEqual({ service: "wss://ws.example.org/ws", from: "https://example.org/.well-known/host-meta.json", expiresAt: 61_000 });
  });

  it("never an unencrypted endpoint off loopback, never host-meta over plain HTTP", async () => {
    const insecure = web({ "https://example.org/.well-known/host-meta": { body: XRD.replace("wss://chat.example.org", "ws://chat.example.org") } });
    await expect(discover("example.org", { fetch: insecure.fetch })).rejects.toThrow(/no secure \(wss:\/\/\) WebSocket link/);
    await expect(discover("example.org", { origin: "http://example.org" })).rejects.toThrow(/HTTPS only/);
  });

  it("nothing published: says exactly what IT must add", async () => {
    const none = web({});
    const err = await discover("example.org", { fetch: none.fetch }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiscoveryError);
    expect((err as Error).message).toContain(
      '<Link rel="urn:xmpp:alt-connections:websocket" href="wss://example.org/xmpp-websocket"/> in https://example.org/.well-known/host-meta',
    );
    expect((err as Error).message).toContain("Type the server's address under Advanced");
  });

  it("keeps what it found until it expires, and asks again when told to", async () => {
    const site = web({ "https://example.org/.well-known/host-meta.json": { body: JRD, cacheControl: "max-age=60" } });
    const kept = new Map<string, Discovered>();
    const cache = { get: async (d: string) => kept.get(d), set: async (d: string, v: Discovered) => void kept.set(d, v) };
    let now = 0;
    await endpointFor("example.org", cache, { fetch: site.fetch, now: () => now });
    await endpointFor("example.org", cache, { fetch: site.fetch, now: () => now });
    expect(site.asked).toHaveLength(1);
    now = 61_000;
    await endpointFor("example.org", cache, { fetch: site.fetch, now: () => now });
    expect(site.asked).toHaveLength(2);
    await endpointFor("example.org", cache, { fetch: site.fetch, now: () => now, fresh: true });
    expect(site.asked).toHaveLength(3);
  });
});

/** A real HTTPS site on loopback (the run's certificate names localhost and 127.0.0.1): path → answer. */
type Page = { status?: number; body?: string; headers?: Record<string, string> };
async function site(host: "localhost" | "127.0.0.1", pages: Record<string, Page>) {
  const { tls } = server();
  const asked: string[] = [];
  const srv = createServer({ cert: await readFile(tls!.cert), key: await readFile(tls!.key) }, (req, res) => {
    asked.push(req.url ?? "");
    const page = pages[req.url ?? ""];
    res.writeHead(page?.status ?? (page ? 200 : 404), page?.headers ?? {}).end(page?.body ?? "");
  });
  await new Promise<void>((ok) => srv.listen(0, "127.0.0.1", ok));
  const origin = `https://${host}:${(srv.address() as AddressInfo).port}`;
  sites.push(srv);
  return { origin, asked };
}
const sites: Server[] = [];
afterEach(async () => {
  await Promise.all(sites.splice(0).map((s) => new Promise((done) => s.close(done))));
});
const jrd = (href: string, extra: object = {}) => JSON.stringify({ ...extra, links: [{ rel: "urn:xmpp:alt-connections:websocket", href }] });

describe("F23 host-meta cannot steer the login (issue 21, item 6)", () => {
  it("an endpoint on another domain is not used without confirmation; given as the server's address, it is", async () => {
    const { alice } = await users("alice");
    // the run's Prosody under another name than the account's domain (localhost): its certificate names 127.0.0.1 too
    const elsewhere = alice.service.replace("wss://localhost:", "wss://127.0.0.1:");
    const web = await site("localhost", { "/.well-known/host-meta.json": { body: jrd(elsewhere) } });
    const err = await discover("localhost", { origin: web.origin }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EndpointElsewhereError);
    expect(problemOf(err).code).toBe("endpoint-elsewhere");
    expect((err as Error).message).toContain(`is ${elsewhere}, on another domain than localhost`);
    expect((err as Error).message).toContain("type it as the server's address under Advanced");

    // the same through the holder, as a host starts the engine: the code reaches the account form
    const settings = { ...DEFAULT_SETTINGS, jid: alice.jid, password: alice.password! };
    const holder = (service: string) =>
      engineHolder({
        settings: async () => ({ ...settings, service }),
        needsAccount: () => "No XMPP account",
        create: (account) => testEngine({ ...account, resource: "elsewhere" }, { discovery: { origin: web.origin } }),
      });
    const refused = await holder("")
      .get()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(isProblem(refused, "endpoint-elsewhere")).toBe(true);
    // confirmed: the person (or IT) gives it as the server's address
    const engine = await holder(elsewhere).get();
    expect(engine.connection?.xmpp.status).toBe("online");
  });

  it("the domain's own endpoint (or a subdomain's) is used at once, and wins over one elsewhere", async () => {
    const web = await site("localhost", { "/.well-known/host-meta": { body: XRD } });
    const found = await discover("example.org", { origin: web.origin });
    expect(found.service).toBe("wss://chat.example.org/xmpp-websocket");
    const both = await site("localhost", {
      "/.well-known/host-meta.json": {
        body: JSON.stringify({
          links: [
            { rel: "urn:xmpp:alt-connections:websocket", href: "wss://evil.example.net/ws" },
            { rel: "urn:xmpp:alt-connections:websocket", href: "wss://example.org/xmpp-websocket" },
          ],
        }),
      },
    });
    expect((await discover("example.org", { origin: both.origin })).service).toBe("wss://example.org/xmpp-websocket");
    expect(onDomain("wss://EXAMPLE.org./ws", "example.org")).toBe(true);
    expect(onDomain("wss://notexample.org/ws", "example.org")).toBe(false);
    expect(onDomain("wss://example.org.evil.net/ws", "example.org")).toBe(false);
  });

  it("a redirect to another origin is not followed; one on the same origin is", async () => {
    const other = await site("127.0.0.1", { "/.well-known/host-meta.json": { body: jrd("wss://localhost:1/xmpp-websocket") } });
    const web = await site("localhost", {
      "/.well-known/host-meta.json": { status: 302, headers: { location: `${other.origin}/.well-known/host-meta.json` } },
      "/.well-known/host-meta": { status: 301, headers: { location: "/xrd" } },
      "/xrd": { body: XRD.replace(/chat\.example\.org/g, "localhost:2") },
    });
    const found = await discover("localhost", { origin: web.origin });
    expect(other.asked).toEqual([]);
    expect(found).toMatchObject({ service: "wss://localhost:2/xmpp-websocket", from: `${web.origin}/.well-known/host-meta` });
    expect(web.asked).toEqual(["/.well-known/host-meta.json", "/.well-known/host-meta", "/xrd"]);

    const only = await site("localhost", {
      "/.well-known/host-meta.json": { status: 307, headers: { location: `${other.origin}/.well-known/host-meta.json` } },
    });
    const err = await discover("localhost", { origin: only.origin }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiscoveryError);
    expect((err as Error).message).toContain(`redirected to ${other.origin}, another origin: not followed`);
    expect(other.asked).toEqual([]);
  });

  it("an expiry of ten years is kept a week at most, and so is what an earlier version kept longer", async () => {
    const week = 7 * 24 * 3600_000;
    const decade = new Date(Date.now() + 10 * 365 * 24 * 3600_000).toISOString();
    const xrd = await site("localhost", { "/.well-known/host-meta": { body: XRD.replace("2030-01-01T00:00:00Z", decade) } });
    const t = Date.now();
    expect((await discover("example.org", { origin: xrd.origin })).expiresAt).toBeLessThanOrEqual(Date.now() + week);
    const json = await site("localhost", {
      "/.well-known/host-meta.json": { body: jrd("wss://example.org/ws"), headers: { "cache-control": "max-age=315360000" } },
    });
    const found = await discover("example.org", { origin: json.origin });
    expect(found.expiresAt).toBeGreaterThanOrEqual(t + week);
    expect(found.expiresAt).toBeLessThanOrEqual(Date.now() + week);

    const kept = new Map<string, Discovered>([["example.org", { service: "wss://example.org/old", from: "x", expiresAt: Date.parse(decade) }]]);
    const cache = { get: async (d: string) => kept.get(d), set: async (d: string, v: Discovered) => void kept.set(d, v) };
    expect((await endpointFor("example.org", cache, { origin: json.origin })).service).toBe("wss://example.org/ws");
    expect(json.asked).toHaveLength(2);
  });
});
