// F24: a conversation written as an RFC 5322 message, for the "Conversation History" folder —
// From the other person, To the user, "IM with <Name>: <the email's subject>", a Message-ID from
// the conversation's stable id, and In-Reply-To/References to the email it started from, so it
// threads with that email. Body: both sides' IMs in order, with names and times (text/plain, and
// a text/html twin built from escaped text only); the IMs' upload links are listed, and files the
// host already holds are attached. The reader of .eml files is ./eml.ts.
import { conversationMessageId, conversationRevision, type Conversation } from "./conversations";
import { escapeHtml, formatDate } from "./text";

export interface Person {
  name?: string;
  address: string;
}

export interface ConversationMail {
  conversation: Conversation;
  me: Person;
  other: Person;
  /** Files the host already holds for the IMs' links (nothing is downloaded to write the message). */
  files?: { name: string; contentType: string; data: Uint8Array }[];
  /** How a time is written (the host's locale and zone); UTC by default. */
  time?: (ms: number) => string;
}

const utf8 = new TextEncoder();

function base64(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** RFC 2047: a header text with anything outside printable ASCII as UTF-8 encoded words. */
export function encodeWords(text: string): string {
  const clean = text.replace(/[\r\n]+/g, " ");
  if (/^[\x20-\x7e]*$/.test(clean)) return clean;
  // encoded words of at most ~45 bytes each, split at character boundaries
  const words: string[] = [];
  let chunk = "";
  for (const ch of clean) {
    if (utf8.encode(chunk + ch).length > 45) {
      words.push(chunk);
      chunk = "";
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${base64(utf8.encode(w))}?=`).join(" ");
}

/** A mailbox (RFC 5322 name-addr): the name quoted or encoded, the address in angle brackets. */
export function mailbox(p: Person): string {
  const name = (p.name ?? "").trim();
  if (!name) return `<${p.address}>`;
  const shown = /^[\x20-\x7e]*$/.test(name) ? `"${name.replace(/["\\]/g, "\\$&")}"` : encodeWords(name);
  return `${shown} <${p.address}>`;
}

