// F23 XEP-0156: the WebSocket endpoint found from the address's domain — host-meta.json, then
// host-meta (XRD), over HTTPS only, kept until it expires and found again when asked afresh.
import { discover, DiscoveryError, endpointFor, readHostMeta, type Discovered } from "../../src/xmpp/discovery";

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
    const both = web({ "https://example.org/.well-known/host-meta.json": { body: JRD, cacheControl: "max-age=60" }, "https://example.org/.well-known/host-meta": { body: XRD } });
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
    expect((err as Error).message).toContain('<Link rel="urn:xmpp:alt-connections:websocket" href="wss://example.org/xmpp-websocket"/> in https://example.org/.well-known/host-meta');
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
