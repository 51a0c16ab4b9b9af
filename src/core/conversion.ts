// Turning IM into email (F6c, F9): a normal threaded reply — To, "Re: …", In-Reply-To and
// References — with text and HTML bodies. The HTML is built only from escaped text, and an
// Outlook variant is kept under 32 KB by leaving out the oldest history, with a note.
import type { HistoryBundle } from "./history";
import type { Exchange, OriginalEmail } from "./schemas";
import { byteLength, escapeHtml, formatDate } from "./text";

export const OUTLOOK_HTML_LIMIT = 32 * 1024;

export interface EmailDraft {
  to: string[];
  subject: string;
  inReplyTo?: string;
  references: string[];
  text: string;
  html: string;
  /** The HTML body cut to Outlook's limit (equal to `html` when it fits). */
  htmlLimited: string;
  omittedInLimited: number;
}

export function replySubject(subject: string): string {
  const s = subject.trim();
  return /^(re|aw|sv|antw)\s*:/i.test(s) ? s : `Re: ${s || "(no subject)"}`;
}

function angle(id: string): string {
  return `<${id.replace(/^<|>$/g, "")}>`;
}

function threading(original?: OriginalEmail): Pick<EmailDraft, "inReplyTo" | "references"> {
  if (!original?.messageId) return { references: [] };
  const id = angle(original.messageId);
  const refs = [...original.references.map(angle).filter((r) => r !== id), id].slice(-20);
  return { inReplyTo: id, references: refs };
}

function historyText(items: Exchange[]): string {
  return items
    .map((x) => {
      const what = x.kind === "email" ? `Email${x.subject ? ` "${x.subject}"` : ""}` : "IM";
      const files = x.attachments.length ? `\nAttachments: ${x.attachments.map((a) => a.name).join(", ")}` : "";
      return `[${formatDate(x.at)}] ${what} from ${x.from}:\n${x.text.trim()}${files}`;
    })
    .join("\n\n");
}

function historyHtml(items: Exchange[]): string {
  return items
    .map((x) => {
      const what = x.kind === "email" ? `Email${x.subject ? ` “${escapeHtml(x.subject)}”` : ""}` : "IM";
      const files = x.attachments.length ? `<div>Attachments: ${x.attachments.map((a) => escapeHtml(a.name)).join(", ")}</div>` : "";
      return (
        `<div class="rvi-item"><div><b>${escapeHtml(formatDate(x.at))}</b> ${what} from ${escapeHtml(x.from)}</div>` +
        `<blockquote style="white-space:pre-wrap">${escapeHtml(x.text.trim())}</blockquote>${files}</div>`
      );
    })
    .join("\n");
}

interface Body {
  intro: string; // the message itself
  addresses: string; // "From alice@… to bob@…"
}

function compose(body: Body, items: Exchange[], omitted: number, limit: number) {
  const lead =
    `<div class="rvi-message" style="white-space:pre-wrap">${escapeHtml(body.intro)}</div>` + `<p class="rvi-addresses">${escapeHtml(body.addresses)}</p>`;
  const wrap = (kept: Exchange[], left: number) => {
    const note = left ? `<p class="rvi-note">${left} earlier exchange${left === 1 ? "" : "s"} left out to fit the size limit.</p>` : "";
    const hist = kept.length ? `<hr><p>Earlier exchanges:</p>${note}${historyHtml(kept)}` : note;
    return `<div class="rvi">${lead}${hist}</div>`;
  };
  const full = wrap(items, omitted);
  // Keep the newest exchanges: drop from the oldest end until the limit is met.
  let start = 0;
  let limited = full;
  while (byteLength(limited) > limit && start < items.length) {
    start++;
    limited = wrap(items.slice(start), omitted + start);
  }
  return { html: full, htmlLimited: limited, omittedInLimited: omitted + start };
}

export interface ImToEmailInput {
  text: string; // the IM the user wrote
  me: string; // the sender's address
  to: string; // the recipient's email address
  original?: OriginalEmail; // the email being answered
  history?: HistoryBundle;
  limit?: number;
}

/** F6(c): the IM becomes a reply to the original email, with the addresses and the history. */
export function imToEmailDraft(input: ImToEmailInput): EmailDraft {
  const items = input.history?.items ?? [];
  const omitted = input.history?.omitted ?? 0;
  const addresses = `Sent as email by ${input.me} to ${input.to} (the IM could not be delivered).`;
  const hist = items.length ? `\n\n-- Earlier exchanges --\n${omitted ? `(${omitted} earlier left out)\n\n` : ""}${historyText(items)}` : "";
  return {
    to: [input.to],
    subject: replySubject(input.original?.subject ?? ""),
    ...threading(input.original),
    text: `${input.text}\n\n${addresses}${hist}\n`,
    ...compose({ intro: input.text, addresses }, items, omitted, input.limit ?? OUTLOOK_HTML_LIMIT),
  };
}

export interface ThreadToEmailInput {
  thread: Exchange[]; // the chat, oldest first
  me: string;
  to: string; // the person's email address (reverse-mapped from the JID)
  subject?: string;
  original?: OriginalEmail;
  limit?: number;
}

/** F9: "Reply by email" to an IM — a draft carrying the chat so far. */
export function threadToEmailDraft(input: ThreadToEmailInput): EmailDraft {
  const last = input.thread[input.thread.length - 1];
  const subject = input.original?.subject ?? input.subject ?? (last ? `Our chat of ${formatDate(last.at).slice(0, 10)}` : "Our chat");
  const addresses = `From ${input.me} to ${input.to}, following our chat.`;
  return {
    to: [input.to],
    subject: replySubject(subject),
    ...threading(input.original),
    text: `\n\n${addresses}\n\n-- Our chat --\n${historyText(input.thread)}\n`,
    ...compose({ intro: "", addresses }, input.thread, 0, input.limit ?? OUTLOOK_HTML_LIMIT),
  };
}
