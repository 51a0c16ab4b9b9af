// XEP-0156: the WebSocket endpoint found from the address's domain, as Converse.js and every
// modern client do, so a person types only their XMPP address and password. Read over HTTPS only
// (a host-meta over plain HTTP could send the password anywhere) from
// https://<domain>/.well-known/host-meta.json and then host-meta (XRD), kept until it expires,
// and found again when the kept one fails. What IT must publish is said when nothing is found.
// Whoever answers for the domain's web site must not be able to steer the login elsewhere for
// long: an endpoint on another domain waits for the person's (or IT's) confirmation, redirects to
// another origin are not followed, and nothing found is kept longer than a week.
import parse from "@xmpp/xml/lib/parse.js";
import { isLoopbackHost } from "../core/address";
import { UserFacingError } from "../core/errors";

export const REL_WEBSOCKET = "urn:xmpp:alt-connections:websocket";
const DEFAULT_TTL_MS = 24 * 3600_000;
/** One bad answer (a hacked web site, a hijacked DNS name) pins an endpoint at most this long. */
export const MAX_TTL_MS = 7 * 24 * 3600_000;
/** Same-origin redirects followed at most (another origin is never followed). */
const MAX_REDIRECTS = 3;

export interface Discovered {
  service: string;
  /** The host-meta document it came from. */
  from: string;
  expiresAt: number;
}

/** No WebSocket endpoint found for the domain: code "no-endpoint", what to do in the message. */
export class DiscoveryError extends UserFacingError {
  constructor(
    readonly domain: string,
    message: string,
  ) {
    super("no-endpoint", message, "", { domain });
    this.name = "DiscoveryError";
  }
}

/**
 * Host-meta named an endpoint outside the account's domain. Used only once the person (or IT) has
 * confirmed it by giving it as the server's address (the `service` setting): the domain's web
 * site is not the XMPP server, and whoever controls it could otherwise send every login elsewhere.
 */
export class EndpointElsewhereError extends UserFacingError {
  constructor(
    readonly domain: string,
    readonly service: string,
    readonly from: string,
  ) {
    super(
      "endpoint-elsewhere",
      `The XMPP server address published for ${domain} (in ${from}) is ${service}, on another domain than ${domain}, so it is not used without your confirmation.`,
      `If your administrator confirms that ${service} is your XMPP server, type it as the server's address under Advanced (IT can preset it); otherwise do not: it may not be your organisation's server.`,
      { domain, service, from },
    );
    this.name = "EndpointElsewhereError";
  }
}

/** Whether an endpoint is the account's domain itself or one of its subdomains (case and a final dot aside). */
export function onDomain(service: string, domain: string): boolean {
  const d = domain.toLowerCase().replace(/\.$/, "");
  let host: string;
  try {
    host = new URL(service).hostname.toLowerCase().replace(/\.$/, "");
  } catch {
    return false; // not a URL: on no domain at all
  }
  return host === d || host.endsWith(`.${d}`);
}

/** The line IT adds to https://<domain>/.well-known/host-meta so clients find the WebSocket. */
export const hostMetaLine = (domain: string) =>
  `<Link rel="${REL_WEBSOCKET}" href="wss://${domain}/xmpp-websocket"/> in https://${domain}/.well-known/host-meta (or the same link in host-meta.json)`;

/** The WebSocket links of a host-meta document, JSON (RFC 6415 JRD) or XML (XRD). */
export function readHostMeta(body: string, json: boolean): { links: string[]; expires?: number } {
  if (json) {
    const doc = JSON.parse(body) as { links?: { rel?: unknown; href?: unknown }[]; expires?: unknown };
    const links = (Array.isArray(doc.links) ? doc.links : [])
      .filter((l) => l?.rel === REL_WEBSOCKET && typeof l.href === "string")
      .map((l) => l.href as string);
    const expires = typeof doc.expires === "string" ? Date.parse(doc.expires) : NaN;
    return { links, expires: Number.isFinite(expires) ? expires : undefined };
  }
  const root = parse(body);
  const links = root
    .getChildren("Link")
    .filter((l) => l.attrs.rel === REL_WEBSOCKET && l.attrs.href)
    .map((l) => String(l.attrs.href));
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

/**
 * GET on `origin` only: a redirect is followed while it stays on the same origin (another origin
 * could name any endpoint). Node's fetch shows a manual redirect's Location; a browser's answers
 * an opaque redirect, which cannot be checked and so is not followed either.
 */
async function getOnOrigin(url: string, origin: string, get: typeof fetch, timeoutMs: number): Promise<Response | string> {
  for (let hops = 0; ; hops++) {
    const r = await get(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "manual", credentials: "omit", cache: "no-cache" });
    if (r.url && new URL(r.url).origin !== origin) return `answered from ${new URL(r.url).origin}, another origin: not used`;
    const redirect = r.type === "opaqueredirect" || (r.status >= 300 && r.status < 400);
    if (!redirect) return r;
    const location = r.headers.get("location");
    if (!location) return "redirected elsewhere (not followed: host-meta must be served at this address itself)";
    const next = new URL(location, url);
    if (next.origin !== origin) return `redirected to ${next.origin}, another origin: not followed`;
    if (hops >= MAX_REDIRECTS) return "redirected too many times";
    url = next.href;
  }
}

