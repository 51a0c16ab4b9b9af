// The history payload as a receiver sees it: nothing in it is trusted until checked.
import { xml } from "@xmpp/client";
import { emailExchange, imExchange } from "../../src/core";
import { historyElement, MAX_PAYLOAD_CHARS, readHistory } from "../../src/xmpp/history-payload";
import { stanza } from "../kit/stanza";

const bob = { jid: "bob@chat.example.org", email: "bob@example.org" };
const me = { jid: "alice@chat.example.org", email: "alice@example.org" };
const msg = (...children: ReturnType<typeof xml>[]) => xml("message", { from: `${bob.jid}/laptop`, type: "chat" }, xml("body", {}, "hi"), ...children);

describe("F3 history payload", () => {
  it("round-trips emails and forwarded IMs, read from the receiver's side", () => {
    const items = [
      emailExchange(me.email, "out", {
        messageId: "m1@x",
        from: "Bob <bob@example.org>",
        to: ["alice@example.org"],
        subject: "Plan",
        date: Date.UTC(2026, 0, 2),
        text: "the plan",
        attachments: [{ name: "p.pdf", size: 10 }],
      }),
      imExchange({ key: "s1", counterpart: me.email, direction: "out", at: Date.UTC(2026, 0, 3), from: bob.jid, to: [me.jid], text: "ok!" }),
    ];
    const read = readHistory(msg(historyElement(items, 4)), bob, me)!;
    expect(read.rejected).toBeUndefined();
    expect(read.omitted).toBe(4);
    expect(read.items.map((x) => [x.kind, x.direction, x.origin, x.counterpart, x.text])).toEqual([
      ["email", "in", "theirs", "bob@example.org", "the plan"],
      ["im", "in", "theirs", "bob@example.org", "ok!"],
    ]);
    expect(read.items[0]!.attachments).toEqual([{ name: "p.pdf", size: 10, contentType: "application/octet-stream" }]);
  });

  it("does not take what the sender says the receiver wrote: left out and counted, never stored as the receiver's words", () => {
    const items = [
      emailExchange(me.email, "in", {
        messageId: "m1@x",
        from: "Alice <alice@example.org>",
        to: ["bob@example.org"],
        subject: "Plan",
        date: Date.UTC(2026, 0, 2),
        text: "I resign",
      }),
      imExchange({
        key: "s0",
        counterpart: me.email,
        direction: "in",
        at: Date.UTC(2026, 0, 2, 12),
        from: me.jid,
        to: [bob.jid],
        text: "send me the password",
      }),
      imExchange({ key: "s1", counterpart: me.email, direction: "out", at: Date.UTC(2026, 0, 3), from: bob.jid, to: [me.jid], text: "ok!" }),
    ];
    const read = readHistory(msg(historyElement(items)), bob, me)!;
    expect(read.rejected).toBeUndefined();
    expect(read.yours).toBe(2);
    expect(read.items.map((x) => x.text)).toEqual(["ok!"]);
    expect(read.items.every((x) => x.direction === "in")).toBe(true);
  });

  it.each([
    ["in the year 9999", Date.UTC(9999, 0, 1)],
    ["tomorrow", Date.UTC(2026, 11, 4)],
    ["before email existed", Date.UTC(1970, 5, 1)],
  ])("refuses a payload that dates an item %s, whole", (_what, at) => {
    const now = Date.UTC(2026, 11, 3);
    const forged = [
      imExchange({ key: "ok", counterpart: me.email, direction: "out", at: Date.UTC(2026, 0, 3), from: bob.jid, to: [me.jid], text: "fine" }),
      imExchange({ key: "pin", counterpart: me.email, direction: "out", at, from: bob.jid, to: [me.jid], text: "pinned on top" }),
    ];
    const email = [emailExchange(me.email, "out", { messageId: "e@x", from: bob.email, to: [me.email], date: at, text: "pinned" })];
    expect(readHistory(msg(historyElement(forged)), bob, me, now)).toMatchObject({ items: [], rejected: expect.stringMatching(/future or before/) });
    expect(readHistory(msg(historyElement(email)), bob, me, now)).toMatchObject({ items: [], rejected: expect.stringMatching(/future or before/) });
    // a clock a few minutes ahead is not an attack
    const skewed = [imExchange({ key: "s", counterpart: me.email, direction: "out", at: now + 60_000, from: bob.jid, to: [me.jid], text: "just now" })];
    expect(readHistory(msg(historyElement(skewed)), bob, me, now)!.items).toHaveLength(1);
  });

  it("refuses a payload over the size cap, whole", () => {
    const big = emailExchange(me.email, "in", { messageId: "b@x", from: bob.email, to: [me.email], date: 1, text: "y".repeat(MAX_PAYLOAD_CHARS) });
    const el = historyElement([big, big, big, big, big, big, big, big, big, big, big, big, big, big, big]);
    expect(readHistory(msg(el), bob, me)).toMatchObject({ items: [], rejected: expect.stringMatching(/larger than/) });
  });

  it("refuses an address longer than an address can be, and reads one in angle brackets however it is dressed", () => {
    const email = (to: string) =>
      xml(
        "history",
        { xmlns: "urn:reply-via-im:history:0" },
        xml("email", { "message-id": "x@y", at: "2026-01-01T00:00:00Z", from: `Bob <${bob.email}>` }, xml("text", {}, "the plan"), xml("to", {}, to)),
      );
    expect(readHistory(msg(email("<".repeat(40_000))), bob, me)).toMatchObject({ items: [], rejected: expect.stringMatching(/longer than any address/) });
    expect(readHistory(msg(email(`"Alice <the boss>" <${me.email}>`)), bob, me)!.items.map((x) => x.text)).toEqual(["the plan"]);
  });

  it.each([
    ["a bad date", xml("email", { "message-id": "x", at: "yesterday", from: bob.email }, xml("to", {}, me.email))],
    [
      "a javascript: link",
      xml(
        "email",
        { "message-id": "x", at: "2026-01-01T00:00:00Z", from: bob.email },
        xml("to", {}, me.email),
        xml("attachment", { name: "a", size: "1", url: "javascript:alert(1)" }),
      ),
    ],
    [
      "an IM between strangers",
      xml(
        "forwarded",
        { xmlns: "urn:xmpp:forward:0" },
        xml("delay", { xmlns: "urn:xmpp:delay", stamp: "2026-01-01T00:00:00Z" }),
        xml("message", { xmlns: "jabber:client", from: "eve@x.org", to: me.jid, id: "1" }, xml("body", {}, "x")),
      ),
    ],
    ["an unknown item", xml("script", {}, "alert(1)")],
  ])("refuses a payload with %s and says why", (_what, item) => {
    const read = readHistory(msg(xml("history", { xmlns: "urn:reply-via-im:history:0" }, item)), bob, me)!;
    expect(read.items).toEqual([]);
    expect(read.rejected).toEqual(expect.any(String));
  });
});

