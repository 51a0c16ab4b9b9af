// Issue 21, item 1: the readers of untrusted text (an email's body and headers, a signature) give
// the right answer on 1 MB made to make a backtracking regex take hours. Time is not asserted
// (`npm run bench text` measures it); a reader gone quadratic again hangs here past the timeout.
import {
  angleAddress,
  findInvitation,
  htmlToText,
  invitationLink,
  invitationUri,
  nameFromHeader,
  normaliseJid,
  parseEml,
  parseInvitationUri,
} from "../../src/core";
import { xmppUris } from "../../src/core/scan";

const MB = 1 << 20;
const LONG = 20_000; // ms: each 1 MB reader takes well under a second when linear
const times = (s: string) => s.repeat(Math.ceil(MB / s.length));
const session = "6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f";
const mucDomain = "conference.example.org";
const link = invitationLink("https://addins.example.org/web/join.html", { session, mucDomain, from: "alice@example.org" });
const uri = invitationUri({ session, mucDomain });
const eml = (headers: string, body = "") => `From: alice@example.org\n${headers}\n\n${body}`;

/** Two texts of 1 MB compared, a failure saying where they part rather than printing both. */
function expectSame(got: string | undefined, want: string) {
  if (got === want) return;
  let at = 0;
  while (got !== undefined && at < got.length && got[at] === want[at]) at++;
  expect({ length: got?.length, at, from: got?.slice(at, at + 60) }).toEqual({ length: want.length, at, from: want.slice(at, at + 60) });
}
/** A list of 1 MB compared the same way. */
function expectAll(got: string[], n: number, each: string) {
  expect({ n: got.length, other: got.find((x) => x !== each)?.slice(0, 60) }).toEqual({ n, other: undefined });
}

describe("F13 findInvitation on 1 MB made to stall it", () => {
  it.each([
    ["https://#s=", "https://#s="],
    ["http://a#s=", "http://a#s="],
    ["one link, a UUID short by one", `https://a#${"s=" + "0".repeat(35)}`],
    ["xmpp:a@", "xmpp:a@"],
    ["xmpp:?join", "xmpp:?join"],
    ["https:// alone", "https://"],
  ])(
    "%s: finds nothing, and still finds the real invitation after it",
    (_name, unit) => {
      const junk = times(unit);
      expect(findInvitation([junk])).toBeUndefined();
      expect(findInvitation([`${junk} ${link}`])).toEqual({ session, mucDomain, from: "alice@example.org", link });
      expect(findInvitation([`${junk} ${uri}`])).toEqual({ session, mucDomain });
    },
    LONG,
  );

  it(
    "a 1 MB xmpp: join address is refused unread (ours are under 400 characters)",
    () => {
      expect(() => parseInvitationUri(`xmpp:${times("a@")}?join`)).toThrow(/too long/);
      expect(() => parseInvitationUri(`xmpp:${session}@${mucDomain}?join;${times("x")}\nx`)).toThrow(/not valid/);
    },
    LONG,
  );
});

describe("htmlToText on 1 MB of tags left open", () => {
  it.each(["<style ", "<!--", "<", "<br", "</style", "<!DOCTYPE", "&#", "&#x", "&#1", "&amp", "&"])(
    "%s × n: left as the text it is",
    (unit) => {
      const junk = times(unit);
      expectSame(htmlToText(`<p>Hello &amp; welcome</p>${junk}`), `Hello & welcome\n${junk.trim()}`);
    },
    LONG,
  );

  it(
    "<script> × n, never closed: each tag dropped, nothing else",
    () => {
      expect(htmlToText(`<p>Hello &amp; welcome</p>${times("<script>")}`)).toBe("Hello & welcome");
    },
    LONG,
  );

  it(
    "closed at the very end: the whole run is one element, comment or tag",
    () => {
      expect(htmlToText(`Hi${times("<style ")}</style>there`)).toBe("Hi there");
      expect(htmlToText(`Hi${times("<!--")}-->there`)).toBe("Hi there");
      expect(htmlToText(`Hi${times("<a ")}>there`)).toBe("Hithere");
      expect(htmlToText(`Hi${times("<br ")}>there`)).toBe("Hi\nthere");
      expectSame(htmlToText(times("&#65;")), "A".repeat(Math.ceil(MB / 5)));
      expectSame(htmlToText(`<p>${times("x ")}</p>`), times("x ").trim());
    },
    LONG,
  );
});

