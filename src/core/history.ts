// History between the user and one counterpart (F3, F4): recording emails and IMs without
// duplicates, and assembling what goes with an IM — a structured bundle for this add-in on the
// other side and a plain-text digest any XMPP client can show. Newest is kept; what is cut is said.
import type { ExchangeStore } from "./ports";
import { Exchange, type ExchangeInput } from "./schemas";
import { byteLength, clip, formatDate, formatSize, htmlToText } from "./text";

export interface EmailInput {
  messageId?: string;
  from: string;
  to: string[];
  subject?: string;
  date: number;
  text?: string;
  html?: string;
  attachments?: { name: string; size: number; contentType?: string }[];
  inReplyTo?: string;
}

/** Per-exchange text cap in a history, so one huge email cannot crowd out the rest. */
export const ITEM_TEXT_BYTES = 4_000;

function stripAngles(id: string): string {
  return id.trim().replace(/^<|>$/g, "");
}

/** An email as an exchange with a counterpart; its body as text (HTML is reduced to text). */
export function emailExchange(counterpart: string, direction: "in" | "out", email: EmailInput): Exchange {
  const text = (email.text?.trim() ? email.text : htmlToText(email.html ?? "")).trimEnd();
  const key = email.messageId ? stripAngles(email.messageId) : `no-id:${email.date}:${email.from}:${(email.subject ?? "").slice(0, 100)}`;
  const input: ExchangeInput = {
    id: `email:${key}`,
    kind: "email",
    key,
    counterpart,
    direction,
    at: Math.max(0, Math.trunc(email.date)),
    from: email.from,
    to: email.to,
    subject: email.subject ?? "",
    text: clip(text, 256_000),
    attachments: (email.attachments ?? []).map((a) => ({ name: a.name, size: a.size, contentType: a.contentType })),
    inReplyTo: email.inReplyTo ? stripAngles(email.inReplyTo) : undefined,
  };
  return Exchange.parse(input);
}

export function imExchange(input: Omit<ExchangeInput, "id" | "kind">): Exchange {
  return Exchange.parse({ ...input, id: `im:${input.key}`, kind: "im" });
}

export interface HistoryOptions {
  limit?: number; // at most this many exchanges
  since?: number; // none older than this (ms)
  maxBytes?: number; // the digest's size bound (UTF-8)
}

export interface HistoryBundle {
  counterpart: string;
  items: Exchange[]; // oldest first, as read
  digest: string; // plain text, at most maxBytes
  omitted: number; // exchanges left out by the size bound
  bytes: number; // digest size
}

export const DEFAULT_HISTORY: Required<HistoryOptions> = { limit: 20, since: 0, maxBytes: 16_000 };

function digestEntry(x: Exchange): string {
  const who = x.direction === "in" ? x.from : `me (${x.from})`;
  const head = x.kind === "email" ? `[${formatDate(x.at)}] Email from ${who}${x.subject ? ` — "${x.subject}"` : ""}` : `[${formatDate(x.at)}] IM from ${who}`;
  const files = x.attachments.length
    ? `\n  Attachments: ${x.attachments.map((a) => `${a.name} (${formatSize(a.size)})${a.url ? ` ${a.url}` : ""}`).join(", ")}`
    : "";
  const body = clip(x.text.trim(), ITEM_TEXT_BYTES)
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");
  const theirs = x.origin === "theirs" ? " (from their history)" : "";
  return `${head}${theirs}\n${body}${files}`;
}

/** Builds the digest from newest to oldest until the bound is reached. */
export function buildDigest(counterpart: string, newestFirst: Exchange[], maxBytes: number) {
  const header = `Earlier exchanges with ${counterpart}:`;
  const kept: string[] = [];
  let size = byteLength(header) + 1;
  let omitted = 0;
  for (const x of newestFirst) {
    const entry = digestEntry(x);
    const cost = byteLength(entry) + 2;
    // reserve room for the "left out" line
    if (omitted === 0 && size + cost + 80 <= maxBytes) {
      kept.push(entry);
      size += cost;
    } else {
      omitted++;
    }
  }
  const note = omitted ? `(${omitted} earlier exchange${omitted === 1 ? "" : "s"} left out to keep this short.)` : "";
  const parts = [header, ...(note ? [note] : []), ...kept.reverse()];
  const digest = clip(parts.join("\n\n"), maxBytes);
  return { digest, omitted, keptCount: kept.length };
}

export async function historyFor(store: ExchangeStore, counterpart: string, options: HistoryOptions = {}): Promise<HistoryBundle> {
  const opts = { ...DEFAULT_HISTORY, ...options };
  const newestFirst = await store.recent(counterpart, { since: opts.since, limit: opts.limit });
  const { digest, omitted, keptCount } = buildDigest(counterpart, newestFirst, opts.maxBytes);
  const items = newestFirst.slice(0, keptCount).reverse();
  return { counterpart, items, digest, omitted, bytes: byteLength(digest) };
}

/**
 * History received from the counterpart (already read from our point of view: "in" is what
 * they sent us): stored marked as theirs, never replacing ours.
 */
export async function storeTheirHistory(store: ExchangeStore, counterpart: string, items: Exchange[]): Promise<number> {
  let added = 0;
  for (const item of items) {
    const theirs = Exchange.parse({ ...item, counterpart, origin: "theirs" });
    if (await store.add(theirs)) added++;
  }
  return added;
}
