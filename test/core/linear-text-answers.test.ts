// Issue 21, item 1, its other half: the linear readers of untrusted text give the same answers
// as the regexes they replaced (bench/text-before.ts), on short seeded random text made of the
// pieces those regexes cared about. test/core/linear-text.test.ts gives them 1 MB made to stall them.
import { angleAddress, findInvitation, htmlToText, nameFromHeader, parseEml } from "../../src/core";
import { isSpace, joinLinksIn, joinUrisIn, xmppUris } from "../../src/core/scan";
import {
  addressesBefore,
  angleAddressBefore,
  findInvitationBefore,
  htmlToTextBefore,
  joinLinksBefore,
  joinUrisBefore,
  nameFromHeaderBefore,
  xmppUrisBefore,
} from "../../bench/text-before";

const session = "6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f";
const mucDomain = "conference.example.org";
const eml = (headers: string, body = "") => `From: alice@example.org\n${headers}\n\n${body}`;

describe("the same answers as the regexes they replace, on short random text", () => {
  it("htmlToText", () => {
    const next = random(21);
    const tokens = [
      "<",
      ">",
      "<style",
      "</style",
      "</STYLE >",
      "<script>",
      "</script>",
      "<title>",
      "<!--",
      "-->",
      "<br",
      "<BR/>",
      "</p",
      "</h2>",
      "</pre>",
      "<b>",
      "&",
      "#",
      "x",
      "X",
      "1",
      "f",
      ";",
      "&amp;",
      "&#x41;",
      "&#65;",
      "&nbsp;",
      "&bogus;",
      " ",
      "\n",
      "\t",
      "a",
      "/",
      "-",
    ];
    for (let k = 0; k < 5000; k++) {
      const html = textOf(next, tokens, 24);
      expect([html, htmlToText(html)]).toEqual([html, htmlToTextBefore(html)]);
    }
  });

  const linkTokens = [
    "https://",
    "http://",
    "HTTPS://",
    "https://a.org/j",
    "a.org/",
    "#",
    "#s=",
    "s=",
    session,
    session.toUpperCase(),
    session.slice(1),
    `#s=${session}&m=${mucDomain}`,
    "00000000-0000-1000-8000-000000000000",
    `&m=${mucDomain}`,
    "&amp;",
    "&f=alice%40example.org",
    "xmpp:",
    "XMPP:",
    "?join",
    "?JOIN",
    `xmpp:${session}@${mucDomain}?join`,
    `${session}@${mucDomain}`,
    "@",
    " ",
    '"',
    "<",
    "\n",
    "a",
  ];
  it("the join links and join addresses findInvitation reads", () => {
    const next = random(1);
    let links = 0;
    let uris = 0;
    for (let k = 0; k < 5000; k++) {
      const text = textOf(next, linkTokens, 10);
      expect([text, [...joinLinksIn(text)]]).toEqual([text, joinLinksBefore(text)]);
      expect([text, [...joinUrisIn(text)]]).toEqual([text, joinUrisBefore(text)]);
      links += joinLinksBefore(text).length;
      uris += joinUrisBefore(text).length;
    }
    expect(Math.min(links, uris)).toBeGreaterThan(100); // the random text does hold what is looked for
  });

  it("findInvitation", () => {
    const next = random(13);
    let found = 0;
    for (let k = 0; k < 3000; k++) {
      const pieces = [textOf(next, linkTokens, 8), textOf(next, linkTokens, 8)];
      const before = findInvitationBefore(pieces);
      expect([pieces, findInvitation(pieces)]).toEqual([pieces, before]);
      if (before) found++;
    }
    expect(found).toBeGreaterThan(300);
  });

  it("xmppUris", () => {
    const next = random(5122);
    const tokens = ["xmpp:", "XMPP:", "xmpp", ":", "@", "a", "b.org", "xmpp:a@b.org", "?", "?message", "?Roster", ";", ",", " ", "\n", "(", "'", "é", "1"];
    let found = 0;
    for (let k = 0; k < 5000; k++) {
      const text = textOf(next, tokens, 16);
      const before = xmppUrisBefore(text);
      expect([text, xmppUris(text)]).toEqual([text, before]);
      found += before.length;
    }
    expect(found).toBeGreaterThan(1000);
  });

  it("parseEml's address lists", () => {
    const next = random(5322);
    const tokens = ["a", "b@example.org", ",", '"', " ", "<c@example.org>", "Doe, Jane"];
    for (let k = 0; k < 5000; k++) {
      const v = textOf(next, tokens, 16);
      expect([v, parseEml(eml(`To: ${v}`)).to]).toEqual([v, addressesBefore(v.trim())]);
    }
  });

  it("angleAddress", () => {
    const next = random(3071);
    const tokens = ["<", ">", "a", "b@example.org", " ", "\n", "Bob "];
    for (let k = 0; k < 20_000; k++) {
      const v = textOf(next, tokens, 12);
      expect([v, angleAddress(v)]).toEqual([v, angleAddressBefore(v)]);
    }
  });

  it("nameFromHeader", () => {
    const next = random(4011);
    const tokens = ['"', "<", ">", " ", "\n", "\t", "Bob", "b@example.org", "\\", ",", "Builder"];
    let named = 0;
    for (let k = 0; k < 20_000; k++) {
      const v = textOf(next, tokens, 12);
      const before = nameFromHeaderBefore(v);
      expect([v, nameFromHeader(v)]).toEqual([v, before]);
      if (before) named++;
    }
    expect(named).toBeGreaterThan(300);
  });

  it("isSpace is the regex class \\s", () => {
    for (let c = 0; c < 0x10000; c++) if (isSpace(c) !== /\s/.test(String.fromCharCode(c))) throw new Error(`U+${c.toString(16)}`);
  });
});

/** A seeded generator (mulberry32): the same random text on every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const textOf = (next: () => number, tokens: string[], most: number) =>
  Array.from({ length: 1 + Math.floor(next() * most) }, () => tokens[Math.floor(next() * tokens.length)]!).join("");
