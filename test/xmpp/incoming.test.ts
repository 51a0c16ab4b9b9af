// readIncoming (src/xmpp/incoming.ts) on literal stanzas: one reading of an IM whichever path it
// came by, the same key on every path, and nothing taken that is not an IM.
import { readIncoming } from "../../src/xmpp/incoming";
import { stanza } from "../kit/stanza";

const ME = "alice@example.org";

describe("readIncoming", () => {
  it("reads a chat message: who wrote it, to whom, the text, keyed by its origin-id", () => {
    const im = readIncoming(
      stanza(`
      <message xmlns="jabber:client" from="bob@example.org/laptop" to="alice@example.org/rvi" id="m-1" type="chat">
        <body>Lunch at noon?</body>
        <origin-id xmlns="urn:xmpp:sid:0" id="o-1"/>
        <stanza-id xmlns="urn:xmpp:sid:0" by="alice@example.org" id="s-1"/>
      </message>`),
      { own: ME },
    )!;
    expect({ key: im.key, from: im.from, bare: im.bare, to: im.to, text: im.text, stamp: im.stamp, links: im.links }).toEqual({
      key: "o-1",
      from: "bob@example.org/laptop",
      bare: "bob@example.org",
      to: "alice@example.org",
      text: "Lunch at noon?",
      stamp: undefined,
      links: [],
    });
  });

  it("keys by the message id without an origin-id, and by our server's stanza-id without either — never by a stanza-id another entity claims", () => {
    const withId = stanza(`<message from="bob@example.org/a" id="m-2" type="chat"><body>x</body></message>`);
    expect(readIncoming(withId, { own: ME })!.key).toBe("m-2");
    const archived = stanza(`
      <message from="bob@example.org/a" type="chat"><body>x</body>
        <stanza-id xmlns="urn:xmpp:sid:0" by="bob@example.org" id="theirs"/>
        <stanza-id xmlns="urn:xmpp:sid:0" by="alice@example.org" id="ours"/>
      </message>`);
    expect(readIncoming(archived, { own: ME })!.key).toBe("ours");
    const bare = stanza(`<message from="bob@example.org/a" type="chat"><body>x</body></message>`);
    expect(readIncoming(bare, { own: ME, fallbackKey: () => "fallback-1" })!.key).toBe("fallback-1");
  });

  it("dates an offline or archived IM by its <delay/>, and an unreadable stamp not at all", () => {
    const late = stanza(
      `<message from="bob@example.org/a" id="m" type="chat"><body>x</body><delay xmlns="urn:xmpp:delay" stamp="2026-11-02T09:30:00Z"/></message>`,
    );
    expect(readIncoming(late)!.stamp).toBe(Date.UTC(2026, 10, 2, 9, 30));
    const garbled = stanza(
      `<message from="bob@example.org/a" id="m" type="chat"><body>x</body><delay xmlns="urn:xmpp:delay" stamp="yesterday-ish"/></message>`,
    );
    expect(readIncoming(garbled)!.stamp).toBeUndefined();
  });

  it("cuts the history digest off the IM at the payload's text-length, and keeps the whole body when that length is unsound", () => {
    const body = "See you at 3.\n\n— Earlier: Budget, 2 Nov …";
    const at = (len: string) =>
      stanza(
        `<message from="bob@example.org/a" id="m" type="chat"><body>${body}</body><history xmlns="urn:reply-via-im:history:0" text-length="${len}"/></message>`,
      );
    expect(readIncoming(at("13"))!.text).toBe("See you at 3.");
    expect(readIncoming(at("13"))!.body).toBe(body);
    for (const unsound of ["-1", "9999", "3.5", "twelve"]) expect(readIncoming(at(unsound))!.text).toBe(body);
  });

  it("takes attachment links (XEP-0066) only when they are http(s)", () => {
    const im = readIncoming(
      stanza(`
      <message from="bob@example.org/a" id="m" type="chat"><body>files</body>
        <x xmlns="jabber:x:oob"><url>https://upload.example.org/plan.pdf</url><desc>plan.pdf</desc></x>
        <x xmlns="jabber:x:oob"><url>javascript:alert(1)</url><desc>click me</desc></x>
        <x xmlns="jabber:x:oob"><url>http://upload.example.org/a</url></x>
      </message>`),
    )!;
    expect(im.links).toEqual([
      { name: "plan.pdf", url: "https://upload.example.org/plan.pdf" },
      { name: "attachment", url: "http://upload.example.org/a" },
    ]);
  });

  it.each([
    [
      "an error",
      `<message from="bob@example.org" id="m" type="error"><body>x</body><error type="cancel"><service-unavailable xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></message>`,
    ],
    ["a groupchat message", `<message from="room@conference.example.org/bob" id="m" type="groupchat"><body>x</body></message>`],
    ["a headline", `<message from="news.example.org" id="m" type="headline"><body>x</body></message>`],
    ["a chat state alone", `<message from="bob@example.org/a" type="chat"><composing xmlns="http://jabber.org/protocol/chatstates"/></message>`],
    ["a message with no sender", `<message id="m" type="chat"><body>x</body></message>`],
    ["a presence", `<presence from="bob@example.org/a"><status>x</status></presence>`],
  ])("is not an IM: %s", (_what, xml) => {
    expect(readIncoming(stanza(xml), { own: ME })).toBeUndefined();
  });
});