/** Finds the WebSocket endpoint of an XMPP domain; one on another domain raises EndpointElsewhereError. */
export async function discover(domain: string, o: DiscoverOptions = {}): Promise<Discovered> {
  const origin = (o.origin ?? `https://${domain}`).replace(/\/$/, "");
  if (!origin.startsWith("https://")) throw new DiscoveryError(domain, `Host-meta is read over HTTPS only, not from ${origin}.`);
  const get = o.fetch ?? globalThis.fetch.bind(globalThis);
  const now = o.now ?? Date.now;
  const problems: string[] = [];
  let elsewhere: EndpointElsewhereError | undefined;
  for (const [file, json] of [
    ["host-meta.json", true],
    ["host-meta", false],
  ] as const) {
    const url = `${origin}/.well-known/${file}`;
    try {
      const r = await getOnOrigin(url, new URL(origin).origin, get, o.timeoutMs ?? 8000);
      if (typeof r === "string") {
        problems.push(`${url}: ${r}`);
        continue;
      }
      if (!r.ok) {
        problems.push(`${url}: HTTP ${r.status}`);
        continue;
      }
      const { links, expires } = readHostMeta(await r.text(), json);
      const secure = links.filter(usable);
      // the domain's own endpoint wins over one elsewhere, whichever is listed first
      const service = secure.find((s) => onDomain(s, domain));
      if (!service) {
        if (secure[0]) elsewhere ??= new EndpointElsewhereError(domain, secure[0], url);
        else problems.push(`${url}: no ${links.length ? "secure (wss://) " : ""}WebSocket link`);
        continue;
      }
      const maxAge = Number(/max-age=(\d+)/.exec(r.headers.get("cache-control") ?? "")?.[1]);
      const expiresAt = expires ?? (Number.isFinite(maxAge) ? now() + maxAge * 1000 : now() + DEFAULT_TTL_MS);
      return { service, from: url, expiresAt: Math.min(expiresAt, now() + MAX_TTL_MS) };
    } catch (err) {
      problems.push(`${url}: ${(err as Error).message}`);
    }
  }
  if (elsewhere) throw elsewhere;
  throw new DiscoveryError(
    domain,
    `No XMPP WebSocket address was found for ${domain} (${problems.join("; ")}). Type the server's address under Advanced, or ask your administrator to publish ${hostMetaLine(domain)}.`,
  );
}

/** Where a discovered endpoint is kept between starts (the engine's store). */
export interface DiscoveryCache {
  get(domain: string): Promise<Discovered | undefined>;
  set(domain: string, d: Discovered): Promise<void>;
}

/**
 * The kept endpoint while it is fresh, else found again (`fresh` skips what is kept, after it failed).
 * What an earlier version kept is held to today's rules: longer than a week, or on another domain,
 * and it is asked for again.
 */
export async function endpointFor(domain: string, cache: DiscoveryCache, o: DiscoverOptions & { fresh?: boolean } = {}): Promise<Discovered> {
  const now = o.now ?? Date.now;
  const kept = o.fresh ? undefined : await cache.get(domain);
  if (kept && kept.expiresAt > now() && kept.expiresAt <= now() + MAX_TTL_MS && onDomain(kept.service, domain)) return kept;
  const found = await discover(domain, o);
  await cache.set(domain, found);
  return found;
}