describe("parseEml on 1 MB headers and MIME left open", () => {
  it(
    "an address header of 1 MB of commas and quotes",
    () => {
      expectAll(parseEml(eml(`To: ${times("a,")}`)).to, Math.ceil(MB / 2), "a");
      expectAll(parseEml(eml(`To: ${times('"')}`)).to, 1, times('"'));
      const quoted = parseEml(eml(`To: "${times("a,")}" <bob@example.org>, carol@example.org`)).to;
      expect(quoted).toHaveLength(2);
      expectSame(quoted[0], `"${times("a,")}" <bob@example.org>`);
      expect(quoted[1]).toBe("carol@example.org");
    },
    LONG,
  );

  it(
    "100,000 To: headers are every one of them",
    () => {
      expectAll(parseEml(eml("To: b@example.org\n".repeat(100_000).trim())).to, 100_000, "b@example.org");
    },
    LONG,
  );

  it(
    "encoded words: 1 MB of =? is text; a 1 MB encoded word is decoded",
    () => {
      expectSame(parseEml(eml(`Subject: ${times("=?")}`)).subject, times("=?"));
      expectSame(parseEml(eml(`Subject: ${times("=?a?")}`)).subject, times("=?a?"));
      expectSame(parseEml(eml(`Subject: ${times("=?utf-8?q?")}`)).subject, times("=?utf-8?q?"));
      expectSame(parseEml(eml(`Subject: =?utf-8?b?${times("QUJD")}?=`)).subject, "ABC".repeat(Math.ceil(MB / 4)));
      expectSame(parseEml(eml(`Subject: =?utf-8?q?${times("=41")}?=`)).subject, "A".repeat(Math.ceil(MB / 3)));
    },
    LONG,
  );

  it(
    "a multipart whose boundary never comes, or comes 100,000 times, or is half there",
    () => {
      const multipart = 'Content-Type: multipart/mixed; boundary="b"';
      expect(parseEml(eml(multipart, times("x\n"))).text).toBeUndefined();
      const parts = "--b\nContent-Type: text/plain\n\nhello\n".repeat(100_000) + "--b--\n";
      expect(parseEml(eml(multipart, parts)).text).toBe("hello");
      // a part without headers (its blank line first) is text, and lines almost the boundary are its text
      expectSame(parseEml(eml(multipart, `--b\n\nfirst\n${times("--b ")}x\n--b--\n`)).text, `first\n${times("--b ")}x`);
      expect(parseEml(eml(`Content-Type: text/plain; charset=${times(" ")}`, "body")).text).toBe("body");
    },
    LONG,
  );

  it(
    "quoted-printable and base64 bodies of 1 MB of broken escapes",
    () => {
      const qp = (body: string) => parseEml(eml("Content-Transfer-Encoding: quoted-printable", body)).text;
      expectSame(qp(times("=")), times("="));
      expectSame(qp(times("=4")), times("=4"));
      expectSame(qp(times("=C3=A9")), "é".repeat(Math.ceil(MB / 6)));
      expectSame(parseEml(eml("Content-Transfer-Encoding: base64", times("QUJD!"))).text, "ABC".repeat(Math.ceil(MB / 5)));
    },
    LONG,
  );
});

describe("xmppUris (the mapper's signature scan) on 1 MB", () => {
  it(
    "xmpp:a × n (no address) finds none; xmpp:a@ × n is one run, one address",
    () => {
      expect(xmppUris(times("xmpp:a"))).toEqual([]);
      expect(xmppUris(`${times("xmpp:a")} xmpp:bob@example.org?Message`)).toEqual([
        { jid: "bob@example.org", action: "?message", index: Math.ceil(MB / 6) * 6 + 1 },
      ]);
      const run = times("xmpp:a@");
      const one = xmppUris(run);
      expect(one.map((u) => ({ ...u, jid: u.jid.length }))).toEqual([{ jid: run.length - 5, action: "", index: 0 }]);
      expectSame(one[0]?.jid, run.slice(5));
      expect(xmppUris(times("xmpp:@ "))).toEqual([]);
    },
    LONG,
  );

  it(
    "a signature of 50,000 addresses finds them all",
    () => {
      const found = xmppUris("Write to xmpp:bob@example.org, ".repeat(50_000));
      expect(found).toHaveLength(50_000);
      expect(found[49_999]).toMatchObject({ jid: "bob@example.org", action: "" });
    },
    LONG,
  );
});

describe("normaliseJid on 1 MB of query", () => {
  it(
    "cuts the query off in one look",
    () => {
      expect(normaliseJid(`bob@example.org?${times("x")}`)).toBe("bob@example.org");
      expect(() => normaliseJid(`bob@example.org${times("?")}\nx`)).toThrow(/not a valid XMPP address/);
      expect(normaliseJid("xmpp:bob@example.org?message")).toBe("bob@example.org");
      expect(normaliseJid("bob@example.org/phone")).toBe("bob@example.org");
    },
    LONG,
  );
});

describe("angleAddress (a history payload's addresses) on 1 MB", () => {
  it(
    'reads the address out of its angle brackets, and a run of "<" with no ">" as it is',
    () => {
      expect(angleAddress("Bob Builder <bob@example.org>")).toBe("bob@example.org");
      expect(angleAddress(" bob@example.org ")).toBe("bob@example.org");
      const junk = times("<");
      expectSame(angleAddress(junk), junk);
      expect(angleAddress(`${junk}bob@example.org>`)).toBe("bob@example.org");
    },
    LONG,
  );
});

describe("nameFromHeader (a From header's display name) on 1 MB", () => {
  it(
    'reads the name before the last <address>, and a run of spaces or "<" as no name',
    () => {
      expect(nameFromHeader('"Builder, Bob" <bob@example.org>')).toBe("Builder, Bob");
      expect(nameFromHeader("bob@example.org")).toBeUndefined();
      expect(nameFromHeader(`${times(" ")}x`)).toBeUndefined();
      expect(nameFromHeader(`${times(" ")}<bob@example.org>`)).toBeUndefined();
      expect(nameFromHeader(`Bob${times(" ")}<bob@example.org>${times(" ")}`)).toBe("Bob");
      expect(nameFromHeader(`${times("<")}bob@example.org>`)).toBeUndefined();
      expect(nameFromHeader(`Bob\n${times(" ")}<bob@example.org>`)).toBe("Bob");
      expect(nameFromHeader(`Bob\nBuilder${times(" ")}<bob@example.org>`)).toBeUndefined();
    },
    LONG,
  );
});
