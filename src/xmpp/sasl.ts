// How the add-in logs in (F23, F21): the mechanisms the server offers, strongest first —
// SCRAM-SHA-512, -256, -1 (ours, src/xmpp/scram.ts, plugged into xmpp.js's SASL factory) —
// and PLAIN only when nothing better is offered (the socket is TLS or loopback: checkService).
// A SCRAM login verifies the server's signature and hands back the keys to keep instead of the
// password; with kept keys and no password, a server that changed its salt asks for the password
// again. Once SCRAM has worked (keys are kept), a server offering only PLAIN is refused: PLAIN
// would hand it the password itself, which is what a man in the middle would ask for.
// The salt probe tells whether kept keys will last (issue 21, item 7): a server that computes
// SCRAM from a password it stores in clear (ejabberd's default, Prosody's internal_plain) sends a
// new salt at every exchange, and keys made with one salt never log in again.
import type { Client } from "@xmpp/client";
import xml, { type Element } from "@xmpp/xml";
import parse from "@xmpp/xml/lib/parse.js";
import { saltOf, scramExchange, SCRAM_MECHANISMS, ScramError, type ScramExchange, type ScramKeys } from "./scram";

const NS_SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
const NS_FRAMING = "urn:ietf:params:xml:ns:xmpp-framing";
export const MECHANISM_ORDER = ["SCRAM-SHA-512", "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"] as const;

export interface Login {
  username: string;
  password?: string;
  keys?: ScramKeys;
  /** A mechanism to use when offered (tests and the bench compare them); otherwise the strongest. */
  mechanism?: string;
  /** IT's policy: PLAIN may follow SCRAM (a server known to have dropped SCRAM on purpose). */
  allowPlainAfterScram?: boolean;
  /** At this login, the salt of a second exchange with the server (serverSalt), to compare with the login's. */
  probeSalt?: (mechanism: string) => Promise<string | undefined>;
}

/** What the last login used, and what to keep (SCRAM keys) instead of the password. */
export interface LoginResult {
  mechanism: string;
  keys?: ScramKeys;
  /**
   * Whether a second exchange at this login saw the same salt: false means keys kept now would
   * not log in after a restart. Undefined when not asked, or it could not be learned.
   */
  saltStable?: boolean;
}

// xmpp.js's credentials carry our kept keys through to the mechanism
type Credentials = { username?: string; password?: string; keys?: ScramKeys };
type Authenticate = (credentials: Credentials, mechanism: string) => Promise<void>;

/** base64 in xmpp.js is btoa over a binary string: SCRAM's messages go in as UTF-8 bytes. */
const utf8 = (s: string) => String.fromCharCode(...new TextEncoder().encode(s));
const fromUtf8 = (s: string) => new TextDecoder().decode(Uint8Array.from(s, (c) => c.charCodeAt(0)));

/**
 * Registers our SCRAM mechanisms on the client (in place of xmpp.js's pure-JS SCRAM-SHA-1, which
 * only its Node build has) and returns the credentials handler for `client({ credentials })`.
 */
export function saslLogin(xmpp: Client, login: () => Login, onResult: (r: LoginResult) => void) {
  let exchange: ScramExchange | undefined;
  let serverFinal: string | undefined;

  // the factory's list is what `create()` walks in order: ours must be the only SCRAM in it
  const factory = (xmpp as unknown as { saslFactory: unknown }).saslFactory as { _mechs: { name: string }[]; use(m: unknown): void };
  factory._mechs = factory._mechs.filter((m) => !(m.name in SCRAM_MECHANISMS));
  for (const name of Object.keys(SCRAM_MECHANISMS)) {
    class Scram {
      clientFirst = true;
      private serverFirst = "";
      async response(c: Credentials): Promise<string> {
        if (!exchange) {
          exchange = scramExchange({ mechanism: name, username: c.username ?? "", password: c.password, keys: c.keys });
          return utf8(exchange.first());
        }
        return utf8(await exchange.final(this.serverFirst));
      }
      challenge(chal: string) {
        this.serverFirst = fromUtf8(chal);
      }
      // SASL2 (XEP-0388) hands the server-final message here
      final(data: string) {
        serverFinal = fromUtf8(data);
      }
    }
    (Scram.prototype as unknown as { name: string }).name = name;
    factory.use(Scram);
  }

  // SASL (RFC 6120) carries the server-final message in <success/>, which xmpp.js does not pass on
  xmpp.on("nonza", (el: Element) => {
    if (el.is("success", NS_SASL) && el.text()) serverFinal = fromUtf8(globalThis.atob(el.text()));
  });

  return async (auth: Authenticate, offered: string[]) => {
    const l = login();
    exchange = undefined;
    serverFinal = undefined;
    const mechanism = choose(offered, l);
    // asked beside the login, so it costs the login no time; only worth it when keys would be made from a password
    const probe = l.probeSalt && l.password !== undefined && mechanism in SCRAM_MECHANISMS ? l.probeSalt(mechanism) : undefined;
    await auth({ username: l.username, password: l.password, keys: mechanism === "PLAIN" ? undefined : l.keys }, mechanism);
    if (exchange) {
      // a server that does not send its signature has not proven it knows the password either
      await (exchange as ScramExchange).verify(serverFinal ?? "");
      const keys = (exchange as ScramExchange).keys;
      const other = await probe;
      onResult({ mechanism, keys, saltStable: other === undefined || !keys ? undefined : other === keys.salt });
    } else onResult({ mechanism });
  };
}

