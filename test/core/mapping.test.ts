import { createMapper, findImAddresses, normaliseEmail, normaliseJid, ownHtml, ownText, readCard, UserFacingError, type MailEvidence } from "../../src/core";
import { freshStore, manualClock } from "../kit/store";

const card = (email: string, impp: string) =>
  ["BEGIN:VCARD", "VERSION:4.0", "FN:Bob Example", `EMAIL;PREF=1:${email}`, `IMPP:${impp}`, "END:VCARD"].join("\r\n");

describe("F2 address mapping", () => {
  describe("normalisation", () => {
    it("lower-cases and takes the address out of a display form", () => {
      expect(normaliseEmail("  Bob Example <Bob.Example@Example.ORG> ")).toBe("bob.example@example.org");
    });
    it("turns an IDN domain into its ASCII form", () => {
      expect(normaliseEmail("Jörg@Bücher.Example")).toBe("jörg@xn--bcher-kva.example");
      expect(normaliseEmail("jörg@xn--bcher-kva.example")).toBe("jörg@xn--bcher-kva.example");
    });
    it.each([
      "",
      "bob",
      "@example.org",
      "bob@",
      "bob@@example.org",
      "bob@exa mple.org",
      "bob..x@example.org",
      "bob@127.0.0.1",
      "<script>@x.org",
      "a".repeat(300) + "@example.org",
    ])("rejects %p with a message that says what to do", (bad) => {
      expect(() => normaliseEmail(bad)).toThrow(UserFacingError);
      expect(() => normaliseEmail(bad)).toThrow(/not a valid email address.*name@example\.org/);
    });
    it("reads JIDs and xmpp: URIs as bare JIDs", () => {
      expect(normaliseJid("xmpp:Bob@Chat.Example.org/laptop")).toBe("bob@chat.example.org");
      expect(normaliseJid("xmpp:bob@example.org?message")).toBe("bob@example.org");
      expect(() => normaliseJid("bob")).toThrow(/not a valid XMPP address/);
    });
  });

  describe("resolve(email), sources in order", () => {
    function setup(opts: { cards?: string[]; mails?: MailEvidence[] } = {}) {
      const store = freshStore();
      const mapper = createMapper({
        store: store.mappings,
        clock: manualClock(),
        cards: async () => opts.cards ?? [],
        mailsFrom: async () => opts.mails ?? [],
      });
      return { store, mapper };
    }

    it("falls back to the convention (email = JID) and asks the user to confirm it", async () => {
      const r = await setup().mapper.resolve("Bob@Example.org");
      expect(r).toEqual({ email: "bob@example.org", jid: "bob@example.org", source: "convention", confidence: 0.3, needsConfirmation: true });
    });

    it("prefers an xmpp: URI in the person's signature over the convention, as a claim to confirm, saying which email", async () => {
      const { mapper } = setup({
        mails: [{ headers: {}, text: "Regards,\nBob\nChat: xmpp:bob.im@chat.example.org", date: Date.UTC(2026, 4, 2), subject: "Budget" }],
      });
      expect(await mapper.resolve("bob@example.org")).toMatchObject({
        jid: "bob.im@chat.example.org",
        source: "mail-signature",
        needsConfirmation: true,
        evidence: { part: "signature", date: Date.UTC(2026, 4, 2), subject: "Budget" },
      });
    });

    it("never reads an address from quoted text: a signature quoted in a reply is not the author's", async () => {
      const quoted = setup({ mails: [{ headers: {}, text: "Sounds good.\nAlice\n\n> Regards, Bob\n> xmpp:bob.im@chat.example.org" }] });
      expect(await quoted.mapper.resolve("alice@example.org")).toMatchObject({ jid: "alice@example.org", source: "convention" });
      const attributed = setup({ mails: [{ headers: {}, text: "Yes.\n\nOn 2 May 2026, Bob wrote:\nChat: xmpp:bob.im@chat.example.org" }] });
      expect(await attributed.mapper.resolve("alice@example.org")).toMatchObject({ source: "convention" });
      const outlook = setup({ mails: [{ headers: {}, text: "Yes.\n-----Original Message-----\nFrom: Bob\nxmpp:bob.im@chat.example.org" }] });
      expect(await outlook.mapper.resolve("alice@example.org")).toMatchObject({ source: "convention" });
      expect(
        ownHtml(
          "<p>Yes <a href='xmpp:me@x.org'>me</a></p><blockquote type=cite>xmpp:bob@y.org<blockquote>deeper</blockquote> still quoted</blockquote><p>Alice</p>",
        ),
      ).toBe("<p>Yes <a href='xmpp:me@x.org'>me</a></p><p>Alice</p>");
    });

    it("reads the author's own text in one pass, whatever the mail holds (1 MB of dashes, of blank lines, of unclosed quotes)", () => {
      expect(ownText("-".repeat(1_000_000) + "\nxmpp:bob@x.org")).toBe("-".repeat(1_000_000) + "\nxmpp:bob@x.org");
      expect(ownText("\n".repeat(1_000_000) + "> quoted")).toBe("\n".repeat(999_999));
      expect(ownHtml("<blockquote>".repeat(200_000) + "xmpp:bob@x.org")).toBe("");
      expect(ownHtml("</blockquote>".repeat(100_000) + "mine")).toBe("</blockquote>".repeat(100_000) + "mine");
    }, 20_000);

    it("a mail's claim never wins over an address the contact proved by answering from it", async () => {
      const { mapper } = setup({ mails: [{ headers: { "X-Jabber-ID": "mallory@evil.example" }, text: "" }] });
      await mapper.answeredFrom("bob@example.org");
      expect(await mapper.resolve("bob@example.org")).toMatchObject({ jid: "bob@example.org", source: "answered", needsConfirmation: false });
    });

    it("a chat room in the person's email (an invitation's xmpp:…?join) is not their address", async () => {
      const { mapper } = setup({
        mails: [
          {
            headers: {},
            text: "Join the live chat: xmpp:6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f@conference.example.org?join — from bob\nChat: xmpp:bob.im@chat.example.org?message",
          },
        ],
      });
      expect(await mapper.resolve("bob@example.org")).toMatchObject({ jid: "bob.im@chat.example.org", source: "mail-signature" });
      const only = setup({ mails: [{ headers: {}, text: "xmpp:6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f@conference.example.org?join" }] });
      expect(await only.mapper.resolve("bob@example.org")).toMatchObject({ jid: "bob@example.org", source: "convention" });
    });

    it("prefers an IM-address header over a signature", async () => {
      const { mapper } = setup({ mails: [{ headers: { "X-IM-Address": "xmpp:b@im.example.org" }, text: "xmpp:other@chat.example.org" }] });
      expect(await mapper.resolve("bob@example.org")).toMatchObject({ jid: "b@im.example.org", source: "mail-header" });
    });

    it("prefers the address book's IMPP over the person's mails", async () => {
      const { mapper } = setup({
        cards: [card("bob@example.org", "xmpp:bob@jabber.example.org")],
        mails: [{ headers: { "X-IM-Address": "b@im.example.org" }, text: "" }],
      });
      expect(await mapper.resolve("bob@example.org")).toMatchObject({ jid: "bob@jabber.example.org", source: "addressbook", confidence: 0.9 });
    });

    it("ignores a card that belongs to somebody else or does not parse", async () => {
      const { mapper } = setup({ cards: [card("carol@example.org", "xmpp:carol@example.org"), "BEGIN:VCARD\nthis is not"] });
      expect(await mapper.resolve("bob@example.org")).toMatchObject({ source: "convention" });
    });

    it("a correction by the user wins over everything and is stored", async () => {
      const { mapper, store } = setup({ cards: [card("bob@example.org", "xmpp:bob@jabber.example.org")] });
      await mapper.correct("Bob@example.org", "robert@chat.example.org");
      expect(await mapper.resolve("bob@example.org")).toMatchObject({ jid: "robert@chat.example.org", source: "user", confidence: 1 });
      expect(await store.mappings.get("bob@example.org")).toMatchObject({ jid: "robert@chat.example.org", source: "user" });
    });

    it("a learnt mapping is used but never overrides the user's", async () => {
      const { mapper } = setup();
      await mapper.learn("bob@example.org", "bob@learnt.example.org", "mail-signature");
      expect(await mapper.resolve("bob@example.org")).toMatchObject({ jid: "bob@learnt.example.org", source: "mail-signature" });
      await mapper.correct("bob@example.org", "bob@mine.example.org");
      await mapper.learn("bob@example.org", "bob@learnt2.example.org", "mail-header");
      expect(await mapper.resolve("bob@example.org")).toMatchObject({ jid: "bob@mine.example.org", source: "user" });
    });

    it("what the person's mails or address card say is remembered: the table shows it; a card's JID speaks for the person (F9), a mail's claim does not until confirmed", async () => {
      const { mapper, store } = setup({ mails: [{ headers: {}, text: "Regards,\nBob\nChat: xmpp:bob.im@chat.example.org" }] });
      await mapper.resolve("bob@example.org");
      expect(await store.mappings.get("bob@example.org")).toMatchObject({ jid: "bob.im@chat.example.org", source: "mail-signature" });
      expect(await mapper.reverse("bob.im@chat.example.org/phone")).toEqual({ email: "bob.im@chat.example.org", source: "convention" });
      await mapper.correct("bob@example.org", "bob.im@chat.example.org"); // the person confirmed it
      expect(await mapper.reverse("bob.im@chat.example.org/phone")).toEqual({ email: "bob@example.org", source: "user" });
      const carded = setup({ cards: [card("carol@example.org", "xmpp:carol.im@chat.example.org")] });
      await carded.mapper.resolve("carol@example.org");
      expect(await carded.mapper.reverse("carol.im@chat.example.org")).toEqual({ email: "carol@example.org", source: "addressbook" });
    });

    it("rejects a malformed address with a clear error", async () => {
      await expect(setup().mapper.resolve("not an address")).rejects.toThrow(/not a valid email address/);
    });

    it("maps a JID back to the email address (F9)", async () => {
      const { mapper } = setup();
      await mapper.correct("bob@example.org", "robert@chat.example.org");
      expect(await mapper.reverse("Robert@chat.example.org/phone")).toEqual({ email: "bob@example.org", source: "user" });
      expect(await mapper.reverse("carol@example.org")).toEqual({ email: "carol@example.org", source: "convention" });
    });
  });

  it("reads IMPP and EMAIL from a vCard 3 and 4", async () => {
    expect(await readCard(card("Bob@Example.org", "xmpp:Bob@Jabber.example.org"))).toEqual({
      emails: ["bob@example.org"],
      jids: ["bob@jabber.example.org"],
      name: "Bob Example",
    });
    const v3 =
      "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bob\r\nEMAIL;TYPE=INTERNET:bob@example.org\r\nX-JABBER:bob@j.example.org\r\nIMPP:sip:bob@example.org\r\nEND:VCARD";
    expect(await readCard(v3)).toEqual({ emails: ["bob@example.org"], jids: ["bob@j.example.org"], name: "Bob" });
  });

  it("finds IM addresses in headers and signatures, ignoring malformed ones", () => {
    expect(
      findImAddresses({ headers: { "x-jabber-id": "not a jid", "X-IM-Address": "xmpp:a@b.example" }, text: "see xmpp:c@d.example?message and xmpp:broken" }),
    ).toEqual({ header: ["a@b.example"], signature: ["c@d.example"] });
  });
});

