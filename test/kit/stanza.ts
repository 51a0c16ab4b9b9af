// Literal stanzas for parser tests, as Converse's tests write them: the XML as it comes off the
// wire (whitespace between elements dropped), parsed by xmpp.js's own parser into the element
// the client would hand us.
import type { Element } from "@xmpp/xml";
import parse from "@xmpp/xml/lib/parse.js";

export function stanza(text: string): Element {
  return parse(text.replace(/>\s+</g, "><").trim());
}
