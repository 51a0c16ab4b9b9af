// A stanza's <error/> (RFC 6120 §8.3), read in one place for every layer: a message that came
// back, a room's refusal, an iq's failure — as xmpp.js's StanzaError.fromElement reads it, but
// total: the defined condition is the child in the stanzas namespace (an application-specific
// element may come first), and a missing or malformed error reads as "undefined-condition",
// never a throw. The condition is the other side's word: the UI turns only known ones into text.
import type { Element } from "@xmpp/xml";

export const NS_STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";

export interface StanzaErrorInfo {
  /** The defined condition (item-not-found, service-unavailable …), "undefined-condition" when none is given. */
  condition: string;
  /** The sender's own words, when it gave some (not for the person: their language is not ours). */
  text?: string;
  /** cancel, continue, modify, auth, wait */
  type?: string;
  /** Who said it (the `by` attribute), when given. */
  by?: string;
}

/** The error a stanza of type "error" carries; undefined for a stanza that is not an error. */
export function readStanzaError(st: Element): StanzaErrorInfo | undefined {
  if (st.attrs.type !== "error") return undefined;
  const error = st.getChild("error");
  const defined = error?.getChildElements().find((c) => c.attrs.xmlns === NS_STANZAS && c.name !== "text");
  const text = error?.getChildText("text", NS_STANZAS) ?? undefined;
  return {
    condition: defined?.name ?? "undefined-condition",
    ...(text ? { text } : {}),
    ...(error?.attrs.type ? { type: String(error.attrs.type) } : {}),
    ...(error?.attrs.by ? { by: String(error.attrs.by) } : {}),
  };
}

/**
 * The condition of a thrown error: xmpp.js's iqCaller rejects with a StanzaError that has one; a
 * timeout or a dropped connection has none ("error").
 */
export function conditionOf(err: unknown): string {
  const c = (err as { condition?: unknown } | null | undefined)?.condition;
  return typeof c === "string" && c ? c : "error";
}
