// F24: IMs with one person grouped into conversations, as Lync's "Conversation History" kept
// them — a conversation ends after a quiet time (a setting, 10 minutes by default). Each has one
// stable id, derived from its first IM's key and the person, so the same conversation gets the
// same id after a restart and its saved copy is replaced, never duplicated. Pure: no host, no store.
import type { Exchange } from "./schemas";

export const DEFAULT_QUIET_MINUTES = 10;

/** The email a conversation started from (Reply via IM on it): what its saved copy threads under. */
export interface ConversationOrigin {
  messageId: string;
  subject: string;
  references: string[];
}

export interface Conversation {
  /** Stable: the same first IM and person give the same id. */
  id: string;
  counterpart: string;
  /** Oldest first. */
  ims: Exchange[];
  startedAt: number;
  lastAt: number;
  origin?: ConversationOrigin;
}

/** FNV-1a, 32 bits, with a seed: two of them give a 64-bit id that is the same on every run. */
function fnv(text: string, seed: number): string {
  let h = seed >>> 0;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}

/** The conversation's id from its first IM and the person (not from a clock or a counter). */
export function conversationId(counterpart: string, firstKey: string): string {
  const text = `${counterpart.toLowerCase()}\n${firstKey}`;
  return `${fnv(text, 0x811c9dc5)}${fnv(text, 0x2f1a7c3b)}`;
}

/** The Message-ID (without angle brackets) of the conversation's saved copy. */
export function conversationMessageId(id: string): string {
  return `conversation.${id}@reply-via-im.org`;
}

const stripAngles = (id: string) => id.trim().replace(/^<|>$/g, "");

/**
 * The IMs with one person, in conversations: a gap longer than `quietMs` ends one. `originOf`
 * names the email an IM was sent on (Reply via IM); the first IM that has one gives the
 * conversation its origin. Emails and other people's IMs in `items` are left out.
 */
export function groupConversations(
  counterpart: string,
  items: Exchange[],
  opts: { quietMs?: number; originOf?: (im: Exchange) => ConversationOrigin | undefined } = {},
): Conversation[] {
  const quietMs = opts.quietMs ?? DEFAULT_QUIET_MINUTES * 60_000;
  const ims = items.filter((x) => x.kind === "im" && x.counterpart === counterpart).sort((a, b) => a.at - b.at || a.key.localeCompare(b.key));
  const out: Conversation[] = [];
  let current: Conversation | undefined;
  for (const im of ims) {
    if (!current || im.at - current.lastAt > quietMs) {
      current = { id: conversationId(counterpart, im.key), counterpart, ims: [], startedAt: im.at, lastAt: im.at };
      out.push(current);
    }
    current.ims.push(im);
    current.lastAt = im.at;
    const origin = current.origin ? undefined : opts.originOf?.(im);
    if (origin?.messageId) {
      current.origin = { ...origin, messageId: stripAngles(origin.messageId), references: origin.references.map(stripAngles).filter(Boolean) };
    }
  }
  return out;
}

/** The conversation an IM belongs to, among those grouped. */
export function conversationOf(conversations: Conversation[], imKey: string): Conversation | undefined {
  return conversations.find((c) => c.ims.some((x) => x.key === imKey));
}

/** What changes when the conversation changes: a saved copy with the same revision needs no rewrite. */
export function conversationRevision(c: Conversation): string {
  return `${c.ims.length}-${c.lastAt}-${fnv(c.ims.map((x) => `${x.key}:${x.text}`).join("\n"), 0x811c9dc5)}`;
}
