// Email HTML to plain text for digests (history, conversion), in passes that each read the text
// once (issue 21, item 1). Each pass stands for one of the regexes this used to be, applied in the
// same order, so the text that comes out is theirs; those regexes searched to the end of the text
// for the close of every tag left open, which an email can do 100,000 times.
import { isAt, isSpace, isWordChar } from "./scan";

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };
/** Elements whose content is not text: dropped whole, tags and content. */
const HIDDEN = ["script", "style", "head", "title", "template", "noscript"];
/** Tags that end a line. */
const BREAKS = ["br", "/p", "/div", "/li", "/tr", "/h1", "/h2", "/h3", "/h4", "/h5", "/h6"];

/** The name of `names` at `i` followed by a word boundary (the regex `(a|b|…)\b`, any case). */
function nameAt(html: string, i: number, names: string[]): string | undefined {
  const first = html.charCodeAt(i) | 0x20; // a quick no for most places: the first letter in lower case
  for (const n of names) {
    if (n.charCodeAt(0) === first && isAt(html, i, n, true) && !isWordChar(html.charCodeAt(i + n.length))) return n;
  }
  return undefined;
}

/** Where the first `</name\s*>` from `from` ends; -1 when there is none. */
function closeOf(html: string, name: string, from: number): number {
  for (let i = html.indexOf("</", from); i >= 0; i = html.indexOf("</", i + 2)) {
    if (!isAt(html, i + 2, name, true)) continue;
    let j = i + 2 + name.length;
    while (j < html.length && isSpace(html.charCodeAt(j))) j++;
    if (html.charCodeAt(j) === 0x3e) return j + 1;
  }
  return -1;
}

/** What a pattern finds at a "<" or "&": where the match ends and what replaces it, or nothing. */
type Found = readonly [end: number, by: string] | "none here" | "none from here on";

/** The text with each match replaced, left to right, the search going on after each match. */
function replaceEach(text: string, ch: string, match: (i: number) => Found): string {
  const out: string[] = [];
  let copied = 0;
  for (let i = text.indexOf(ch); i >= 0;) {
    const found = match(i);
    if (found === "none from here on") break;
    if (found === "none here") {
      i = text.indexOf(ch, i + 1);
      continue;
    }
    out.push(text.slice(copied, i), found[1]);
    copied = found[0];
    i = text.indexOf(ch, copied);
  }
  out.push(text.slice(copied));
  return out.join("");
}

/** /<(script|style|head|title|template|noscript)\b[\s\S]*?<\/\1\s*>/gi → " " */
function dropHidden(html: string): string {
  // an element with no close after one place has none after any later place: looked for once
  const unclosed = new Set<string>();
  return replaceEach(html, "<", (i) => {
    const name = nameAt(html, i + 1, HIDDEN);
    if (!name || unclosed.has(name)) return "none here";
    const end = closeOf(html, name, i + 1 + name.length);
    if (end >= 0) return [end, " "];
    unclosed.add(name);
    return "none here";
  });
}

/** `<!--[\s\S]*?-->` → " " */
function dropComments(html: string): string {
  return replaceEach(html, "<", (i) => {
    if (!isAt(html, i, "<!--")) return "none here";
    const end = html.indexOf("-->", i + 4);
    return end < 0 ? "none from here on" : [end + 3, " "];
  });
}

/** /<(br|\/p|\/div|\/li|\/tr|\/h[1-6])\b[^>]*>/gi → "\n", then /<[^>]*>/g → "" (two passes, as before). */
function dropTags(html: string): string {
  const toLines = replaceEach(html, "<", (i) => {
    const name = nameAt(html, i + 1, BREAKS);
    if (!name) return "none here";
    const gt = html.indexOf(">", i + 1 + name.length);
    return gt < 0 ? "none from here on" : [gt + 1, "\n"];
  });
  return replaceEach(toLines, "<", (i) => {
    const gt = toLines.indexOf(">", i + 1);
    return gt < 0 ? "none from here on" : [gt + 1, ""];
  });
}

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isHex = (c: number) => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
const isLetter = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const runOf = (text: string, i: number, is: (c: number) => boolean) => {
  while (i < text.length && is(text.charCodeAt(i))) i++;
  return i;
};

/** /&(#x[0-9a-f]+|#\d+|[a-z]+);/gi → the character it names (unknown names stay as written). */
function decodeEntities(text: string): string {
  return replaceEach(text, "&", (i) => {
    const hash = text.charCodeAt(i + 1) === 0x23;
    const x = hash && (text.charCodeAt(i + 2) | 0x20) === 0x78;
    const from = x ? i + 3 : hash ? i + 2 : i + 1;
    const stop = runOf(text, from, x ? isHex : hash ? isDigit : isLetter);
    if (stop === from || text.charCodeAt(stop) !== 0x3b) return "none here";
    const word = text.slice(from, stop);
    if (!hash) {
      const key = word.toLowerCase();
      // own keys only: "&constructor;" is no entity
      return [stop + 1, Object.hasOwn(ENTITIES, key) ? ENTITIES[key]! : text.slice(i, stop + 1)];
    }
    const code = parseInt(word, x ? 16 : 10);
    return [stop + 1, code > 0 && code < 0x110000 ? String.fromCodePoint(code) : ""];
  });
}

/** Email HTML to plain text for a digest. The result is text: it is never rendered as HTML. */
export function htmlToText(html: string): string {
  return (
    decodeEntities(dropTags(dropComments(dropHidden(html))))
      // linear as regexes: one class each, nothing after the `+`; after the first, no two spaces
      // stand together, so ` *` before "\n" takes at most one
      .replace(/[ \t\r\f\v]+/g, " ")
      .replace(/ *\n[ \n]*/g, "\n")
      .trim()
  );
}
