import {
  findInvitation,
  invitationHtml,
  invitationLink,
  invitationText,
  invitationUri,
  isSessionId,
  newSessionId,
  parseInvitationLink,
  parseInvitationUri,
} from "../../src/core";

const JOIN = "https://addin.example.org/web/join.html";

describe("F10 invitations (groundwork)", () => {
  it("session ids are random v4 UUIDs", () => {
    const ids = new Set(Array.from({ length: 200 }, newSessionId));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(isSessionId(id)).toBe(true);
  });

  it("a link round-trips, with the inviter as return address, in the fragment", () => {
    const session = newSessionId();
    const link = invitationLink(JOIN, { session, mucDomain: "conference.example.org", from: "Alice@Example.org" });
    expect(link.startsWith(`${JOIN}#`)).toBe(true);
    expect(new URL(link).search).toBe("");
    expect(parseInvitationLink(link)).toEqual({ session, mucDomain: "conference.example.org", from: "alice@example.org" });
  });

  it("the xmpp: URI follows RFC 5122 and round-trips", () => {
    const session = newSessionId();
    const uri = invitationUri({ session, mucDomain: "conference.example.org" });
    expect(uri).toBe(`xmpp:${session}@conference.example.org?join`);
    expect(parseInvitationUri(uri)).toEqual({ session, mucDomain: "conference.example.org" });
  });

  it.each([
    ["not a link", "no link at all"],
    ["missing parts", `${JOIN}#s=${"0".repeat(8)}`],
    ["a guessable id", `${JOIN}#s=1234&m=conference.example.org`],
    ["a non-v4 id", `${JOIN}#s=00000000-0000-1000-8000-000000000000&m=conference.example.org`],
    ["a bad server", `${JOIN}#s=3f1c2a4e-9b7d-4c1e-8a2b-1234567890ab&m=evil.org/x`],
    ["a bad sender", `${JOIN}#s=3f1c2a4e-9b7d-4c1e-8a2b-1234567890ab&m=conference.example.org&f=<script>`],
  ])("rejects a link with %s, saying what to do", (_what, link) => {
    expect(() => parseInvitationLink(link)).toThrow(/This invitation link is not valid .* Ask the sender to send the invitation again\./);
  });

  it("rejects malformed xmpp: URIs", () => {
    for (const uri of ["xmpp:room@conference.example.org", "http://x/?join", "xmpp:notauuid@conference.example.org?join"]) {
      expect(() => parseInvitationUri(uri)).toThrow(/not valid/);
    }
  });

  it("refuses to build a link to a join page that is not HTTPS", () => {
    expect(() => invitationLink("http://addin.example.org/join.html", { session: newSessionId(), mucDomain: "conference.example.org" })).toThrow(
      /not served over HTTPS/,
    );
    expect(invitationLink("http://127.0.0.1:8080/join.html", { session: newSessionId(), mucDomain: "conference.localhost" })).toMatch(/^http:\/\/127/);
  });
});

describe("F13: finding the invitation an email carries", () => {
  const session = "6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f";
  const link = `https://addins.example.org/web/join.html#s=${session}&m=conference.example.org&f=alice%40example.org`;
  it("finds it in the HTML we insert (entities and all), in a plain-text line, or from the xmpp: address alone", () => {
    const html = invitationHtml({ link, uri: invitationUri({ session, mucDomain: "conference.example.org" }), inviter: "alice@example.org" });
    expect(findInvitation([html])).toEqual({ session, mucDomain: "conference.example.org", from: "alice@example.org", link });
    expect(findInvitation(["Hello,", invitationText({ link, uri: "xmpp:x@y?join", inviter: "alice@example.org" })])?.session).toBe(session);
    expect(findInvitation([`see xmpp:${session}@conference.example.org?join`])).toEqual({ session, mucDomain: "conference.example.org" });
  });
  it("skips damaged or foreign links and says nothing for an email without one", () => {
    expect(findInvitation(["https://example.org/page#s=not-a-uuid", "https://news.example.org/"])).toBeUndefined();
    expect(findInvitation([`https://example.org/join#s=${session.slice(0, 35)}x&m=conference.example.org`])).toBeUndefined();
    expect(findInvitation([])).toBeUndefined();
  });
  it("says in the email what joining needs, never the password itself", () => {
    const c = { link, uri: "xmpp:x@y?join", inviter: "alice@example.org", membersOnly: true, passwordNeeded: true };
    expect(invitationText(c)).toMatch(/Only the invited XMPP addresses can join; a password is needed: ask alice@example.org for it\.$/);
    expect(invitationHtml({ ...c, membersOnly: false })).toContain("A password is needed: ask alice@example.org for it.");
  });
});
