import { byteLength, emailExchange, historyFor, imExchange, storeTheirHistory } from "../../src/core";
import { freshStore } from "../kit/store";

const BOB = "bob@example.org";
const day = (n: number) => Date.UTC(2026, 0, n);
const mail = (n: number, extra: Partial<Parameters<typeof emailExchange>[2]> = {}) =>
  emailExchange(BOB, n % 2 ? "in" : "out", {
    messageId: `<m${n}@example.org>`,
    from: n % 2 ? BOB : "alice@example.org",
    to: [n % 2 ? "alice@example.org" : BOB],
    subject: `Topic ${n}`,
    date: day(n),
    text: `Body of mail ${n}`,
    ...extra,
  });

describe("F3/F4 history", () => {
  it("keeps emails both ways, IMs and attachment metadata, newest last in the bundle", async () => {
    const { exchanges } = freshStore();
    await exchanges.add(mail(1, { attachments: [{ name: "plan.pdf", size: 20480, contentType: "application/pdf" }] }));
    await exchanges.add(mail(2));
    await exchanges.add(
      imExchange({ key: "im-1", counterpart: BOB, direction: "in", at: day(3), from: BOB, to: ["alice@example.org"], text: "quick question" }),
    );
    const h = await historyFor(exchanges, BOB);
    expect(h.items.map((x) => x.key)).toEqual(["m1@example.org", "m2@example.org", "im-1"]);
    expect(h.items[0]!.attachments[0]).toMatchObject({ name: "plan.pdf", size: 20480 });
    expect(h.digest).toContain('Email from bob@example.org — "Topic 1"');
    expect(h.digest).toContain("Attachments: plan.pdf (20.0 KB)");
    expect(h.digest).toContain("IM from bob@example.org");
    expect(h.digest.indexOf("Topic 1")).toBeLessThan(h.digest.indexOf("quick question"));
    expect(h.omitted).toBe(0);
  });

  it("only returns exchanges with that counterpart, within limit and since", async () => {
    const { exchanges } = freshStore();
    for (let n = 1; n <= 10; n++) await exchanges.add(mail(n));
    await exchanges.add(emailExchange("carol@example.org", "in", { messageId: "c1", from: "carol@example.org", to: [], date: day(20), text: "not bob" }));
    expect((await historyFor(exchanges, BOB, { limit: 3 })).items.map((x) => x.subject)).toEqual(["Topic 8", "Topic 9", "Topic 10"]);
    expect((await historyFor(exchanges, BOB, { since: day(9) })).items.map((x) => x.subject)).toEqual(["Topic 9", "Topic 10"]);
    expect((await historyFor(exchanges, BOB)).digest).not.toContain("not bob");
  });

  it("deduplicates by Message-ID and by stanza id", async () => {
    const { exchanges } = freshStore();
    expect(await exchanges.add(mail(1))).toBe(true);
    expect(await exchanges.add(mail(1, { messageId: "m1@example.org" }))).toBe(false); // same id without <>
    const im = imExchange({ key: "s-1", counterpart: BOB, direction: "out", at: day(2), from: "alice@example.org", to: [BOB], text: "hi" });
    expect(await exchanges.add(im)).toBe(true);
    expect(await exchanges.add(im)).toBe(false);
    expect(await exchanges.count(BOB)).toBe(2);
  });

  it("bounds the digest, keeps the newest and says what was cut", async () => {
    const { exchanges } = freshStore();
    for (let n = 1; n <= 40; n++) await exchanges.add(mail(n, { text: `Mail ${n} `.repeat(60) }));
    const h = await historyFor(exchanges, BOB, { limit: 40, maxBytes: 4000 });
    expect(h.bytes).toBeLessThanOrEqual(4000);
    expect(byteLength(h.digest)).toBe(h.bytes);
    expect(h.omitted).toBeGreaterThan(0);
    expect(h.digest).toContain(`(${h.omitted} earlier exchanges left out to keep this short.)`);
    expect(h.items[h.items.length - 1]!.subject).toBe("Topic 40");
    expect(h.items.length + h.omitted).toBe(40);
  });

  it("a 1 MB email body is cut in the digest and does not crowd out the rest", async () => {
    const { exchanges } = freshStore();
    await exchanges.add(mail(1, { text: "x".repeat(1024 * 1024) }));
    await exchanges.add(mail(2, { text: "the small one" }));
    const h = await historyFor(exchanges, BOB);
    expect(h.bytes).toBeLessThan(16_000);
    expect(h.digest).toContain("the small one");
    expect(h.digest).toContain("[…]");
  });

  it("hostile HTML in an email becomes plain text: no markup, no script", async () => {
    const { exchanges } = freshStore();
    await exchanges.add(
      mail(1, {
        text: undefined,
        html: `<html><head><style>p{}</style><script>alert(1)</script></head><body><p onclick="evil()">Hello <b>Alice</b></p><img src=x onerror=alert(2)><!-- hidden --><p>Price &lt;5&gt; &amp; more&#33;</p></body></html>`,
      }),
    );
    const h = await historyFor(exchanges, BOB);
    expect(h.items[0]!.text).toBe("Hello Alice\nPrice <5> & more!");
    expect(h.digest).not.toMatch(/<script|onerror|onclick|alert\(/);
  });

  it("history from the other side is stored as theirs and never replaces ours", async () => {
    const { exchanges } = freshStore();
    await exchanges.add(mail(1));
    const theirCopyOfOurs = { ...mail(1), text: "tampered", direction: "out" as const };
    const onlyTheirs = emailExchange("alice@example.org", "in", { messageId: "t1", from: BOB, to: ["dave@example.org"], date: day(5), text: "theirs" });
    expect(await storeTheirHistory(exchanges, BOB, [theirCopyOfOurs, onlyTheirs])).toBe(1);
    const h = await historyFor(exchanges, BOB);
    expect(h.items.map((x) => [x.text, x.origin, x.direction])).toEqual([
      ["Body of mail 1", "ours", "in"],
      ["theirs", "theirs", "in"],
    ]);
    expect(h.digest).toContain("(from their history)");
  });
});
