// How a connection fails, in words a user can act on: the transports refused before anything is
// sent (checkService), and a failed login or a dropped stream as a ConnectionError whose code
// decides what a page says (describeFailure; src/ui/problem-text.ts puts it in the reader's
// language). Split from src/xmpp/connection.ts, which connects.
import { isLoopbackHost } from "../core/address";
import { UserFacingError, type ProblemDetails } from "../core/errors";
import type { Account } from "./connection";
import { ScramError } from "./scram";

export type ConnectionProblem =
  | "insecure-transport"
  | "bad-service"
  | "wrong-password"
  | "needs-password"
  | "server-not-proven"
  | "plain-after-scram"
  | "unreachable"
  | "tls"
  | "stream-closed"
  | "timeout";

export class ConnectionError extends UserFacingError {
  constructor(
    readonly problem: ConnectionProblem,
    message: string,
    details: ProblemDetails = {},
  ) {
    super(problem, message, "", details);
    this.name = "ConnectionError";
  }
}

/** Refuses any transport that would expose a password or a chat: only wss://, or ws:// on loopback. */
export function checkService(service: string): URL {
  let url: URL;
  try {
    url = new URL(service);
  } catch {
    throw new ConnectionError("bad-service", `"${service}" is not a WebSocket address. Use one like wss://chat.example.org/xmpp-websocket.`, {
      server: service,
    });
  }
  if (url.protocol === "wss:") return url;
  if (url.protocol === "ws:" && isLoopbackHost(url.hostname)) return url;
  if (url.protocol === "ws:") {
    throw new ConnectionError(
      "insecure-transport",
      `Refusing to connect to ${service} without encryption: your password and messages would travel in clear. Use the server's wss:// address.`,
      { server: service },
    );
  }
  throw new ConnectionError("bad-service", `"${service}" is not a WebSocket address (ws:// or wss://). Use one like wss://chat.example.org/xmpp-websocket.`, {
    server: service,
  });
}

/** A failed login as a ConnectionError that names the server and the address (its details, for a page's own words). */
export function describeFailure(error: unknown, account: Account): ConnectionError {
  if (error instanceof ConnectionError) return error;
  const e = failure(error, account);
  return new ConnectionError(e.problem, e.message, { server: account.service, jid: account.jid, ...e.details });
}

function failure(error: unknown, account: Account): ConnectionError {
  if (error instanceof ScramError) {
    if (error.condition === "needs-password")
      return new ConnectionError(
        "needs-password",
        `The XMPP server at ${account.service} needs the password for ${account.jid} again: ${error.message}. Type it in the add-in's account settings.`,
      );
    if (error.condition === "plain-after-scram") {
      return new ConnectionError(
        "plain-after-scram",
        `The XMPP server at ${account.service} ${error.message} (for ${account.jid}): it may not be the real server, or it was set up again. The password was not sent; ask your administrator (IT can allow this with the allowPlainAfterScram policy).`,
      );
    }
    if (error.condition === "server-not-proven")
      return new ConnectionError(
        "server-not-proven",
        `The XMPP server at ${account.service} ${error.message} (for ${account.jid}): it may not be the real server. Nothing was sent; ask your administrator before you log in again.`,
      );
    return new ConnectionError(
      "wrong-password",
      `The XMPP server at ${account.service} could not log in ${account.jid}: ${error.message}. Ask your administrator.`,
    );
  }
  const e = error as { name?: string; condition?: string; code?: string; message?: string; text?: string };
  const where = account.service;
  if (e?.name === "SASLError") {
    if (e.condition === "not-authorized" || e.condition === "credentials-expired" || e.condition === "account-disabled") {
      return new ConnectionError(
        "wrong-password",
        `The XMPP server at ${where} refused the password for ${account.jid}: check the XMPP address and password in the add-in's account settings.`,
      );
    }
    return new ConnectionError(
      "wrong-password",
      `The XMPP server at ${where} refused to log in ${account.jid} (${e.condition}): check the XMPP address and password in the add-in's account settings.`,
    );
  }
  if (e?.name === "StreamError") {
    return new ConnectionError(
      "stream-closed",
      `The XMPP server at ${where} closed the connection (${e.condition}${e.text ? `: ${e.text}` : ""}). It will be retried; if it persists, ask your administrator.`,
    );
  }
  const msg = `${e?.message ?? ""} ${e?.code ?? ""}`;
  if (/certificate|self.signed|SSL|TLS|CERT_|unable to (verify|get)/i.test(msg)) {
    // which of the certificate's faults it is decides what the user can do about it
    let host = where;
    try {
      host = new URL(where).host;
    } catch {
      // not a URL: the service as it was typed names the server well enough
    }
    if (/ERR_TLS_CERT_ALTNAME_INVALID|Hostname\/IP does not match/i.test(msg)) {
      const names = /.*altnames: (.+)$/.exec(e?.message ?? "")?.[1]?.trim() ?? e?.message;
      return new ConnectionError(
        "tls",
        `The certificate of ${host} is for another name (it names ${names}): check the server address, or ask your administrator for a certificate that names it.`,
        { kind: "name" },
      );
    }
    if (/CERT_HAS_EXPIRED|certificate has expired/i.test(msg)) {
      return new ConnectionError(
        "tls",
        `The certificate of ${host} has expired: the add-in will not connect until the server's administrator renews it (check also that this computer's date is right).`,
        { kind: "expired" },
      );
    }
    if (/CERT_NOT_YET_VALID|not yet valid/i.test(msg)) {
      return new ConnectionError("tls", `The certificate of ${host} is not valid yet: check that this computer's date and time are right.`, {
        kind: "not-yet-valid",
      });
    }
    if (
      /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_GET_ISSUER_CERT|unable to (verify|get)|self.signed/i.test(
        msg,
      )
    ) {
      const why = /self.signed/i.test(msg) ? "it is self-signed" : "its issuer is unknown";
      return new ConnectionError(
        "tls",
        `The certificate of ${host} is not from an authority this computer trusts (${why}): if it is your organisation's own server, ask your administrator to install its certificate authority on this computer; otherwise do not connect, as the server may not be the real one.`,
        { kind: "untrusted" },
      );
    }
    return new ConnectionError("tls", `The secure connection to ${where} failed (${e?.message}). Check that the server's certificate is valid for its name.`);
  }
  if (/timeout/i.test(msg)) {
    return new ConnectionError("timeout", `The XMPP server at ${where} did not answer in time. Check your network; it will be retried.`);
  }
  return new ConnectionError(
    "unreachable",
    `Cannot reach the XMPP server at ${where} (${(e?.message || e?.code || "connection failed").trim()}). Check the address in Options and your network.`,
  );
}
