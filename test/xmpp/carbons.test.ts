// readCarbon (src/xmpp/carbons.ts) on literal stanzas: a copy of the user's own traffic is
// believed only when the user's own server sends it (XEP-0280 §11).
import { readCarbon } from "../../src/xmpp/carbons";
import { stanza } from "../kit/stanza";

const ME = "alice@example.org";
const carbon = (from: string, wrap: "received" | "sent", inner: string) =>
  stanza(`
  <message xmlns="jabber:client" from="${from}" to="alice@example.org/rvi" type="chat">
    <${wrap} xmlns="urn:xmpp:carbons:2">
      <forwarded xmlns="urn:xmpp:forward:0">
        <message xmlns="jabber:client" ${inner}<body>On my way</body></message>
      </forwarded>
    </${wrap}>
  </message>`);

describe("readCarbon", () => {
  it("reads a carbon of a message the user received on another device", () => {
    const c = readCarbon(carbon(ME, "received", `from="bob@example.org/phone" to="alice@example.org/laptop" id="m-1" type="chat">`), ME)!;
    expect({ direction: c.direction, from: c.message.attrs.from, id: c.message.attrs.id, body: c.message.getChildText("body") }).toEqual({
      direction: "received",
      from: "bob@example.org/phone",
      id: "m-1",
      body: "On my way",
    });
  });

  it("reads a carbon of a message the user sent from another device", () => {
    const c = readCarbon(carbon(ME, "sent", `from="alice@example.org/laptop" to="bob@example.org" id="m-2" type="chat">`), ME)!;
    expect([c.direction, c.message.attrs.to]).toEqual(["sent", "bob@example.org"]);
  });

  it("refuses a forged carbon: from the contact, from another server, from a full JID, or with nobody logged in", () => {
    const inner = `from="bob@example.org/phone" to="alice@example.org" id="m-3" type="chat">`;
    for (const from of ["bob@example.org", "example.org", "alice@example.org/other", "mallory@evil.example"]) {
      expect(readCarbon(carbon(from, "received", inner), ME)).toBeUndefined();
    }
    expect(readCarbon(carbon(ME, "received", inner), undefined)).toBeUndefined();
  });

  it("passes over what is not a carbon, and a carbon that carries no message", () => {
    expect(readCarbon(stanza(`<message from="alice@example.org" type="chat"><body>x</body></message>`), ME)).toBeUndefined();
    expect(
      readCarbon(
        stanza(`<message from="alice@example.org"><received xmlns="urn:xmpp:carbons:2"><forwarded xmlns="urn:xmpp:forward:0"/></received></message>`),
        ME,
      ),
    ).toBeUndefined();
    expect(readCarbon(stanza(`<iq from="alice@example.org" type="result" id="c"/>`), ME)).toBeUndefined();
  });
});
