import { imExchange, parseEml, type Exchange } from "../../src/core";
import { conversationEml, conversationSubject, quotedPrintable } from "../../src/core/conversation-eml";
import { conversationId, conversationMessageId, conversationOf, conversationRevision, groupConversations } from "../../src/core/conversations";
import { DEFAULT_SETTINGS, mergeSettings } from "../../src/core/settings";

const BOB = "bob@example.org";
const T0 = Date.UTC(2026, 10, 2, 9, 0, 0);
const min = 60_000;
const im = (key: string, at: number, direction: "in" | "out", text: string, extra: Partial<Exchange> = {}) =>
  imExchange({
    key,
    counterpart: BOB,
    direction,
    at,
    from: direction === "in" ? BOB : "alice@example.org",
    to: [direction === "in" ? "alice@example.org" : BOB],
    text,
    ...extra,
  });
const budget = { messageId: "<b27@mail.example.org>", subject: "Re: Budget 2027", references: ["<b26@mail.example.org>"] };

describe("F24 conversations: IMs with one person, ended by a quiet time", () => {
  const ims = [
    im("a1", T0, "out", "Can we go through the budget today?"),
    im("b1", T0 + 2 * min, "in", "Yes, at 3?"),
    im("a2", T0 + 11 * min, "out", "Fine."), // 9 minutes after bob: still the same conversation
    im("b2", T0 + 40 * min, "in", "Running late"), // 29 minutes quiet: a new one
  ];

  it("splits after 10 quiet minutes by default, keeps both sides in order, and takes the origin from the IM sent on the email", () => {
    const c = groupConversations(BOB, [...ims].reverse(), { originOf: (x) => (x.key === "a1" ? budget : undefined) });
    expect(c.map((x) => x.ims.map((i) => i.key))).toEqual([["a1", "b1", "a2"], ["b2"]]);
    expect(c[0]!.origin).toEqual({ messageId: "b27@mail.example.org", subject: "Re: Budget 2027", references: ["b26@mail.example.org"] });
    expect(c[1]!.origin).toBeUndefined();
    expect(conversationOf(c, "b1")).toBe(c[0]);
  });

  it("the quiet time is a setting: 5 minutes splits where 10 did not", () => {
    expect(groupConversations(BOB, ims, { quietMs: 5 * min }).map((x) => x.ims.length)).toEqual([2, 1, 1]);
    expect(DEFAULT_SETTINGS.quietMinutes).toBe(10);
    expect(mergeSettings({ quietMinutes: 5, historyFolder: false }, {}).settings).toMatchObject({
      quietMinutes: 5,
      historyFolder: false,
      historyFolderName: "Conversation History",
      sendAsIm: false,
    });
    expect(mergeSettings({ quietMinutes: 0, historyFolderName: "a/b" }, {}).settings).toMatchObject({
      quietMinutes: 10,
      historyFolderName: "Conversation History",
    });
  });

  it("the id is stable: the same first IM and person give the same id (a restart writes over the same message); another person, another id", () => {
    const first = groupConversations(BOB, ims)[0]!;
    const again = groupConversations(BOB, ims.slice(0, 2))[0]!;
    expect(again.id).toBe(first.id);
    expect(first.id).toBe(conversationId(BOB, "a1"));
    expect(conversationId("carol@example.org", "a1")).not.toBe(first.id);
    expect(first.id).toMatch(/^[0-9a-f]{16}$/);
    // the revision tells a changed conversation from the one already saved
    expect(conversationRevision(again)).not.toBe(conversationRevision(first));
    expect(conversationRevision(groupConversations(BOB, ims)[0]!)).toBe(conversationRevision(first));
  });

  it("other people's IMs and emails are not part of it", () => {
    const email = { ...im("e1", T0 + min, "in", "mail"), id: "email:e1", kind: "email" as const };
    const carols = { ...im("c1", T0 + min, "in", "hi"), counterpart: "carol@example.org" };
    expect(groupConversations(BOB, [...ims, email, carols])[0]!.ims.map((x) => x.key)).toEqual(["a1", "b1", "a2"]);
  });
});

