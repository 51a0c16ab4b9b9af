// Errors are values the user can act on: what failed, why, and what to do.
export type ProblemCode =
  | "invalid-email" | "invalid-jid" | "invalid-invitation" | "invalid-transition"
  | "corrupt-row" | "too-large" | "unknown-address" | "gave-up";

export class UserFacingError extends Error {
  readonly code: ProblemCode;
  readonly hint: string;
  constructor(code: ProblemCode, message: string, hint: string) {
    super(`${message} ${hint}`.trim());
    this.name = "UserFacingError";
    this.code = code;
    this.hint = hint;
  }
}
