// Address mapping email → JID (F2), from the sources in the order the spec sets: the user's own
// table, the address book, what the person's own mails say, and last the convention that the
// email address is the JID (a guess the user must confirm). Reverse JID → email serves F9.
import { isEmail, normaliseEmail, normaliseJid } from "./address";
import type { Clock, MappingStore } from "./ports";
import type { Mapping, MappingSource } from "./schemas";
import { readCard } from "./vcard";

export interface MailEvidence {
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface MappingSources {
  store: MappingStore;
  clock: Clock;
  /** vCards of address-book contacts with this email address. */
  cards?(email: string): Promise<string[]>;
  /** Mails written by this address (headers and text), newest first. */
  mailsFrom?(email: string): Promise<MailEvidence[]>;
}

export interface Resolution {
  email: string;
  jid: string;
  source: MappingSource;
  confidence: number;
  /** True when the address is only a guess that the user should confirm or correct. */
  needsConfirmation: boolean;
}

export const CONFIDENCE: Record<MappingSource, number> = {
  user: 1,
  addressbook: 0.9,
  answered: 0.85,
  "mail-header": 0.8,
  "mail-signature": 0.6,
  convention: 0.3,
};

const IM_HEADERS = ["x-im-address", "x-jabber-id", "jabber-id", "x-xmpp"];
const XMPP_URI = /xmpp:([^\s?<>"'(),;]+@[^\s?<>"'(),;]+)(\?[a-z]*)?/gi;
/** RFC 5122 actions that name a person; `?join` (a chat room, as in our own invitations) does not. */
const PERSON_ACTIONS = new Set(["", "?", "?message", "?roster", "?subscribe", "?vcard"]);

function first<T>(xs: (T | undefined)[]): T | undefined {
  return xs.find((x) => x !== undefined);
}

/** The JIDs a mail announces for its author: IM-address headers first, then xmpp: URIs in the text. */
export function findImAddresses(mail: MailEvidence): { header: string[]; signature: string[] } {
  const header: string[] = [];
  for (const [name, value] of Object.entries(mail.headers)) {
    if (!IM_HEADERS.includes(name.toLowerCase()) || value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      try {
        header.push(normaliseJid(v));
      } catch {
        /* a malformed header proves nothing */
      }
    }
  }
  const signature: string[] = [];
  for (const m of mail.text.slice(-20_000).matchAll(XMPP_URI)) {
    if (!PERSON_ACTIONS.has((m[2] ?? "").toLowerCase())) continue;
    try {
      signature.push(normaliseJid(m[1]!));
    } catch {
      /* ignore */
    }
  }
  return { header, signature };
}

export function createMapper(sources: MappingSources) {
  const { store, clock } = sources;

  const result = (email: string, jid: string, source: MappingSource): Resolution => ({
    email, jid, source, confidence: CONFIDENCE[source], needsConfirmation: source === "convention",
  });

  async function fromCards(email: string): Promise<string | undefined> {
    for (const card of (await sources.cards?.(email)) ?? []) {
      const { emails, jids } = await readCard(card);
      if (jids.length && (emails.length === 0 || emails.includes(email))) return jids[0];
    }
    return undefined;
  }

  async function fromMails(email: string): Promise<Resolution | undefined> {
    const mails = (await sources.mailsFrom?.(email)) ?? [];
    const found = mails.map(findImAddresses);
    const header = first(found.map((f) => f.header[0]));
    if (header) return result(email, header, "mail-header");
    const signature = first(found.map((f) => f.signature[0]));
    if (signature) return result(email, signature, "mail-signature");
    return undefined;
  }

  /** email → JID with its source. Throws a UserFacingError for an invalid address. */
  async function resolve(emailInput: string): Promise<Resolution> {
    const email = normaliseEmail(emailInput);
    const own = await store.get(email);
    if (own && own.source === "user") return result(email, own.jid, "user");
    // what the address book or the person's mails say is remembered (F2): the address table
    // shows it, and an IM from that JID is known to come from this email address (F9)
    const card = await fromCards(email);
    if (card) {
      await learn(email, card, "addressbook");
      return result(email, card, "addressbook");
    }
    const mail = await fromMails(email);
    if (mail) {
      await learn(email, mail.jid, mail.source as Exclude<MappingSource, "user">);
      return mail;
    }
    if (own) return result(email, own.jid, own.source);
    return result(email, email, "convention");
  }

  /** JID → email: the table first, else the convention (the JID read as an address). */
  async function reverse(jidInput: string): Promise<{ email: string; source: MappingSource }> {
    const jid = normaliseJid(jidInput);
    const row = await store.byJid(jid);
    if (row) return { email: row.email, source: row.source };
    return { email: normaliseEmail(jid), source: "convention" };
  }

  /** The user confirmed or corrected a mapping: it becomes theirs and wins from now on. */
  async function correct(emailInput: string, jidInput: string): Promise<Mapping> {
    const row: Mapping = {
      email: normaliseEmail(emailInput),
      jid: normaliseJid(jidInput),
      source: "user",
      confidence: CONFIDENCE.user,
      updatedAt: clock.now(),
    };
    await store.put(row);
    return row;
  }

  /**
   * An IM came from this JID: if the person's email address was only guessed to be it (or
   * nothing was stored), the guess is proven — no more "please confirm" (F26). A surer source stays.
   */
  async function answeredFrom(jidInput: string): Promise<void> {
    const jid = normaliseJid(jidInput);
    const row = await store.byJid(jid);
    if (row && row.source !== "convention") return;
    const email = row?.email ?? (isEmail(jid) ? normaliseEmail(jid) : undefined);
    if (email) await learn(email, jid, "answered");
  }

  /** Remembers a mapping learnt from a source other than the user (never overrides the user's). */
  async function learn(emailInput: string, jidInput: string, source: Exclude<MappingSource, "user">): Promise<void> {
    const email = normaliseEmail(emailInput);
    const existing = await store.get(email);
    const jid = normaliseJid(jidInput);
    // a surer source wins; the same source may change its mind (a card edited, a new signature)
    if (existing && (CONFIDENCE[existing.source] > CONFIDENCE[source] || (existing.source === source && existing.jid === jid))) return;
    await store.put({ email, jid, source, confidence: CONFIDENCE[source], updatedAt: clock.now() });
  }

  return { resolve, reverse, correct, learn, answeredFrom };
}
export type Mapper = ReturnType<typeof createMapper>;