describe("F24 a conversation as a message (RFC 5322)", () => {
  const convo = groupConversations(
    BOB,
    [
      im("a1", T0, "out", "Can we go through the budget today?"),
      im("b1", T0 + 2 * min, "in", "Yes — travel is still open. Here are the numbers", {
        attachments: [{ name: "numbers.ods", size: 10, contentType: "application/octet-stream", url: "https://upload.example.org/x/numbers.ods" }],
      }),
    ],
    { originOf: (x) => (x.key === "a1" ? budget : undefined) },
  )[0]!;
  const people = { me: { name: "Alice", address: "alice@example.org" }, other: { name: "Bob Builder", address: BOB } };

  it("is from bob, to the user, named after the email, threaded under it, with both sides' IMs in order with names and times", () => {
    const raw = conversationEml({ conversation: convo, ...people });
    const read = parseEml(raw);
    expect(read.from).toBe('"Bob Builder" <bob@example.org>');
    expect(read.to).toEqual(['"Alice" <alice@example.org>']);
    expect(read.subject).toBe("IM with Bob Builder: Re: Budget 2027");
    expect(read.messageId).toBe(`<${conversationMessageId(convo.id)}>`);
    expect(read.inReplyTo).toBe("<b27@mail.example.org>");
    expect(raw).toMatch(/\r\nReferences: <b26@mail\.example\.org> <b27@mail\.example\.org>\r\n/);
    expect(read.date).toBe(T0);
    expect(read.text).toContain(
      "[2026-11-02 09:00 UTC] Alice: Can we go through the budget today?\n[2026-11-02 09:02 UTC] Bob Builder: Yes — travel is still open. Here are the numbers\n    Attachment: numbers.ods <https://upload.example.org/x/numbers.ods>",
    );
    expect(read.html).toContain("<b>Bob Builder</b>: Yes — travel is still open");
    expect(raw.split("\r\n").every((l) => l.length <= 998)).toBe(true);
    expect(raw.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/); // CRLF only
  });

  it("the same conversation gives the same bytes (nothing to rewrite); without an email the subject is 'IM with <Name>' and nothing threads it", () => {
    expect(conversationEml({ conversation: convo, ...people })).toBe(conversationEml({ conversation: convo, ...people }));
    const alone = { ...convo, origin: undefined };
    const raw = conversationEml({ conversation: alone, ...people });
    expect(parseEml(raw).subject).toBe("IM with Bob Builder");
    expect(raw).not.toMatch(/In-Reply-To|References/);
    expect(conversationSubject({ address: BOB })).toBe(`IM with ${BOB}`);
  });

  it("names and subjects beyond ASCII are encoded words; files the host holds are attached", () => {
    const raw = conversationEml({
      conversation: { ...convo, origin: { ...convo.origin!, subject: "Haushalt Übersicht" } },
      me: { address: "alice@example.org" },
      other: { name: "Jörg Müller", address: BOB },
      files: [{ name: "numbers.ods", contentType: "application/vnd.oasis.opendocument.spreadsheet", data: new Uint8Array([1, 2, 3]) }],
    });
    const read = parseEml(raw);
    expect(read.from).toBe("Jörg Müller <bob@example.org>");
    expect(read.subject).toBe("IM with Jörg Müller: Haushalt Übersicht");
    expect(read.attachments).toEqual([{ name: "numbers.ods", size: 3, contentType: "application/vnd.oasis.opendocument.spreadsheet" }]);
    expect(read.text).toContain("Jörg Müller: Yes — travel");
  });

  it("quoted-printable keeps lines short and never cuts an escape", () => {
    const long = "é".repeat(100);
    const qp = quotedPrintable(long);
    expect(qp.split("\r\n").every((l) => l.length <= 76)).toBe(true);
    expect(parseEml(`From: a@b\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${qp}`).text).toBe(long);
    expect(() => conversationEml({ conversation: { ...convo, ims: [] }, ...people })).toThrow(/nothing to save/);
  });
});
