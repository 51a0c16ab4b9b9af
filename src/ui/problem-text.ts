// What a page says when something failed: the problem's code in the reader's language
// (`problem_<code>` in _locales, or `problem_<code>_<kind>` where the code has kinds with other
// remedies, as a certificate that expired and one nobody trusts), with the facts the error names
// (its details) put in place — never the engine's English sentence, which stays for logs and the
// command line. A message a host wrote in the reader's language already (details.language is the
// page's locale) is shown as it is; so is anything when the page has no string for its code.
import { problemOf, UserFacingError, type Problem, type ProblemCode } from "../core/errors";
import type { T } from "./i18n";

/** The details each code's text puts in place, in the order of its $1, $2… */
const SUBS: Partial<Record<ProblemCode, readonly string[]>> = {
  "address-unconfirmed": ["jid", "email"],
  "no-endpoint": ["domain"],
  "endpoint-elsewhere": ["domain", "service", "from"],
};

/** An error a host writes in the reader's language already (its own string): shown as it is. */
export const said = (t: T, code: ProblemCode, text: string): UserFacingError => new UserFacingError(code, text, "", { language: t("@@ui_locale") });

/** Why an IM failed, in the reader's language: `reason_<code>` (a bounce's condition, "gave-up"), else the engine's English. */
export function reasonText(line: { reason?: string; reasonCode?: string }, t: T): string {
  const key = line.reasonCode ? problemKey(line.reasonCode).replace(/^problem_/, "reason_") : "";
  const s = key ? t(key) : "";
  return s && s !== key ? s : (line.reason ?? "");
}

/** A _locales key for a code: message names are letters, digits and "_" only. */
export const problemKey = (code: string, kind?: string): string => `problem_${code}${kind ? `_${kind}` : ""}`.replace(/-/g, "_");

/** The problem an error is, in the reader's language. */
export function problemText(err: unknown, t: T): string {
  const p: Problem = problemOf(err);
  const details = p.details ?? {};
  if (details.language && details.language === t("@@ui_locale")) return p.message;
  const names = SUBS[p.code] ?? [];
  const subs = names.map((n) => details[n] ?? "");
  // the errors of these codes always name their facts; a rebuilt one that does not would read with holes
  if (!subs.every(Boolean)) return p.message;
  // a host whose getMessage answers an unknown key with the key itself is asked the same way
  const say = (key: string) => {
    const s = t(key, ...subs);
    return s === key ? "" : s;
  };
  const text = (details.kind ? say(problemKey(p.code, details.kind)) : "") || say(problemKey(p.code));
  if (text) return p.code === "internal" ? `${text} (${p.message})` : text;
  return p.message;
}
