// Email addresses and JIDs, normalised so that one person has one key everywhere:
// lower case, IDN domains in their ASCII (punycode) form, JIDs bare.
import { parse as parseJid } from "@xmpp/jid";
import { UserFacingError } from "./errors";

// ASCII atoms plus letters and digits of any script (RFC 6531 internationalised addresses).
const LOCAL_PART = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~.-]+$/u;
const MAX_EMAIL = 254;

/** The ASCII form of a domain, IDN included (URL parsing is available in Node and in every page). */
export function asciiDomain(domain: string): string | null {
  const d = domain.trim().replace(/\.$/, "");
  if (!d || d.length > 253 || /[\s/\\?#@:[\]]/.test(d)) return null;
  let host: string;
  try {
    host = new URL(`http://${d}/`).hostname;
  } catch {
    return null;
  }
  const labels = host.split(".");
  if (labels.length < 2 && host !== "localhost") return null;
  if (!labels.every((l) => /^(?!-)[a-z0-9-]{1,63}(?<!-)$/.test(l))) return null;
  if (/^\d+$/.test(labels[labels.length - 1] ?? "")) return null; // an IP address is no mail domain
  return host;
}

/** "Alice <Alice@Exämple.org>" or "alice@exämple.org" → "alice@xn--exmple-cua.org". */
export function normaliseEmail(input: string): string {
  const raw = String(input ?? "").trim();
  const angle = /<([^<>]*)>\s*$/.exec(raw);
  const addr = (angle ? angle[1]! : raw).trim();
  const at = addr.lastIndexOf("@");
  const fail = () =>
    new UserFacingError(
      "invalid-email",
      `"${raw.slice(0, 80)}" is not a valid email address.`,
      "Check the address for typos: it must look like name@example.org.",
    );
  if (at <= 0 || at === addr.length - 1 || addr.length > MAX_EMAIL) throw fail();
  const local = addr.slice(0, at);
  const domain = asciiDomain(addr.slice(at + 1));
  if (!domain || !LOCAL_PART.test(local) || local.startsWith(".") || local.endsWith(".") || local.includes("..")) {
    throw fail();
  }
  return `${local.toLowerCase()}@${domain}`;
}

/**
 * The address in "Name <addr>", as /^.*<([^>]+)>.*$/ took it, trimmed: the last "<" on the first
 * line whose first ">" after it has something between and no line break after it ("." stops at
 * line ends; [^>] does not); no such pair, the text as it is. In two passes: that regex was n² on
 * a run of "<" with no ">", and an address in a history payload is anyone's text.
 */
export function angleAddress(input: string): string {
  const isBreak = (c: number) => c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029;
  let firstBreak = input.length;
  let lastBreak = -1;
  for (let i = 0; i < input.length; i++) {
    if (!isBreak(input.charCodeAt(i))) continue;
    firstBreak = Math.min(firstBreak, i);
    lastBreak = i;
  }
  let nextClose = -1; // the first ">" after the position looked at
  for (let i = input.length - 1; i >= 0; i--) {
    const c = input.charCodeAt(i);
    if (c === 0x3e) nextClose = i;
    else if (c === 0x3c && i < firstBreak && nextClose > i + 1 && nextClose > lastBreak) return input.slice(i + 1, nextClose).trim();
  }
  return input.trim();
}

export function isEmail(input: string): boolean {
  try {
    normaliseEmail(input);
    return true;
  } catch {
    return false;
  }
}

/**
 * `s.replace(/X.*$/, "")` for one character X, without the regex: from the first X of the last
 * line (`.` stops at line ends) to the end. The regex tried every X up to the line's end: n² on
 * "?" × n followed by a line break, and a header or a URI in an email is anyone's text.
 */
function cutLastLineFrom(s: string, x: string): string {
  const lineStart = Math.max(s.lastIndexOf("\n"), s.lastIndexOf("\r"), s.lastIndexOf("\u2028"), s.lastIndexOf("\u2029")) + 1;
  const at = s.indexOf(x, lineStart);
  return at < 0 ? s : s.slice(0, at);
}

/** A bare JID, lower-cased, with an ASCII domain. Accepts "xmpp:" URIs too. */
export function normaliseJid(input: string): string {
  const raw = cutLastLineFrom(
    String(input ?? "")
      .trim()
      .replace(/^xmpp:/i, ""),
    "?",
  );
  const fail = () =>
    new UserFacingError("invalid-jid", `"${raw.slice(0, 80)}" is not a valid XMPP address.`, "An XMPP address looks like name@chat.example.org.");
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    throw fail();
  }
  const at = decoded.indexOf("@");
  if (at <= 0 || /[\s"&'/:<>]/.test(decoded.slice(0, at)) || decoded.length > 3071) throw fail();
  const domain = asciiDomain(cutLastLineFrom(decoded.slice(at + 1), "/"));
  if (!domain) throw fail();
  try {
    const jid = parseJid(`${decoded.slice(0, at)}@${domain}`);
    return jid.bare().toString();
  } catch {
    throw fail();
  }
}

export function isJid(input: string): boolean {
  try {
    normaliseJid(input);
    return true;
  } catch {
    return false;
  }
}

/** This computer's own names: the only hosts where a connection may go without TLS. */
export function isLoopbackHost(hostname: string): boolean {
  return ["localhost", "127.0.0.1", "[::1]", "::1"].includes(hostname.toLowerCase());
}
