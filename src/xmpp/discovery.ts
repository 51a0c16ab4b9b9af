// XEP-0156: the WebSocket endpoint found from the address's domain, as Converse.js and every
// modern client do, so a person types only their XMPP address and password. Read over HTTPS only
// (a host-meta over plain HTTP could send the password anywhere) from
// https://<domain>/.well-known/host-meta.json and then host-meta (XRD), kept until it expires,
// and found again when the kept one fails. What IT must publish is said when nothing is found.
import parse from "@xmpp/xml/lib/parse.js";
import { isLoopbackHost } from "../core/address";

export const REL_WEBSOCKET = "urn:xmpp:alt-connections:websocket";
const DEFAULT_TTL_MS = 24 * 3600_000;

export interface Discovered {
  service: string;
  /** The host-meta document it came from. */
  from: string;
  expiresAt: number;
}

export class DiscoveryError extends Error {
  constructor(readonly domain: string, message: string) {
    super(message);
    this.name = "DiscoveryError";
  }
}

/** The line IT adds to https://<domain>/.well-known/host-meta so clients find the WebSocket. */
export const hostMetaLine = (domain: string) =>
  `<Link rel="${REL_WEBSOCKET}" href="wss://${domain}/xmpp-websocket"/> in https://${domain}/.well-known/host-meta (or the same link in host-meta.json)`;

/** The WebSocket links of a host-meta document, JSON (RFC 6415 JRD) or XML (XRD). */
export function readHostMeta(body: string, json: boolean): { links: string[]; expires?: number } {
  if (json) {
    const doc = JSON.parse(body) as { links?: { rel?: unknown; href?: unknown }[]; expires?: unknown };
    const links = (Array.isArray(doc.links) ? doc.links : []).filter((l) => l?.rel === REL_WEBSOCKET && typeof l.href === "string").map((l) => l.href as string);
    const expires = typeof doc.expires === "string" ? Date.parse(doc.expires) : NaN;
    return { links, expires: Number.isFinite(expires) ? expires : undefined };
  }
  const root = parse(body);
  const links = root.getChildren("Link").filter((l) => l.attrs.rel === REL_WEBSOCKET && l.attrs.href).map((l) => String(l.attrs.href));
  const expires = Date.parse(root.getChildText("Expires") ?? "");
  return { links, expires: Number.isFinite(expires) ? expires : undefined };
}

/** A usable endpoint: wss:// anywhere, ws:// only on loopback (the same rule as the connection). */
function usable(href: string): boolean {
  try {
    const u = new URL(href);
    return u.protocol === "wss:" || (u.protocol === "ws:" && isLoopbackHost(u.hostname));
  } catch {
    return false; // not a URL at all: not an endpoint
  }
}

export interface DiscoverOptions {
  /** Where host-meta is read: https://<domain> by default; IT (or a test) may name another HTTPS origin. */
  origin?: string;
  fetch?: typeof fetch;
  now?: () => number;
  timeoutMs?: number;
}

/** Finds the WebSocket endpoint of an XMPP domain. */
export async function discover(domain: string, o: DiscoverOptions = {}): Promise<Discovered> {
  const origin = (o.origin ?? `https://${domain}`).replace(/\/$/, "");
  if (!origin.startsWith("https://")) throw new DiscoveryError(domain, `Host-meta is read over HTTPS only, not from ${origin}.`);
  const get = o.fetch ?? globalThis.fetch.bind(globalThis);
  const now = o.now ?? Date.now;
  const problems: string[] = [];
  for (const [file, json] of [["host-meta.json", true], ["host-meta", false]] as const) {
    const url = `${origin}/.well-known/${file}`;
    try {
      const r = await get(url, { signal: AbortSignal.timeout(o.timeoutMs ?? 8000), redirect: "follow", credentials: "omit", cache: "no-cache" });
      if (!r.ok) {
        problems.push(`${url}: HTTP ${r.status}`);
        continue;
      }
      if (!r.url.startsWith("https://") && r.url) {
        problems.push(`${url}: redirected away from HTTPS`);
        continue;
      }
      const { links, expires } = readHostMeta(await r.text(), json);
      const service = links.find(usable);
      if (!service) {
        problems.push(`${url}: no ${links.length ? "secure (wss://) " : ""}WebSocket link`);
        continue;
      }
      const maxAge = Number(/max-age=(\d+)/.exec(r.headers.get("cache-control") ?? "")?.[1]);
      const expiresAt = expires ?? (Number.isFinite(maxAge) ? now() + maxAge * 1000 : now() + DEFAULT_TTL_MS);
      return { service, from: url, expiresAt };
    } catch (err) {
      problems.push(`${url}: ${(err as Error).message}`);
    }
  }
  throw new DiscoveryError(domain, `No XMPP WebSocket address was found for ${domain} (${problems.join("; ")}). Type the server's address under Advanced, or ask your administrator to publish ${hostMetaLine(domain)}.`);
}

/** Where a discovered endpoint is kept between starts (the engine's store). */
export interface DiscoveryCache {
  get(domain: string): Promise<Discovered | undefined>;
  set(domain: string, d: Discovered): Promise<void>;
}

/** The kept endpoint while it is fresh, else found again (`fresh` skips what is kept, after it failed). */
export async function endpointFor(domain: string, cache: DiscoveryCache, o: DiscoverOptions & { fresh?: boolean } = {}): Promise<Discovered> {
  const now = o.now ?? Date.now;
  const kept = o.fresh ? undefined : await cache.get(domain);
  if (kept && kept.expiresAt > now()) return kept;
  const found = await discover(domain, o);
  await cache.set(domain, found);
  return found;
}