describe("F3 history payload as it comes off the wire (literal stanzas)", () => {
  // Bob's add-in's IM to alice: the digest in <body> for any client, the payload beside it
  const wire = (items: string, attrs = `omitted="1"`) =>
    stanza(`
    <message xmlns="jabber:client" from="bob@chat.example.org/laptop" to="alice@chat.example.org" id="im-7" type="chat">
      <body>Can we settle the budget?

— Earlier: Budget (email, 2 Jan)</body>
      <history xmlns="urn:reply-via-im:history:0" ${attrs} text-length="25">${items}</history>
    </message>`);
  const email = `
    <email message-id="budget-1@example.org" at="2026-01-02T09:00:00Z" from="Bob Builder &lt;bob@example.org&gt;" subject="Budget">
      <to>alice@example.org</to><text>Numbers attached.</text>
      <attachment name="budget.xlsx" size="18432" type="application/vnd.ms-excel" url="https://upload.chat.example.org/b/budget.xlsx"/>
    </email>`;
  const im = (from: string, to: string, body = "Got it, thanks") => `
    <forwarded xmlns="urn:xmpp:forward:0">
      <delay xmlns="urn:xmpp:delay" stamp="2026-01-03T10:15:00Z"/>
      <message xmlns="jabber:client" from="${from}" to="${to}" id="im-3" type="chat"><body>${body}</body></message>
    </forwarded>`;

  it("reads an email with its attachment and a forwarded IM, all marked as Bob's", () => {
    const read = readHistory(wire(email + im("bob@chat.example.org/phone", "alice@chat.example.org")), bob, me, Date.UTC(2026, 5, 1))!;
    expect(read.rejected).toBeUndefined();
    expect(read.omitted).toBe(1);
    expect(
      read.items.map((x) => ({
        kind: x.kind,
        key: x.key,
        from: x.from,
        at: x.at,
        text: x.text,
        origin: x.origin,
        files: x.attachments.map((a) => `${a.name} ${a.size}`),
      })),
    ).toEqual([
      {
        kind: "email",
        key: "budget-1@example.org",
        from: "Bob Builder <bob@example.org>",
        at: Date.UTC(2026, 0, 2, 9),
        text: "Numbers attached.",
        origin: "theirs",
        files: ["budget.xlsx 18432"],
      },
      { kind: "im", key: "im-3", from: "bob@chat.example.org", at: Date.UTC(2026, 0, 3, 10, 15), text: "Got it, thanks", origin: "theirs", files: [] },
    ]);
  });

  it.each([
    ["an IM between Bob and a third person", im("bob@chat.example.org/phone", "carol@chat.example.org"), /not between you and the sender/],
    ["an email Bob says Carol sent", email.replace("Bob Builder &lt;bob@example.org&gt;", "carol@example.org"), /not between you and the sender/],
    ["an item this add-in never writes", `<script>alert(1)</script>`, /unknown history item <script>/],
    ["an IM dated in the future", im("bob@chat.example.org/a", "alice@chat.example.org").replace("2026-01-03", "2099-01-03"), /in the future/],
    [
      "an attachment link that is not http(s)",
      email.replace("https://upload.chat.example.org/b/budget.xlsx", "javascript:alert(1)"),
      /malformed history payload/,
    ],
  ])("refuses the whole payload for %s, and says why", (_what, items, why) => {
    const read = readHistory(wire(im("bob@chat.example.org/phone", "alice@chat.example.org") + items), bob, me, Date.UTC(2026, 5, 1))!;
    expect(read.items).toEqual([]);
    expect(read.rejected).toMatch(why);
  });

  it("leaves out what it says alice wrote, and counts it", () => {
    const read = readHistory(wire(im("alice@chat.example.org/rvi", "bob@chat.example.org", "I resign")), bob, me, Date.UTC(2026, 5, 1))!;
    expect([read.items.length, read.yours, read.rejected]).toEqual([0, 1, undefined]);
  });

  it("reads a nonsense omitted count as none", () => {
    expect(readHistory(wire(email, `omitted="-5"`), bob, me, Date.UTC(2026, 5, 1))!.omitted).toBe(0);
  });
});
