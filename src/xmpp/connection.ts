// The XMPP connection: WebSocket only (RFC 7395); PLAIN only over TLS or loopback, and not once
// SCRAM has worked (src/xmpp/sasl.ts); waits for stream management before anything is sent
// (xmpp.js 0.14 fires "online" before <enabled/> is processed, and stanzas sent in that gap break
// the ack count); reconnects with exponential backoff and jitter instead of xmpp.js's fixed 1 s;
// and turns failures into errors a user can act on.
import { client, type Client } from "@xmpp/client";
import XmppSocket from "@xmpp/websocket/lib/Socket.js";
import { normaliseJid } from "../core/address";
import { backoffDelay } from "../core/outbox";
import { saslLogin, serverSalt, type LoginResult } from "./sasl";
import type { ScramKeys } from "./scram";
import { checkService, ConnectionError, describeFailure } from "./connection-failure";

export { checkService, ConnectionError, describeFailure, type ConnectionProblem } from "./connection-failure";

// xmpp.js 0.14 detaches its listeners from a socket when the connection stops or drops, but a
// socket still connecting can emit "error" afterwards (a server that is down or just killed);
// an EventEmitter with no "error" listener throws, which would end the process. The error is
// already reported through the connection while it listens; afterwards it is of no interest.
const quiet = XmppSocket.prototype as { connect(url: string): void; on(e: string, f: () => void): void };
// eslint-disable-next-line @typescript-eslint/unbound-method -- called below with .call(this)
const connectSocket = quiet.connect;
quiet.connect = function (this: typeof quiet, url: string) {
  this.on("error", () => {});
  return connectSocket.call(this, url);
};

export interface Account {
  /** wss://host/xmpp-websocket (ws:// only on loopback) */
  service: string;
  /** bare JID, or a domain alone for an anonymous (guest) login */
  jid: string;
  password?: string;
  /** SCRAM keys kept from an earlier login instead of the password (F21). */
  scram?: ScramKeys;
  resource?: string;
  /**
   * At the first login with a password, learn whether the server's SCRAM salt is stable (a second
   * exchange, on a connection of its own), so the caller knows whether keys kept now will last.
   */
  learnSalt?: boolean;
  /** IT's policy `allowPlainAfterScram`: PLAIN is accepted after SCRAM has worked (refused otherwise). */
  allowPlainAfterScram?: boolean;
}

export interface ConnectOptions {
  account: Account;
  /** Backoff between reconnection attempts. */
  reconnect?: { baseMs: number; capMs: number };
  random?: () => number;
  /** How long to wait for stream management after login (servers without it: proceed). */
  smWaitMs?: number;
  timeoutMs?: number;
  /** Use this mechanism when the server offers it (the bench compares them); default the strongest. */
  mechanism?: string;
  /** After each login: the mechanism used and, for SCRAM, the keys to keep instead of the password. */
  onLogin?: (result: LoginResult) => void;
}

export interface Connection {
  xmpp: Client;
  jid: string; // full JID once online
  bare: string;
  anonymous: boolean;
  /** Resolves when the session is usable again after a drop (immediately if online). */
  ready(): Promise<void>;
  onStatus(fn: (status: "online" | "offline" | "reconnecting", error?: ConnectionError) => void): () => void;
  stop(): Promise<void>;
}

/**
 * What xmpp.js's start() does, minus its flaw: start() makes a promise for "online" that nobody
 * awaits when opening the stream fails, and a later "error" on the client (a reconnect attempt
 * refused while the server is down) turns it into an unhandled rejection.
 */
async function startClient(xmpp: Client, service: string, domain: string): Promise<void> {
  await (xmpp as unknown as { connect(s: string): Promise<void> }).connect(service);
  let off = () => {};
  const online = new Promise<void>((resolve, reject) => {
    const ok = () => (off(), resolve());
    const fail = (e: unknown) => (off(), reject(e));
    off = () => {
      xmpp.removeListener("online", ok);
      xmpp.removeListener("error", fail);
    };
    xmpp.once("online", ok);
    xmpp.once("error", fail);
  });
  online.catch(() => {}); // its failure is taken below by `await online`, or was already by open()'s throw
  try {
    await (xmpp as unknown as { open(o: { domain: string }): Promise<void> }).open({ domain });
  } catch (err) {
    off();
    throw err;
  }
  await online;
}

/**
 * Waits while an <enable/> is unanswered, and no longer: a server that offers no stream management
 * (ejabberd's guest hosts may not) or answers <failed/> is not waited for (that cost every guest
 * login the whole `maxMs`). xmpp.js sends <enable/> within the same turn as "online" (its
 * microtasks), so one timer tick later `enableSent` says whether one went out.
 */
async function waitForStreamManagement(xmpp: Client, maxMs: number): Promise<void> {
  const sm = xmpp.streamManagement as unknown as { enabled: boolean; enableSent: boolean };
  const until = Date.now() + maxMs;
  await new Promise((r) => setTimeout(r, 0));
  while (!sm.enabled && sm.enableSent && Date.now() < until && xmpp.status === "online") {
    await new Promise((r) => setTimeout(r, 5));
  }
}

