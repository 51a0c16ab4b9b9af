// Address mapping email → JID (F2), from the sources in the order the spec sets: the user's own
// table, the address book, what the person's own mails say, and last the convention that the
// email address is the JID (a guess the user must confirm). Reverse JID → email serves F9.
// Anyone can send an email with any From and any header, so what a mail says is evidence, not
// a fact: it is shown with where it came from, never used before the user confirms it, never
// read from quoted text, and never wins over what the user set or the contact proved.
import { isEmail, normaliseEmail, normaliseJid } from "./address";
import type { Clock, MappingStore } from "./ports";
import type { Mapping, MappingSource } from "./schemas";
import { xmppUris } from "./scan";
import { readCard } from "./vcard";

export interface MailEvidence {
  headers: Record<string, string | string[] | undefined>;
  /** The mail's text as its author wrote it: quoted parts are dropped here (ownText) anyway. */
  text: string;
  /** When it was sent and its subject, so the window can say which email the address came from. */
  date?: number;
  subject?: string;
}

/** Where a mapping from mail came from: which email, and which part of it. */
export interface Evidence {
  part: "header" | "signature";
  date?: number;
  subject?: string;
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
  /** True when the address is only a guess or a claim that the user should confirm or correct. */
  needsConfirmation: boolean;
  /** For an address found in mail: which email said so. */
  evidence?: Evidence;
}

/** Sources that make a JID someone the user knows (F14) and may name a person: the user's, their address book's, or proven by an answer. */
export const TRUSTED_SOURCES: ReadonlySet<MappingSource> = new Set<MappingSource>(["user", "addressbook", "answered"]);
/** Sources that are only claims found in mail: never used to send before the user confirms. */
export const CLAIMED_SOURCES: ReadonlySet<MappingSource> = new Set<MappingSource>(["mail-header", "mail-signature"]);

export const CONFIDENCE: Record<MappingSource, number> = {
  user: 1,
  addressbook: 0.9,
  answered: 0.85,
  "mail-header": 0.8,
  "mail-signature": 0.6,
  convention: 0.3,
};

const IM_HEADERS = ["x-im-address", "x-jabber-id", "jabber-id", "x-xmpp"];
/** RFC 5122 actions that name a person; `?join` (a chat room, as in our own invitations) does not. */
const PERSON_ACTIONS = new Set(["", "?", "?message", "?roster", "?subscribe", "?vcard"]);

const ATTRIBUTION_END = ["wrote:", "writes:", "a écrit :", "a écrit:", "schrieb:", "escribió:", "scrisse:", "schreef:"];

/**
 * The part of a mail's text its author wrote: up to the first quoted line ("> …"), the first
 * attribution line ("On … wrote:") or a forwarded/original-message marker. Read line by line
 * (linear): a signature quoted from someone else's mail is not this author's.
 */
export function ownText(text: string): string {
  let end = 0;
  let at = 0;
  while (at <= text.length) {
    const nl = text.indexOf("\n", at);
    const stop = nl < 0 ? text.length : nl;
    const line = text.slice(at, stop).trim();
    const lower = line.toLowerCase();
    if (
      line.startsWith(">") ||
      /^-{2,}\s*(original message|forwarded message|ursprüngliche nachricht|message d'origine)/i.test(line) ||
      (line.length < 300 && ATTRIBUTION_END.some((w) => lower.endsWith(w)))
    )
      break;
    end = stop;
    at = stop + 1;
  }
  return text.slice(0, end);
}

/** An HTML mail without its quoted parts (<blockquote>, nested or not), in one pass: what the author wrote. */
export function ownHtml(html: string): string {
  const lower = html.toLowerCase();
  let out = "";
  let at = 0;
  let depth = 0;
  for (;;) {
    const open = lower.indexOf("<blockquote", at);
    const close = depth ? lower.indexOf("</blockquote", at) : -1;
    if (depth === 0) {
      if (open < 0) return out + html.slice(at);
      out += html.slice(at, open);
      depth = 1;
      at = open + 11;
    } else if (close < 0) {
      return out; // an unclosed quote runs to the end
    } else if (open >= 0 && open < close) {
      depth++;
      at = open + 11;
    } else {
      depth--;
      const end = lower.indexOf(">", close);
      if (end < 0) return out;
      at = end + 1;
    }
  }
}

/** The JIDs a mail announces for its author: IM-address headers first, then xmpp: URIs in their own text. */
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
  // read in one pass (src/core/scan.ts): a regex here took quadratic time on "xmpp:a" × n
  for (const m of xmppUris(ownText(mail.text.slice(0, 200_000)).slice(-20_000))) {
    if (!PERSON_ACTIONS.has(m.action)) continue;
    try {
      signature.push(normaliseJid(m.jid));
    } catch {
      /* ignore */
    }
  }
  return { header, signature };
}

export function createMapper(sources: MappingSources) {
  const { store, clock } = sources;

  const result = (email: string, jid: string, source: MappingSource, evidence?: Evidence): Resolution => ({
    email,
    jid,
    source,
    confidence: CONFIDENCE[source],
    needsConfirmation: source === "convention" || CLAIMED_SOURCES.has(source),
    ...(evidence ? { evidence } : {}),
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
    const found = mails.map((m) => ({ mail: m, ...findImAddresses(m) }));
    const said = (f: (typeof found)[number], part: Evidence["part"]): Evidence => ({
      part,
      ...(f.mail.date ? { date: f.mail.date } : {}),
      ...(f.mail.subject ? { subject: f.mail.subject } : {}),
    });
    const header = found.find((f) => f.header[0]);
    if (header) return result(email, header.header[0]!, "mail-header", said(header, "header"));
    const signature = found.find((f) => f.signature[0]);
    if (signature) return result(email, signature.signature[0]!, "mail-signature", said(signature, "signature"));
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
    // the contact proved this address by answering from it: no mail's claim overrides that
    if (own && own.source === "answered") return result(email, own.jid, "answered");
    const mail = await fromMails(email);
    if (mail) {
      await learn(email, mail.jid, mail.source as Exclude<MappingSource, "user">);
      return mail;
    }
    if (own) return result(email, own.jid, own.source);
    return result(email, email, "convention");
  }

  /**
   * JID → email: the table first, else the convention (the JID read as an address). Only a
   * mapping the user, their address book or an answer stands for lets a JID speak as a person:
   * an address claimed by a mail (that anyone could have sent) does not.
   */
  async function reverse(jidInput: string): Promise<{ email: string; source: MappingSource }> {
    const jid = normaliseJid(jidInput);
    const row = await store.byJid(jid);
    if (row && TRUSTED_SOURCES.has(row.source)) return { email: row.email, source: row.source };
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