/** Quoted-printable (RFC 2045) of UTF-8 text, lines of at most 76 characters, CRLF line ends. */
export function quotedPrintable(text: string): string {
  const out: string[] = [];
  for (const line of text.replace(/\r\n?/g, "\n").split("\n")) {
    let encoded = "";
    const bytes = utf8.encode(line);
    bytes.forEach((b, i) => {
      const last = i === bytes.length - 1;
      const plain = (b >= 33 && b <= 126 && b !== 61) || (b === 32 && !last) || (b === 9 && !last);
      encoded += plain ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, "0")}`;
    });
    // soft breaks: never inside an =XX escape
    while (encoded.length > 76) {
      let cut = 75;
      if (encoded[cut - 1] === "=") cut -= 1;
      else if (encoded[cut - 2] === "=") cut -= 2;
      out.push(`${encoded.slice(0, cut)}=`);
      encoded = encoded.slice(cut);
    }
    out.push(encoded);
  }
  return out.join("\r\n");
}

/** RFC 5322 date-time in UTC. */
export function rfc5322Date(ms: number): string {
  const d = new Date(ms);
  const day = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][d.getUTCDay()];
  const mon = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][d.getUTCMonth()];
  const p = (n: number) => String(n).padStart(2, "0");
  return `${day}, ${p(d.getUTCDate())} ${mon} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

const displayName = (p: Person) => p.name?.trim() || p.address;

/** "IM with Bob Builder: Re: Budget 2027", or "IM with Bob Builder" when it started from no email. */
export function conversationSubject(other: Person, emailSubject?: string): string {
  const s = emailSubject?.trim();
  return s ? `IM with ${displayName(other)}: ${s}` : `IM with ${displayName(other)}`;
}

interface Line {
  at: string;
  who: string;
  text: string;
  links: { name: string; url: string }[];
}

function linesOf(m: ConversationMail): Line[] {
  const time = m.time ?? formatDate;
  return m.conversation.ims.map((x) => ({
    at: time(x.at),
    who: displayName(x.direction === "in" ? m.other : m.me),
    text: x.text,
    links: x.attachments.filter((a) => a.url).map((a) => ({ name: a.name, url: a.url! })),
  }));
}

function plainBody(m: ConversationMail, lines: Line[]): string {
  const c = m.conversation;
  const head =
    `IMs between ${displayName(m.other)} <${m.other.address}> and ${displayName(m.me)} <${m.me.address}>` +
    `${c.origin ? `, after the email "${c.origin.subject}"` : ""}:`;
  const body = lines.map((l) => {
    const text = l.text
      .split("\n")
      .map((t, i) => (i ? `    ${t}` : t))
      .join("\n");
    const links = l.links.map((a) => `\n    Attachment: ${a.name} <${a.url}>`).join("");
    return `[${l.at}] ${l.who}: ${text}${links}`;
  });
  return [head, "", ...body, "", `(${c.ims.length} IM${c.ims.length === 1 ? "" : "s"}, saved by Reply via IM)`].join("\n");
}

function htmlBody(m: ConversationMail, lines: Line[]): string {
  const items = lines.map((l) => {
    const links = l.links.map((a) => `<br>&#128206; <a href="${escapeHtml(a.url)}">${escapeHtml(a.name)}</a>`).join("");
    return `<li><span style="color:#666">${escapeHtml(l.at)}</span> <b>${escapeHtml(l.who)}</b>: ${escapeHtml(l.text).replace(/\n/g, "<br>")}${links}</li>`;
  });
  const about = m.conversation.origin ? ` after the email &ldquo;${escapeHtml(m.conversation.origin.subject)}&rdquo;` : "";
  return (
    `<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head><body>\n` +
    `<p>IMs between ${escapeHtml(displayName(m.other))} and ${escapeHtml(displayName(m.me))}${about}:</p>\n` +
    `<ol style="list-style:none;padding-left:0">\n${items.join("\n")}\n</ol>\n</body></html>`
  );
}

function textPart(type: "plain" | "html", body: string): string {
  return `Content-Type: text/${type}; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${quotedPrintable(body)}`;
}

function multipart(type: string, boundary: string, parts: string[]): string {
  return `Content-Type: multipart/${type}; boundary="${boundary}"\r\n\r\n` + `${parts.map((p) => `--${boundary}\r\n${p}\r\n`).join("")}--${boundary}--`;
}

function filePart(f: { name: string; contentType: string; data: Uint8Array }): string {
  const name = encodeWords(f.name).replace(/"/g, "");
  const b64 = base64(f.data)
    .replace(/.{1,76}/g, "$&\r\n")
    .trimEnd();
  return (
    `Content-Type: ${f.contentType || "application/octet-stream"}; name="${name}"\r\n` +
    `Content-Disposition: attachment; filename="${name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64}`
  );
}

/** The conversation as an .eml (CRLF line ends), the same bytes for the same conversation. */
export function conversationEml(m: ConversationMail): string {
  const c = m.conversation;
  if (!c.ims.length) throw new Error("A conversation without IMs has nothing to save.");
  const lines = linesOf(m);
  const origin = c.origin;
  const refs = origin ? [...origin.references.filter((r) => r !== origin.messageId).slice(-10), origin.messageId] : [];
  const headers = [
    `From: ${mailbox(m.other)}`,
    `To: ${mailbox(m.me)}`,
    `Subject: ${encodeWords(conversationSubject(m.other, origin?.subject))}`,
    `Date: ${rfc5322Date(c.startedAt)}`,
    `Message-ID: <${conversationMessageId(c.id)}>`,
    ...(origin ? [`In-Reply-To: <${origin.messageId}>`, `References: ${refs.map((r) => `<${r}>`).join(" ")}`] : []),
    "MIME-Version: 1.0",
    `X-Reply-via-IM-Conversation: ${c.id}`,
    `X-Reply-via-IM-Revision: ${conversationRevision(c)}`,
  ];
  const boundary = `rvi-${c.id}`;
  const text = multipart("alternative", `${boundary}-alt`, [textPart("plain", plainBody(m, lines)), textPart("html", htmlBody(m, lines))]);
  const body = m.files?.length ? multipart("mixed", `${boundary}-mix`, [text, ...m.files.map(filePart)]) : text;
  return `${headers.join("\r\n")}\r\n${body}\r\n`;
}
