// Scanners for untrusted text (issue 21, item 1). Every email a person displays is read, and its
// sender chose every character: a regex whose quantifiers overlap can backtrack for minutes on
// 50 KB made for it. What lives here walks the text left to right and never reads a character
// more than a fixed number of times; each reader says which regex it stands for, so its answers
// on ordinary text are that regex's answers.

/** What the regex class `\s` matches: ECMAScript's WhiteSpace and LineTerminator characters. */
export function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  return (
    c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

/** `[A-Za-z0-9_]`, the characters on one side of a regex `\b`. */
export function isWordChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

/**
 * True when `word` stands at `i`. With `anyCase`, ASCII letters match in either case (`word` is
 * written in lower case) — and only ASCII ones, as in a regex with the `i` flag and no `u`.
 */
export function isAt(text: string, i: number, word: string, anyCase = false): boolean {
  if (i < 0 || i + word.length > text.length) return false;
  for (let k = 0; k < word.length; k++) {
    let c = text.charCodeAt(i + k);
    if (anyCase && c >= 0x41 && c <= 0x5a) c |= 0x20;
    if (c !== word.charCodeAt(k)) return false;
  }
  return true;
}

/** Where `word` (lower case) next stands at or after `from`, ASCII case ignored; -1 when nowhere. */
export function indexOfAnyCase(text: string, word: string, from: number): number {
  const first = word.charCodeAt(0);
  const upper = first >= 0x61 && first <= 0x7a ? first - 0x20 : first;
  for (let i = Math.max(0, from); i + word.length <= text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c === first || c === upper) && isAt(text, i, word, true)) return i;
  }
  return -1;
}

/** The end of the run of characters from `i` that `inRun` takes (`i` itself when it takes none). */
export function runEnd(text: string, i: number, inRun: (c: number) => boolean): number {
  let j = i;
  while (j < text.length && inRun(text.charCodeAt(j))) j++;
  return j;
}

/** Where `ch` first stands in [from, to); -1 when not there. Never reads past `to`. */
export function indexIn(text: string, ch: number, from: number, to: number): number {
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === ch) return i;
  return -1;
}

// what a link or address written in text may hold: the regex class [^\s"'<>]
const inLink = (c: number) => !isSpace(c) && c !== 0x22 && c !== 0x27 && c !== 0x3c && c !== 0x3e;
const isUuidChar = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46) || c === 0x2d;

/** "s=" and 36 UUID characters ([0-9a-fA-F-]{36}) somewhere in [from, to). */
function hasSessionParam(text: string, from: number, to: number): boolean {
  for (let q = indexIn(text, 0x73, from, to - 37); q >= 0; q = indexIn(text, 0x73, q + 1, to - 37)) {
    if (text.charCodeAt(q + 1) !== 0x3d) continue;
    let k = q + 2;
    while (k < q + 38 && isUuidChar(text.charCodeAt(k))) k++;
    if (k === q + 38) return true;
  }
  return false;
}

/**
 * The join links in text: the answers of /https?:\/\/L+#L*s=[0-9a-fA-F-]{36}L*\/g (L: [^\s"'<>])
 * in one pass. Every part of that regex takes the same characters, so it tried each way of
 * cutting a run into them: cubic time. A match is a whole run from its first "http(s)://" to
 * its end, when a "#" follows the host's first character and an "s=<36>" follows the "#"; a
 * later "http" in the same run has a shorter run with the same end, so it cannot match either.
 */
export function* joinLinksIn(text: string): Generator<string> {
  let i = 0;
  for (;;) {
    const h = text.indexOf("http", i);
    if (h < 0) return;
    const host = isAt(text, h + 4, "s://") ? h + 8 : isAt(text, h + 4, "://") ? h + 7 : -1;
    if (host < 0) {
      i = h + 1;
      continue;
    }
    const end = runEnd(text, host, inLink);
    const hash = indexIn(text, 0x23, host + 1, end);
    if (hash >= 0 && hasSessionParam(text, hash + 1, end)) yield text.slice(h, end);
    i = Math.max(end, h + 1);
  }
}

/**
 * The `xmpp:…?join` addresses in text: the answers of /xmpp:L+\?join/gi in one pass, each the
 * run from "xmpp:" to its last "?join" (the regex's greedy `+` gives characters back from the
 * run's end until "?join" is found); a later "xmpp:" in the same run ends at that same "?join".
 */
export function* joinUrisIn(text: string): Generator<string> {
  let i = 0;
  for (;;) {
    const at = indexOfAnyCase(text, "xmpp:", i);
    if (at < 0) return;
    const end = runEnd(text, at + 5, inLink);
    let join = end - 5;
    while (join >= at + 6 && !isAt(text, join, "?join", true)) join--;
    if (join >= at + 6) yield text.slice(at, join + 5);
    i = Math.max(end, at + 5);
  }
}

/** An `xmpp:` address found in text (RFC 5122), as written. */
export interface XmppUri {
  /** The address part between "xmpp:" and the query, not yet normalised (may be %-encoded). */
  jid: string;
  /** The query's action with its "?", lower-cased ("?message", "?join", "?" alone); "" when none. */
  action: string;
  /** Where "xmpp:" starts in the text. */
  index: number;
}

// the regex class [^\s?<>"'(),;]: what an address written in text may hold
const inAddress = (c: number) =>
  !isSpace(c) && c !== 0x3f && c !== 0x3c && c !== 0x3e && c !== 0x22 && c !== 0x27 && c !== 0x28 && c !== 0x29 && c !== 0x2c && c !== 0x3b;
const isAsciiLetter = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

/**
 * Every `xmpp:` address in the text: the answers of /xmpp:([^\s?<>"'(),;]+@[^\s?<>"'(),;]+)(\?[a-z]*)?/gi
 * in one pass. That regex's first `+` takes the whole run and gives it back a character at a time
 * looking for an "@", from every "xmpp:" in the run: "xmpp:a" × n costs n². Here the run after
 * "xmpp:" is the address when an "@" stands inside it with a character on each side — any later
 * "xmpp:" of the same run has a shorter run with the same end, so it is skipped with the run.
 */
export function xmppUris(text: string): XmppUri[] {
  const found: XmppUri[] = [];
  let i = 0;
  for (;;) {
    const at = indexOfAnyCase(text, "xmpp:", i);
    if (at < 0) return found;
    const start = at + 5;
    const end = runEnd(text, start, inAddress);
    i = end;
    if (indexIn(text, 0x40, start + 1, end - 1) < 0) continue;
    let action = "";
    if (text.charCodeAt(end) === 0x3f) {
      const stop = runEnd(text, end + 1, isAsciiLetter);
      action = text.slice(end, stop).toLowerCase();
      i = stop;
    }
    found.push({ jid: text.slice(start, end), action, index: at });
  }
}
