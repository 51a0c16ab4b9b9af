// Errors are values the user can act on: what failed, why, and what to do. One base class for
// the whole product, with a code the UI decides on (never the wording of a message) and the
// facts it names as data (`details`), so a page says it in the reader's language
// (`problem_<code>` in src/ui/_locales, src/ui/problem-text.ts). The English message stays for
// logs, the command line and the engine's own users. Errors cross from the Thunderbird
// background to its windows as plain `Problem` objects and are rebuilt there, so a window can
// still ask `isProblem(err, "needs-account")`.

/** Every code, once: the type below is read from this list. */
export const PROBLEM_CODES = [
  // input
  "invalid-email",
  "invalid-jid",
  "invalid-invitation",
  "invalid-transition",
  "corrupt-row",
  "too-large",
  "usage",
  // people and things the user named
  "unknown-address",
  "no-recipient",
  "no-longer-known",
  "address-unconfirmed",
  // the account and the connection
  "needs-account",
  "not-connected",
  "wrong-password",
  "needs-password",
  "server-not-proven",
  "no-endpoint",
  "insecure-transport",
  "bad-service",
  "unreachable",
  "tls",
  "stream-closed",
  "timeout",
  // a login that could be steered: host-meta naming another domain's server, PLAIN offered after SCRAM worked
  "endpoint-elsewhere",
  "plain-after-scram",
  // the server's features and answers; a chat session's
  "no-group-chat",
  "no-upload",
  "room-gone",
  "not-allowed",
  "server-error",
  "room-members-only",
  "room-password",
  "nick-taken",
  "banned",
  "room-unavailable",
  // the outbox, the host, the protocol between pages and hosts
  "gave-up",
  "host",
  "unknown-command",
  "internal",
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

/** The facts a problem names (an address, a server, a domain), as text a translation puts in place. */
export type ProblemDetails = Record<string, string>;

export class UserFacingError extends Error {
  readonly code: ProblemCode;
  readonly hint: string;
  readonly details: ProblemDetails;
  constructor(code: ProblemCode, message: string, hint = "", details: ProblemDetails = {}) {
    super(`${message} ${hint}`.trim());
    this.name = "UserFacingError";
    this.code = code;
    this.hint = hint;
    this.details = details;
  }
}

/** An error as it travels between a host and its pages (structured-clone safe). */
export interface Problem {
  code: ProblemCode;
  message: string;
  details?: ProblemDetails;
}

const detailsOf = (d: unknown): ProblemDetails | undefined => {
  if (!d || typeof d !== "object") return undefined;
  const out: ProblemDetails = {};
  for (const [k, v] of Object.entries(d)) if (typeof v === "string") out[k] = v;
  return Object.keys(out).length ? out : undefined;
};

/** Anything thrown, as a Problem: our own errors keep their code and details; anything else is "internal". */
export function problemOf(err: unknown): Problem {
  const e = err as { code?: unknown; message?: unknown; details?: unknown } | undefined;
  const code = err instanceof UserFacingError ? err.code : isProblemCode(e?.code) ? e.code : "internal"; // a rebuilt Problem carries `code`
  const message = typeof e?.message === "string" && e.message ? e.message : String(err);
  const details = detailsOf(e?.details);
  return { code, message, ...(details ? { details } : {}) };
}

/** A Problem received from the other side, as an Error again. */
export function fromProblem(p: Problem): UserFacingError {
  return new UserFacingError(isProblemCode(p.code) ? p.code : "internal", p.message, "", detailsOf(p.details) ?? {});
}

export function isProblem(err: unknown, code: ProblemCode): boolean {
  return problemOf(err).code === code;
}

const CODES: ReadonlySet<string> = new Set<string>(PROBLEM_CODES);
export function isProblemCode(code: unknown): code is ProblemCode {
  return typeof code === "string" && CODES.has(code);
}
