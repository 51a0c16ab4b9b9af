// How the add-in logs in (F23, F21): the mechanisms the server offers, strongest first —
// SCRAM-SHA-512, -256, -1 (ours, src/xmpp/scram.ts, plugged into xmpp.js's SASL factory) —
// and PLAIN only when nothing better is offered (the socket is TLS or loopback: checkService).
// A SCRAM login verifies the server's signature and hands back the keys to keep instead of the
// password; with kept keys and no password, a server that changed its salt or offers only PLAIN
// asks for the password again.
import type { Client } from "@xmpp/client";
import type { Element } from "@xmpp/xml";
import { scramExchange, SCRAM_MECHANISMS, ScramError, type ScramExchange, type ScramKeys } from "./scram";

const NS_SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
export const MECHANISM_ORDER = ["SCRAM-SHA-512", "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"] as const;

export interface Login {
  username: string;
  password?: string;
  keys?: ScramKeys;
  /** A mechanism to use when offered (tests and the bench compare them); otherwise the strongest. */
  mechanism?: string;
}

/** What the last login used, and what to keep (SCRAM keys) instead of the password. */
export interface LoginResult {
  mechanism: string;
  keys?: ScramKeys;
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
    await auth({ username: l.username, password: l.password, keys: mechanism === "PLAIN" ? undefined : l.keys }, mechanism);
    if (exchange) {
      // a server that does not send its signature has not proven it knows the password either
      await (exchange as ScramExchange).verify(serverFinal ?? "");
      onResult({ mechanism, keys: (exchange as ScramExchange).keys });
    } else onResult({ mechanism });
  };
}

/** The strongest mechanism both sides have; the password is needed for PLAIN and for a SCRAM without matching keys. */
export function choose(offered: string[], l: Pick<Login, "password" | "keys" | "mechanism">): string {
  if (l.mechanism) {
    if (!offered.includes(l.mechanism)) throw new ScramError("server-error", `the server does not offer ${l.mechanism} (it offers ${offered.join(", ")})`);
    return l.mechanism;
  }
  const usable = MECHANISM_ORDER.filter((m) => offered.includes(m));
  if (l.password === undefined) {
    // only the kept keys: their own mechanism, if the server still offers it
    if (l.keys && usable.includes(l.keys.mechanism as (typeof MECHANISM_ORDER)[number])) return l.keys.mechanism;
    throw new ScramError("needs-password", usable.includes("PLAIN") && !usable.some((m) => m !== "PLAIN")
      ? "the server offers only PLAIN, which needs the password itself"
      : "the server no longer offers the way the password was kept");
  }
  const best = usable[0];
  if (!best) throw new ScramError("server-error", `the server offers no login this add-in knows (it offers ${offered.join(", ") || "none"})`);
  return best;
}
