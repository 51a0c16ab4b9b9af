import { normaliseEmail, parseEml } from "../../src/core";

const eml = [
  "From: =?utf-8?q?J=C3=B6rg_M=C3=BCller?= <Joerg@Example.org>",
  'To: Alice <alice@example.org>, "Bob, B." <bob@example.org>',
  "Cc: carol@example.org",
  "Subject: =?utf-8?b?QnVkZ2V0IMOcYmVyc2ljaHQ=?=",
  "Date: Tue, 3 Nov 2026 10:00:00 +0100",
  "Message-ID: <abc@example.org>",
  "In-Reply-To: <prev@example.org>",
  "MIME-Version: 1.0",
  'Content-Type: multipart/mixed; boundary="b1"',
  "",
  "--b1",
  'Content-Type: multipart/alternative; boundary="b2"',
  "",
  "--b2",
  "Content-Type: text/plain; charset=utf-8",
  "Content-Transfer-Encoding: quoted-printable",
  "",
  "Gr=C3=BC=C3=9Fe, the numbers are =",
  "attached.",
  "--b2",
  "Content-Type: text/html; charset=utf-8",
  "",
  "<p>Grüße</p>",
  "--b2--",
  "--b1",
  'Content-Type: application/pdf; name="plan.pdf"',
  'Content-Disposition: attachment; filename="plan.pdf"',
  "Content-Transfer-Encoding: base64",
  "",
  "JVBERi0xLjQKJcfs",
  "--b1--",
  "",
].join("\r\n");

describe("F3 reading an .eml for the history", () => {
  it("reads headers (encoded words), the plain part and attachments", () => {
    const m = parseEml(eml);
    expect(m.from).toBe("Jörg Müller <Joerg@Example.org>");
    expect(normaliseEmail(m.from)).toBe("joerg@example.org");
    expect(m.to).toEqual(["Alice <alice@example.org>", '"Bob, B." <bob@example.org>', "carol@example.org"]);
    expect(m.subject).toBe("Budget Übersicht");
    expect(m.date).toBe(Date.UTC(2026, 10, 3, 9));
    expect(m.messageId).toBe("<abc@example.org>");
    expect(m.inReplyTo).toBe("<prev@example.org>");
    expect(m.text).toBe("Grüße, the numbers are attached.");
    expect(m.html).toBe("<p>Grüße</p>");
    expect(m.attachments).toEqual([{ name: "plan.pdf", size: 12, contentType: "application/pdf" }]);
  });

  it("refuses a file that is not an email, saying what to do", () => {
    expect(() => parseEml("just some text\nwithout headers")).toThrow(/not an email.*Save the email as \.eml/);
    expect(() => parseEml("")).toThrow(/not an email/);
  });
});
