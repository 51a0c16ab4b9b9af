// Reading mail for the engine: the displayed message (headers, text, attachments), the
// address book's vCards (IMPP), and a person's own mails (for the IM addresses they announce).
import { htmlToText, normaliseEmail, ownHtml, type EmailInput, type MailEvidence } from "../../core";

type Part = messenger.messages.MessagePart;

function bodies(part: Part, acc: { text?: string; html?: string } = {}) {
  if (part.body !== undefined && part.contentType?.startsWith("text/plain") && acc.text === undefined) acc.text = part.body;
  if (part.body !== undefined && part.contentType?.startsWith("text/html") && acc.html === undefined) acc.html = part.body;
  for (const p of part.parts ?? []) bodies(p, acc);
  return acc;
}

/** Thunderbird's message list drops a leading "Re:" from subjects; the header itself keeps it. */
function fullSubject(listed: string, raw: string | undefined): string {
  const s = raw?.replace(/\s+/g, " ").trim();
  return s && s.endsWith(listed) && !s.includes("=?") ? s : listed;
}

export async function readMessage(id: number): Promise<EmailInput & { references?: string[] }> {
  const [header, full, files] = await Promise.all([
    messenger.messages.get(id),
    messenger.messages.getFull(id),
    messenger.messages.listAttachments(id).catch(() => []),
  ]);
  const b = bodies(full);
  const refs = (full.headers?.references?.[0] ?? "").split(/\s+/).filter(Boolean);
  return {
    messageId: header.headerMessageId,
    from: header.author,
    to: [...header.recipients, ...header.ccList],
    subject: fullSubject(header.subject, full.headers?.subject?.[0]),
    date: new Date(header.date).getTime(),
    text: b.text,
    html: b.html,
    attachments: files.map((f) => ({ name: f.name, size: f.size, contentType: f.contentType })),
    references: refs.map((r) => r.replace(/^<|>$/g, "")),
  };
}

/** The vCards of contacts matching the address (Manifest V2 keeps a card's vCard in `properties`). */
export async function vcardsFor(email: string): Promise<string[]> {
  const api = messenger.contacts;
  if (!api?.quickSearch) return [];
  try {
    return (await api.quickSearch(email)).map((c) => c.vCard ?? c.properties?.vCard ?? "").filter(Boolean);
  } catch {
    return [];
  }
}

export async function mailsFrom(email: string): Promise<MailEvidence[]> {
  try {
    const { messages } = await messenger.messages.query({ author: email });
    const recent = messages.slice(-5).reverse();
    const out: MailEvidence[] = [];
    for (const m of recent) {
      if (normaliseEmail(m.author) !== normaliseEmail(email)) continue;
      const full = await messenger.messages.getFull(m.id);
      const b = bodies(full);
      // the date and subject say which email an address came from; quotes are someone else's words
      out.push({
        headers: Object.fromEntries(Object.entries(full.headers ?? {}).map(([k, v]) => [k, v])),
        text: b.text ?? htmlToText(ownHtml(b.html ?? "")),
        date: new Date(m.date).getTime() || undefined,
        subject: m.subject,
      });
    }
    return out;
  } catch {
    return [];
  }
}
