// Receipts (src/xmpp/receipts.ts) and stanza errors (src/xmpp/stanza-error.ts) on literal
// stanzas: what tells the user "delivered", what tells them it came back and why, and what we
// answer with a receipt.
import { readReceipt, receiptFor, receiptWanted } from "../../src/xmpp/receipts";
import { conditionOf, readStanzaError } from "../../src/xmpp/stanza-error";
import { stanza } from "../kit/stanza";

describe("readReceipt", () => {
  it("reads a receipt (XEP-0184) as delivered, naming the contact by their bare JID", () => {
    expect(
      readReceipt(
        stanza(`<message from="bob@example.org/phone" to="alice@example.org/rvi" id="r-9"><received xmlns="urn:xmpp:receipts" id="im-1"/></message>`),
      ),
    ).toEqual({ kind: "delivered", id: "im-1", from: "bob@example.org" });
  });

  it("reads a message that came back: its id, the defined condition and the server's text", () => {
    expect(
      readReceipt(
        stanza(`
      <message from="bob@example.org" to="alice@example.org/rvi" id="im-2" type="error">
        <body>Lunch?</body>
        <error type="cancel" by="example.org">
          <service-unavailable xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/>
          <text xmlns="urn:ietf:params:xml:ns:xmpp-stanzas">User session not found</text>
        </error>
      </message>`),
      ),
    ).toEqual({ kind: "bounced", id: "im-2", condition: "service-unavailable", text: "User session not found" });
  });

  it("passes over a receipt without an id, an error without one, and an ordinary message", () => {
    expect(readReceipt(stanza(`<message from="bob@example.org/a"><received xmlns="urn:xmpp:receipts"/></message>`))).toBeUndefined();
    expect(
      readReceipt(
        stanza(`<message from="bob@example.org" type="error"><error type="cancel"><gone xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></message>`),
      ),
    ).toBeUndefined();
    expect(readReceipt(stanza(`<message from="bob@example.org/a" id="m" type="chat"><body>hi</body></message>`))).toBeUndefined();
  });
});

describe("receiptWanted and receiptFor", () => {
  it("answers a request that has an id, in a one-to-one message only", () => {
    const asked = (attrs: string) =>
      receiptWanted(stanza(`<message from="bob@example.org/a" ${attrs}><body>x</body><request xmlns="urn:xmpp:receipts"/></message>`));
    expect(asked(`id="m-1" type="chat"`)).toBe(true);
    expect(asked(`id="m-1"`)).toBe(true);
    expect(asked(`type="chat"`)).toBe(false);
    expect(asked(`id="m-1" type="groupchat"`)).toBe(false);
    expect(asked(`id="m-1" type="error"`)).toBe(false);
    expect(receiptWanted(stanza(`<message from="bob@example.org/a" id="m-1" type="chat"><body>x</body></message>`))).toBe(false);
  });

  it("writes the receipt to the sender's full JID, naming the message's id", () => {
    const asked = stanza(`<message from="bob@example.org/a" id="m-1" type="chat"><body>x</body><request xmlns="urn:xmpp:receipts"/></message>`);
    expect(receiptFor(asked, "rcpt-1").toString()).toBe(`<message to="bob@example.org/a" id="rcpt-1"><received xmlns="urn:xmpp:receipts" id="m-1"/></message>`);
  });
});

describe("readStanzaError", () => {
  it("finds the defined condition even when an application-specific element comes first", () => {
    expect(
      readStanzaError(
        stanza(`
      <presence from="room@conference.example.org/alice" type="error">
        <error type="cancel"><too-many xmlns="urn:example:app"/><conflict xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error>
      </presence>`),
      ),
    ).toEqual({ condition: "conflict", type: "cancel" });
  });

  it("reads an error with no defined condition, or no <error/> at all, as undefined-condition; a stanza that is no error as none", () => {
    expect(readStanzaError(stanza(`<message type="error" id="x"><error type="wait"><oops xmlns="urn:example:app"/></error></message>`))).toEqual({
      condition: "undefined-condition",
      type: "wait",
    });
    expect(readStanzaError(stanza(`<iq type="error" id="x"/>`))).toEqual({ condition: "undefined-condition" });
    expect(
      readStanzaError(stanza(`<message type="chat"><error type="cancel"><gone xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></message>`)),
    ).toBeUndefined();
  });

  it("conditionOf: the condition of a thrown stanza error, 'error' for anything else", () => {
    expect(conditionOf(Object.assign(new Error("item-not-found"), { condition: "item-not-found" }))).toBe("item-not-found");
    expect(conditionOf(new Error("timeout"))).toBe("error");
    expect(conditionOf(undefined)).toBe("error");
  });
});
