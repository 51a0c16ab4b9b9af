// A small reader for .eml files (RFC 5322 with MIME): enough to take an earlier email into the
// history — headers, the text/plain part (or text/html reduced to text), attachment names and
// sizes. Malformed input gives a clear error, never a crash.
import { UserFacingError } from "./errors";
import type { EmailInput } from "./history";

function unfold(head: string): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  for (const line of head.replace(/\r\n/g, "\n").replace(/\n[ \t]+/g, " ").split("\n")) {
    const i = line.indexOf(":");
    if (i <= 0) continue;
    const name = line.slice(0, i).trim().toLowerCase();
    headers.set(name, [...(headers.get(name) ?? []), decodeWords(line.slice(i + 1).trim())]);
  }
  return headers;
}

function bytesToText(bytes: Uint8Array, charset: string): string {
  try {
    return new TextDecoder(charset || "utf-8").decode(bytes);
  } catch {
    return new TextDecoder("utf-8").decode(bytes);
  }
}
function base64Bytes(s: string): Uint8Array {
  const clean = s.replace(/[^A-Za-z0-9+/=]/g, "");
  const bin = atob(clean.slice(0, clean.length - (clean.length % 4)));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}
function qpBytes(s: string): Uint8Array {
  const out: number[] = [];
  const text = s.replace(/=\r?\n/g, "");
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "=" && /^[0-9A-F]{2}$/i.test(text.slice(i + 1, i + 3))) {
      out.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      const code = text.charCodeAt(i);
      if (code < 128) out.push(code);
      else out.push(...new TextEncoder().encode(text[i]));
    }
  }
  return Uint8Array.from(out);
}

/** RFC 2047 encoded words in headers. */
function decodeWords(v: string): string {
  return v.replace(/=\?([^?]+)\?([bq])\?([^?]*)\?=/gi, (_m, cs: string, enc: string, data: string) => {
    try {
      const bytes = enc.toLowerCase() === "b" ? base64Bytes(data) : qpBytes(data.replace(/_/g, " "));
      return bytesToText(bytes, cs);
    } catch {
      return data;
    }
  });
}

function param(value: string, name: string): string | undefined {
  const m = new RegExp(`${name}\\*?=\\s*(?:"([^"]*)"|([^;\\s]+))`, "i").exec(value);
  return m ? (m[1] ?? m[2]) : undefined;
}

interface Part { headers: Map<string, string[]>; body: string }

function split(raw: string): Part {
  const text = raw.replace(/\r\n/g, "\n");
  const i = text.indexOf("\n\n");
  return i < 0 ? { headers: unfold(text), body: "" } : { headers: unfold(text.slice(0, i)), body: text.slice(i + 2) };
}

function decodeBody(p: Part): string {
  const enc = (p.headers.get("content-transfer-encoding")?.[0] ?? "").toLowerCase();
  const charset = param(p.headers.get("content-type")?.[0] ?? "", "charset") ?? "utf-8";
  if (enc === "base64") return bytesToText(base64Bytes(p.body), charset);
  if (enc === "quoted-printable") return bytesToText(qpBytes(p.body), charset);
  return p.body;
}

function walk(p: Part, acc: { text?: string; html?: string; attachments: { name: string; size: number; contentType: string }[] }, depth = 0) {
  const type = (p.headers.get("content-type")?.[0] ?? "text/plain").toLowerCase();
  const disposition = p.headers.get("content-disposition")?.[0] ?? "";
  const name = param(disposition, "filename") ?? param(p.headers.get("content-type")?.[0] ?? "", "name");
  if (type.startsWith("multipart/") && depth < 10) {
    const boundary = param(p.headers.get("content-type")![0]!, "boundary");
    if (!boundary) return;
    const chunks = p.body.split(new RegExp(`^--${boundary.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?:--)?[ \\t]*$`, "m")).slice(1, -1);
    // the line break before a boundary belongs to the boundary (RFC 2046)
    for (const c of chunks) walk(split(c.replace(/^\n/, "").replace(/\n$/, "")), acc, depth + 1);
  } else if (name || /attachment/i.test(disposition)) {
    const enc = (p.headers.get("content-transfer-encoding")?.[0] ?? "").toLowerCase();
    const size = enc === "base64" ? base64Bytes(p.body).length : p.body.length;
    acc.attachments.push({ name: name ?? "attachment", size, contentType: type.split(";")[0]!.trim() });
  } else if (type.startsWith("text/plain") && acc.text === undefined) {
    acc.text = decodeBody(p);
  } else if (type.startsWith("text/html") && acc.html === undefined) {
    acc.html = decodeBody(p);
  }
}

export function parseEml(raw: string): EmailInput {
  const part = split(raw);
  const from = part.headers.get("from")?.[0];
  if (!from) {
    throw new UserFacingError("invalid-email", "This file is not an email (it has no From header).", "Save the email as .eml from your mail client and try again.");
  }
  const acc: { text?: string; html?: string; attachments: { name: string; size: number; contentType: string }[] } = { attachments: [] };
  walk(part, acc);
  const date = Date.parse(part.headers.get("date")?.[0] ?? "");
  const list = (h: string) => (part.headers.get(h) ?? []).flatMap((v) => v.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)).map((s) => s.trim()).filter(Boolean);
  return {
    messageId: part.headers.get("message-id")?.[0],
    from,
    to: [...list("to"), ...list("cc")],
    subject: part.headers.get("subject")?.[0] ?? "",
    date: Number.isFinite(date) ? date : 0,
    text: acc.text,
    html: acc.html,
    attachments: acc.attachments,
    inReplyTo: part.headers.get("in-reply-to")?.[0],
  };
}