/** The strongest mechanism both sides have; the password is needed for PLAIN and for a SCRAM without matching keys. */
export function choose(offered: string[], l: Pick<Login, "password" | "keys" | "mechanism" | "allowPlainAfterScram">): string {
  if (l.mechanism) {
    if (!offered.includes(l.mechanism)) throw new ScramError("server-error", `the server does not offer ${l.mechanism} (it offers ${offered.join(", ")})`);
    return l.mechanism;
  }
  const usable = MECHANISM_ORDER.filter((m) => offered.includes(m));
  const plainOnly = usable.length > 0 && usable.every((m) => m === "PLAIN");
  if (plainOnly && l.keys && !l.allowPlainAfterScram) {
    throw new ScramError("plain-after-scram", "now offers only PLAIN, which would hand it the password itself, although it logged in by SCRAM before");
  }
  if (l.password === undefined) {
    // only the kept keys: their own mechanism, if the server still offers it
    if (l.keys && usable.includes(l.keys.mechanism as (typeof MECHANISM_ORDER)[number])) return l.keys.mechanism;
    throw new ScramError(
      "needs-password",
      plainOnly ? "the server offers only PLAIN, which needs the password itself" : "the server no longer offers the way the password was kept",
    );
  }
  const best = usable[0];
  if (!best) throw new ScramError("server-error", `the server offers no login this add-in knows (it offers ${offered.join(", ") || "none"})`);
  return best;
}

export interface SaltProbe {
  /** The WebSocket endpoint (already checked: wss://, or ws:// on loopback). */
  service: string;
  domain: string;
  username: string;
  mechanism: string;
  timeoutMs?: number;
}

/**
 * The salt the server sends for this user in a SCRAM exchange (its server-first-message), learned
 * on a WebSocket of its own that is closed right after it: no proof is sent, no session starts.
 * Closed, not <abort/>ed: ejabberd logs an aborted exchange as a failed login, and its default
 * mod_fail2ban bans an address after 20 in an hour — an office behind one address on the day the
 * add-in is installed. Resolves undefined when the salt cannot be learned; never rejects.
 */
export function serverSalt(o: SaltProbe): Promise<string | undefined> {
  return new Promise((resolve) => {
    let ws: WebSocket | undefined;
    let done = false;
    const finish = (salt?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(salt);
      try {
        if (ws?.readyState === WebSocket.OPEN) ws.send(xml("close", { xmlns: NS_FRAMING }).toString());
        ws?.close();
      } catch {
        // the socket is gone already: closed either way
      }
    };
    const timer = setTimeout(() => finish(), o.timeoutMs ?? 5000);
    try {
      ws = new WebSocket(o.service, "xmpp");
    } catch {
      return finish(); // not even a socket: nothing learned
    }
    const send = (el: Element) => ws.send(el.toString());
    ws.onopen = () => send(xml("open", { xmlns: NS_FRAMING, to: o.domain, version: "1.0" }));
    ws.onerror = () => finish();
    ws.onclose = () => finish();
    const read = (data: string) => {
      const el = parse(data);
      const mechanisms = el.getChild("mechanisms", NS_SASL);
      if (mechanisms) {
        if (!mechanisms.getChildren("mechanism").some((m) => m.text() === o.mechanism)) return finish();
        const first = scramExchange({ mechanism: o.mechanism, username: o.username }).first();
        return send(xml("auth", { xmlns: NS_SASL, mechanism: o.mechanism }, globalThis.btoa(utf8(first))));
      }
      if (el.is("challenge", NS_SASL)) return finish(saltOf(fromUtf8(globalThis.atob(el.text()))));
      if (el.is("failure", NS_SASL) || el.name === "stream:error" || el.is("close", NS_FRAMING)) finish();
    };
    ws.onmessage = (ev: MessageEvent) => {
      try {
        read(String(ev.data));
      } catch {
        finish(); // not XMPP framing, or a challenge that is not base64: nothing to learn from it
      }
    };
  });
}