export async function connect(options: ConnectOptions): Promise<Connection> {
  const { account } = options;
  const url = checkService(account.service);
  const anonymous = !account.jid.includes("@");
  const bare = anonymous ? account.jid : normaliseJid(account.jid);
  const [local, domain] = anonymous ? ["", bare] : (bare.split("@") as [string, string]);
  const random = options.random ?? Math.random;
  const policy = { ...(options.reconnect ?? { baseMs: 1000, capMs: 60_000 }), maxAttempts: Infinity };
  const smWaitMs = options.smWaitMs ?? 3000;

  const xmpp = client({
    service: url.toString(),
    domain,
    resource: account.resource,
    credentials: async (auth: (c: object, m: string) => Promise<void>, mechanisms: string[]) => {
      if (anonymous) {
        if (!mechanisms.includes("ANONYMOUS"))
          throw new ConnectionError("wrong-password", `The server at ${account.service} does not allow guest logins on ${domain}.`, {
            server: account.service,
            jid: domain,
            kind: "guest",
          });
        return auth({}, "ANONYMOUS");
      }
      return login(auth, mechanisms); // set up below, before anything connects
    },
  });
  // the keys of a login replace the password for the reconnections that follow (F21)
  let keys = account.scram;
  const password = account.password;
  // once per connection: its reconnections log in as the first login did
  let learnSalt = !!account.learnSalt;
  const probeSalt = (mechanism: string) => serverSalt({ service: url.toString(), domain, username: local, mechanism });
  const login = saslLogin(
    xmpp,
    () => ({
      username: local,
      password,
      keys,
      mechanism: options.mechanism,
      allowPlainAfterScram: account.allowPlainAfterScram,
      probeSalt: learnSalt ? probeSalt : undefined,
    }),
    (r) => {
      learnSalt = false;
      if (r.keys) keys = r.keys; // the password, if typed, stays in memory only: a new salt can then be met at once
      options.onLogin?.(r);
    },
  );
  // xmpp.js reconnects after a fixed 1 s, and in a tight loop while a server is down; ours backs off.
  xmpp.reconnect.stop();

  const listeners = new Set<(s: "online" | "offline" | "reconnecting", e?: ConnectionError) => void>();
  const emit = (s: "online" | "offline" | "reconnecting", e?: ConnectionError) => listeners.forEach((l) => l(s, e));
  let lastError: ConnectionError | undefined;
  let stopped = false;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let waiters: (() => void)[] = [];

  xmpp.on("error", (err: unknown) => {
    lastError = describeFailure(err, account);
  });
  // waitForStreamManagement only polls a flag: it cannot fail
  // the first "online" is connect() itself resolving; listeners hear of the ones after a drop
  let connected = false;
  xmpp.on(
    "online",
    () =>
      void (async () => {
        const again = connected;
        await waitForStreamManagement(xmpp, smWaitMs);
        attempt = 0;
        lastError = undefined;
        if (again) emit("online");
        const w = waiters;
        waiters = [];
        w.forEach((f) => f());
      })(),
  );

  function schedule() {
    if (stopped) return;
    attempt++;
    clearTimeout(timer);
    // the reconnection's failures are caught inside and lead to the next attempt
    timer = setTimeout(
      () =>
        void (async () => {
          if (stopped || xmpp.status !== "disconnect") return;
          emit("reconnecting");
          try {
            await xmpp.reconnect.reconnect();
          } catch (err) {
            lastError = describeFailure(err, account);
            // a wrong password will not heal by retrying
            if (lastError.problem === "wrong-password") return void emit("offline", lastError);
            if ((xmpp.status as string) !== "online") schedule();
          }
        })(),
      backoffDelay(attempt, policy, random),
    );
  }
  xmpp.on("disconnect", () => {
    if (stopped) return;
    emit("offline", lastError);
    schedule();
  });

  const timeoutMs = options.timeoutMs ?? 15_000;
  let startTimer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      startClient(xmpp, url.toString(), domain),
      new Promise((_, reject) => {
        startTimer = setTimeout(
          () =>
            reject(
              new ConnectionError(
                "timeout",
                `The XMPP server at ${account.service} did not answer within ${timeoutMs / 1000} s. Check the address and your network.`,
                { server: account.service, jid: account.jid },
              ),
            ),
          timeoutMs,
        );
      }),
    ]);
  } catch (err) {
    stopped = true;
    clearTimeout(startTimer);
    await xmpp.stop().catch(() => {}); // the start failed already: that failure is what the user is told
    throw describeFailure(lastError && !(err instanceof ConnectionError) && (err as Error)?.name !== "SASLError" ? lastError : err, account);
  }
  clearTimeout(startTimer);
  connected = true;
  await waitForStreamManagement(xmpp, smWaitMs);

  return {
    xmpp,
    get jid() {
      return xmpp.jid?.toString() ?? "";
    },
    bare: anonymous ? (xmpp.jid?.bare().toString() ?? domain) : bare,
    anonymous,
    ready: () => (xmpp.status === "online" ? Promise.resolve() : new Promise<void>((r) => waiters.push(r))),
    onStatus(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await xmpp.stop().catch(() => {}); // a socket already gone cannot be closed twice: stopped either way
    },
  };
}
