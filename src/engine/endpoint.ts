// Where the engine connects (F23): the account's own service when it names one (typed, or preset
// by IT), else the WebSocket endpoint its domain's host-meta names (XEP-0156, src/xmpp/discovery.ts),
// kept in the store until it expires — and asked for again, once, when the kept one fails (the
// server moved). The doctor and Options say which it was (`endpoint`).
import { connect, type Connection } from "../xmpp/connection";
import { endpointFor, type Discovered } from "../xmpp/discovery";
import type { LoginResult } from "../xmpp/sasl";
import type { EngineContext } from "./context";

/** How the endpoint was found: typed or preset (the account names it), or discovered. */
export interface Endpoint {
  service: string;
  how: "given" | "discovered";
  /** The host-meta document a discovered endpoint came from. */
  from?: string;
}

export function endpointPart(ctx: EngineContext) {
  const { options, store, clock, events } = ctx;
  let endpoint: Endpoint | undefined;
  const domainOf = (jid: string) => jid.slice(jid.lastIndexOf("@") + 1).toLowerCase();
  const cache = {
    get: (domain: string) => store.state.get<Discovered>(`endpoint:${domain}`),
    set: (domain: string, d: Discovered) => store.state.set(`endpoint:${domain}`, d),
  };
  const login = () => ({ random: options.random, reconnect: options.reconnect, onLogin: (r: LoginResult) => events.emit("login", r) });
  const at = (service: string) => connect({ ...login(), account: { ...options.account, service } });

  /** The account's own service, else the discovered one — found again when the kept one fails. */
  async function connectSomewhere(): Promise<Connection> {
    const given = options.account.service;
    if (given) {
      endpoint = { service: given, how: "given" };
      return at(given);
    }
    const domain = domainOf(options.account.jid);
    const found = await endpointFor(domain, cache, { ...options.discovery, now: () => clock.now() });
    endpoint = { service: found.service, how: "discovered", from: found.from };
    try {
      return await at(found.service);
    } catch (err) {
      // the kept endpoint may be stale (the server moved): ask host-meta again, once;
      // host-meta cannot be read now: the connection's own failure is the one to tell
      const again = await endpointFor(domain, cache, { ...options.discovery, now: () => clock.now(), fresh: true }).catch(() => found);
      if (again.service === found.service) throw err;
      endpoint = { service: again.service, how: "discovered", from: again.from };
      return at(again.service);
    }
  }

  return {
    connect: connectSomewhere,
    /** Where the engine connects and how that was found; undefined before the first start. */
    get current() {
      return endpoint;
    },
  };
}
