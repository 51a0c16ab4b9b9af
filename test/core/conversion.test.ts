import { byteLength, emailExchange, historyFor, imToEmailDraft, threadToEmailDraft, imExchange, OUTLOOK_HTML_LIMIT, replySubject } from "../../src/core";
import { freshStore } from "../kit/store";

const BOB = "bob@example.org";
const ME = "alice@example.org";
const original = {
  messageId: "<orig-3@example.org>",
  references: ["<orig-1@example.org>", "<orig-2@example.org>"],
  subject: "Budget 2027",
  from: BOB,
  to: [ME],
};

async function historyOf(n: number, textSize = 50) {
  const { exchanges } = freshStore();
  for (let i = 1; i <= n; i++) {
    await exchanges.add(
      emailExchange(BOB, "in", {
        messageId: `h${i}@x`,
        from: BOB,
        to: [ME],
        subject: `Mail ${i}`,
        date: Date.UTC(2026, 0, 1) + i * 60_000,
        text: `Mail number ${i}: ${"words ".repeat(textSize / 6)}`,
      }),
    );
  }
  return historyFor(exchanges, BOB, { limit: n, maxBytes: 1_000_000 });
}

describe("F6(c) IM → email draft", () => {
  it("is a normal threaded reply with the IM, both addresses and the history", async () => {
    const draft = imToEmailDraft({ text: "Can we move the budget call to 3pm?", me: ME, to: BOB, original, history: await historyOf(3) });
    expect(draft.to).toEqual([BOB]);
    expect(draft.subject).toBe("Re: Budget 2027");
    expect(draft.inReplyTo).toBe("<orig-3@example.org>");
    expect(draft.references).toEqual(["<orig-1@example.org>", "<orig-2@example.org>", "<orig-3@example.org>"]);
    for (const body of [draft.text, draft.html]) {
      expect(body).toContain("Can we move the budget call to 3pm?");
      expect(body).toContain(ME);
      expect(body).toContain(BOB);
      expect(body).toContain("Mail number 1");
      expect(body).toContain("Mail number 3");
    }
    expect(Object.keys(draft).sort()).toEqual(["html", "htmlLimited", "inReplyTo", "omittedInLimited", "references", "subject", "text", "to"]);
  });

  it("does not stack Re: prefixes and names a subject-less mail", () => {
    expect(replySubject("Re: lunch")).toBe("Re: lunch");
    expect(replySubject("AW: Termin")).toBe("AW: Termin");
    expect(replySubject("  ")).toBe("Re: (no subject)");
  });

  it("keeps the Outlook HTML under 32 KB, cutting the oldest history first, with a note", async () => {
    const history = await historyOf(100, 600);
    const draft = imToEmailDraft({ text: "newest words", me: ME, to: BOB, original, history });
    expect(byteLength(draft.html)).toBeGreaterThan(OUTLOOK_HTML_LIMIT);
    expect(byteLength(draft.htmlLimited)).toBeLessThanOrEqual(OUTLOOK_HTML_LIMIT);
    expect(draft.omittedInLimited).toBeGreaterThan(0);
    expect(draft.htmlLimited).toContain(`${draft.omittedInLimited} earlier exchanges left out to fit the size limit.`);
    expect(draft.htmlLimited).toContain("newest words");
    expect(draft.htmlLimited).toContain("Mail number 100:");
    expect(draft.htmlLimited).not.toContain("Mail number 1:");
  });

  it("escapes everything: an IM or email with markup cannot inject HTML", async () => {
    const { exchanges } = freshStore();
    await exchanges.add(
      emailExchange(BOB, "in", {
        messageId: "evil",
        from: BOB,
        to: [ME],
        subject: '<img src=x onerror="alert(1)">',
        date: 1,
        html: "<p>hi</p><script>alert(2)</script>",
      }),
    );
    const draft = imToEmailDraft({ text: '<script>alert("im")</script>', me: ME, to: BOB, history: await historyFor(exchanges, BOB) });
    expect(draft.html).not.toMatch(/<script|<img/i);
    expect(draft.html).toContain("&lt;script&gt;alert(&quot;im&quot;)&lt;/script&gt;");
    expect(draft.html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
  });

  it("without an original email it is a new email, not a broken reply", () => {
    const draft = imToEmailDraft({ text: "hello", me: ME, to: BOB });
    expect(draft.inReplyTo).toBeUndefined();
    expect(draft.references).toEqual([]);
    expect(draft.subject).toBe("Re: (no subject)");
  });
});

describe("F9 reply by email to an IM", () => {
  it("carries the chat so far, addressed to the person's email", () => {
    const thread = [
      imExchange({ key: "1", counterpart: BOB, direction: "in", at: Date.UTC(2026, 4, 2, 9), from: "bob@chat.example.org", to: [ME], text: "are you there?" }),
      imExchange({ key: "2", counterpart: BOB, direction: "out", at: Date.UTC(2026, 4, 2, 9, 1), from: ME, to: [BOB], text: "yes, what's up" }),
    ];
    const draft = threadToEmailDraft({ thread, me: ME, to: BOB });
    expect(draft.to).toEqual([BOB]);
    expect(draft.subject).toBe("Re: Our chat of 2026-05-02");
    expect(draft.text).toContain("are you there?");
    expect(draft.text.indexOf("are you there?")).toBeLessThan(draft.text.indexOf("yes, what's up"));
    expect(draft.html).toContain("yes, what&#39;s up");
  });
});