describe("F26 a guess proven by an answer", () => {
  it("an IM from the guessed address confirms it (no more 'please confirm'); a surer source is left alone", async () => {
    const store = freshStore();
    const mapper = createMapper({
      store: store.mappings,
      clock: manualClock(),
      cards: async (email) =>
        email === "carol@example.org" ? ["BEGIN:VCARD\r\nVERSION:4.0\r\nEMAIL:carol@example.org\r\nIMPP:xmpp:carol@im.example.org\r\nEND:VCARD"] : [],
    });
    expect(await mapper.resolve("Bob <bob@example.org>")).toMatchObject({ jid: "bob@example.org", source: "convention", needsConfirmation: true });
    await mapper.answeredFrom("Bob@Example.org");
    expect(await mapper.resolve("bob@example.org")).toMatchObject({ jid: "bob@example.org", source: "answered", needsConfirmation: false });
    expect(await mapper.reverse("bob@example.org")).toEqual({ email: "bob@example.org", source: "answered" });
    // carol's card names her JID: an IM from it changes nothing
    await mapper.resolve("carol@example.org");
    await mapper.answeredFrom("carol@im.example.org");
    expect(await mapper.resolve("carol@example.org")).toMatchObject({ jid: "carol@im.example.org", source: "addressbook" });
  });
});
