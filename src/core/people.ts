// People by name, not by address (F26): the name a person goes by, from the best source known —
// the email header ("Bob Builder <bob@…>"), the address book, the roster, a room nickname, in
// that order — kept per email address, so the IM window, notifications and contacts say
// "Bob Builder" where they used to say bob@example.org. Also the initials and the stable colour
// of the avatar drawn when no picture is known.
import { isEmail, normaliseEmail } from "./address";

export type NameSource = "email" | "addressbook" | "roster" | "nickname";
const RANK: Record<NameSource, number> = { email: 4, addressbook: 3, roster: 2, nickname: 1 };

export interface KnownName {
  name: string;
  source: NameSource;
  /** When the source said it (an email's date): a newer email's name replaces an older one's. */
  at?: number;
}

/** Where names are kept: the store's key-value table (one row per person). */
export interface NameStore {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
}

const MAX_NAME = 120;

/** A display name worth showing: trimmed, not empty, not the address itself, not absurdly long. */
export function cleanName(raw: string | undefined, address?: string): string | undefined {
  // the name as people read it: no control or bidi-override characters, one line
  const name = (raw ?? "")
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, "")
    .replace(/\s+/g, " ")
    .trim();
  if (!name || name.length > MAX_NAME) return undefined;
  if (address && name.toLowerCase() === address.toLowerCase()) return undefined;
  if (isEmail(name)) return undefined; // "bob@x.org <bob@x.org>" names nobody
  return name;
}

/** The display name of an address header: `"Builder, Bob" <bob@x>` → "Builder, Bob"; a bare address → undefined. */
export function nameFromHeader(header: string): string | undefined {
  const parts = displayAndAddress(String(header ?? ""));
  if (!parts) return undefined;
  let name = parts.display;
  if (name.startsWith('"') && name.endsWith('"') && name.length >= 2) name = name.slice(1, -1).replace(/\\(.)/g, "$1");
  return cleanName(name, parts.address);
}

/**
 * "Name <addr>" split as /^\s*(.*?)\s*<([^<>]*)>\s*$/ split it, in a few passes: the text ends
 * (white space aside) with ">", the "<" is the last one before it with no ">" between, and the
 * name, trimmed, is one line ("." stops at line ends). That regex was n² on a run of spaces, and
 * a From header is anyone's text.
 */
export function displayAndAddress(header: string): { display: string; address: string } | undefined {
  const text = header.trimEnd(); // trimEnd and \s take the same characters
  const close = text.length - 1;
  if (text[close] !== ">") return undefined;
  const open = text.lastIndexOf("<", close);
  if (open < 0 || text.indexOf(">", open + 1) !== close) return undefined;
  const display = text.slice(0, open).trim();
  if (/[\n\r\u2028\u2029]/.test(display)) return undefined;
  return { display, address: text.slice(open + 1, close) };
}

/** Up to two letters for an avatar: "Bob Builder" → "BB", "bob@example.org" → "B", "张伟" → "张". */
export function initials(nameOrAddress: string): string {
  const base = nameOrAddress.includes("@") && !nameOrAddress.includes(" ") ? nameOrAddress.split("@")[0]! : nameOrAddress;
  const words = base.split(/[\s._-]+/).filter((w) => /\p{L}|\p{N}/u.test(w));
  const letters = words.map((w) => [...w.replace(/^[^\p{L}\p{N}]+/u, "")][0] ?? "").filter(Boolean);
  const picked = letters.length > 1 ? [letters[0]!, letters[letters.length - 1]!] : letters.slice(0, 1);
  // scripts without letter case (CJK) read better with one character
  if (picked.length === 2 && !/\p{Lu}|\p{Ll}/u.test(picked[0]!)) return picked[0]!;
  return picked.join("").toUpperCase() || "?";
}

/** A stable colour slot (0…n-1) for a person: the same address always gets the same colour. */
export function colourSlot(key: string, n = 8): number {
  let h = 2166136261; // FNV-1a, 32-bit
  for (const ch of key.toLowerCase()) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0) % n;
}

export interface PeopleSources {
  store: NameStore;
  /** The name on the person's address-book card, when there is one. */
  cardName?(email: string): Promise<string | undefined>;
  /** The name the user gave them in the roster. */
  rosterName?(jid: string): string | undefined;
}

export function createPeople(sources: PeopleSources) {
  const key = (email: string) => `person:${email}`;
  const memo = new Map<string, KnownName | null>();
  const known = async (email: string): Promise<KnownName | undefined> => {
    if (!memo.has(email)) memo.set(email, (await sources.store.get<KnownName>(key(email))) ?? null);
    return memo.get(email) ?? undefined;
  };
  return {
    /** Keeps a name for the person unless a better source, or a newer word of the same one, already named them. */
    async learn(address: string, raw: string | undefined, source: NameSource, at?: number): Promise<void> {
      let email: string;
      try {
        email = normaliseEmail(address);
      } catch {
        return; // a From that is no address names nobody we could find again
      }
      const name = cleanName(raw, email);
      if (!name) return;
      const had = await known(email);
      if (had && RANK[had.source] > RANK[source]) return;
      if (had && had.source === source && (had.name === name || (had.at ?? 0) > (at ?? 0))) return;
      const next: KnownName = at === undefined ? { name, source } : { name, source, at };
      memo.set(email, next);
      await sources.store.set(key(email), next);
    },
    /** The person's name: a kept header name, else the address book, else the roster; undefined when nobody named them. */
    async nameOf(who: { email?: string; jid?: string }): Promise<KnownName | undefined> {
      const email = who.email && isEmail(who.email) ? normaliseEmail(who.email) : undefined;
      const kept = email ? await known(email) : undefined;
      if (kept && RANK[kept.source] >= RANK.addressbook) return kept;
      const card = email ? cleanName(await sources.cardName?.(email).catch(() => undefined), email) : undefined;
      if (card) return { name: card, source: "addressbook" };
      const roster = who.jid ? cleanName(sources.rosterName?.(who.jid), who.jid) : undefined;
      if (roster) return { name: roster, source: "roster" };
      return kept;
    },
  };
}
export type People = ReturnType<typeof createPeople>;
