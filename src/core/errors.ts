// Errors are values the user can act on: what failed, why, and what to do. One type for the
// whole product, with a code the UI decides on (never the wording of a message). Errors cross
// from the Thunderbird background to its windows as plain `Problem` objects and are rebuilt
// there, so a window can still ask `isProblem(err, "needs-account")`.
export type ProblemCode =
  // input
  | "invalid-email" | "invalid-jid" | "invalid-invitation" | "invalid-transition" | "corrupt-row" | "too-large"
  // people and things the user named
  | "unknown-address" | "no-recipient" | "no-longer-known" | "address-unconfirmed"
  // the account and the connection
  | "needs-account" | "not-connected" | "wrong-password" | "needs-password" | "server-not-proven" | "no-endpoint" | "insecure-transport" | "bad-service" | "unreachable"
  | "tls" | "stream-closed" | "timeout"
  // a login that could be steered: host-meta naming another domain's server, PLAIN offered after SCRAM worked
  | "endpoint-elsewhere" | "plain-after-scram"
  // the server's features and answers
  | "no-group-chat" | "no-upload" | "room-gone" | "not-allowed" | "server-error"
  // the outbox, the host, the protocol between pages and hosts
  | "gave-up" | "host" | "unknown-command" | "internal";

export class UserFacingError extends Error {
  readonly code: ProblemCode;
  readonly hint: string;
  constructor(code: ProblemCode, message: string, hint = "") {
    super(`${message} ${hint}`.trim());
    this.name = "UserFacingError";
    this.code = code;
    this.hint = hint;
  }
}

/** An error as it travels between a host and its pages (structured-clone safe). */
export interface Problem {
  code: ProblemCode;
  message: string;
}

/** Anything thrown, as a Problem: our own errors keep their code; anything else is "internal". */
export function problemOf(err: unknown): Problem {
  if (err instanceof UserFacingError) return { code: err.code, message: err.message };
  const e = err as { code?: unknown; problem?: unknown; message?: unknown } | undefined;
  // ConnectionError (src/xmpp) carries its code as `problem`; a rebuilt Problem as `code`
  const code = typeof e?.problem === "string" ? e.problem : typeof e?.code === "string" ? e.code : undefined;
  const message = typeof e?.message === "string" && e.message ? e.message : String(err);
  return { code: isProblemCode(code) ? code : "internal", message };
}

/** A Problem received from the other side, as an Error again. */
export function fromProblem(p: Problem): UserFacingError {
  return new UserFacingError(isProblemCode(p.code) ? p.code : "internal", p.message);
}

export function isProblem(err: unknown, code: ProblemCode): boolean {
  return problemOf(err).code === code;
}

const CODES: ReadonlySet<string> = new Set<ProblemCode>([
  "invalid-email", "invalid-jid", "invalid-invitation", "invalid-transition", "corrupt-row", "too-large",
  "unknown-address", "no-recipient", "no-longer-known", "address-unconfirmed",
  "needs-account", "not-connected", "wrong-password", "needs-password", "server-not-proven", "no-endpoint", "insecure-transport", "bad-service", "unreachable", "tls", "stream-closed", "timeout",
  "endpoint-elsewhere", "plain-after-scram",
  "no-group-chat", "no-upload", "room-gone", "not-allowed", "server-error",
  "gave-up", "host", "unknown-command", "internal",
]);
function isProblemCode(code: unknown): code is ProblemCode {
  return typeof code === "string" && CODES.has(code);
}
