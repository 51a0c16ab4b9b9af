// A small reader for .eml files (RFC 5322 with MIME): enough to take an earlier email into the
// history — headers, the text/plain part (or text/html reduced to text), attachment names and
// sizes. Malformed input gives a clear error, never a crash, and no input takes more than linear
// time: an .eml is anyone's text (issue 21, item 1) — each regex left here says why it is linear.
import { UserFacingError } from "./errors";
import type { EmailInput } from "./history";

function unfold(head: string): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  for (const line of head
    .replace(/\r\n/g, "\n")
    .replace(/\n[ \t]+/g, " ")
    .split("\n")) {
    const i = line.indexOf(":");
    if (i <= 0) continue;
    const name = line.slice(0, i).trim().toLowerCase();
    const values = headers.get(name) ?? [];
    values.push(decodeWords(line.slice(i + 1).trim())); // not a copy per header: 100,000 "To:" lines
    headers.set(name, values);
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
const encoder = new TextEncoder();
const hexValue = (c: number) => (c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 0x37 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1);
function qpBytes(s: string): Uint8Array {
  const text = s.replace(/=\r?\n/g, "");
  const out = new Uint8Array(text.length * 3); // UTF-8 takes at most 3 bytes per UTF-16 unit
  let n = 0;
  let copied = 0;
  const copy = (to: number) => (n += encoder.encodeInto(text.slice(copied, to), out.subarray(n)).written);
  for (let i = text.indexOf("="); i >= 0; i = text.indexOf("=", i)) {
    const hi = hexValue(text.charCodeAt(i + 1));
    const lo = hexValue(text.charCodeAt(i + 2));
    if (hi < 0 || lo < 0) {
      i++;
      continue;
    }
    copy(i);
    out[n++] = hi * 16 + lo;
    copied = i += 3;
  }
  copy(text.length);
  return out.slice(0, n);
}

/**
 * RFC 2047 encoded words in headers. Linear: each class stops at the "?" that must follow it, so a
 * run between two "?" is read by at most two tries (the one it is the charset of, the one it is the
 * data of), and one header line is decoded at a time.
 */
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

// Linear: `name` is one of ours; after `=\s*`, either a quoted string or a token up to ";" or a
// space — the token takes any first character the quote did not, so a try fails only on ";" or the end.
function param(value: string, name: string): string | undefined {
  const m = new RegExp(`${name}\\*?=\\s*(?:"([^"]*)"|([^;\\s]+))`, "i").exec(value);
  return m ? (m[1] ?? m[2]) : undefined;
}

interface Part {
  headers: Map<string, string[]>;
  body: string;
}

function split(raw: string): Part {
  const text = raw.replace(/\r\n/g, "\n");
  // a part may have no headers (RFC 2046): then its blank line comes first, and it is text/plain
  if (text.startsWith("\n")) return { headers: new Map(), body: text.slice(1) };
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
    // linear: `^--boundary` is a literal at a line start, and the line's `[ \t]*$` backs up over itself only
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

/**
 * An address header cut at its commas outside quotes: at each comma followed by an even number of
 * '"' — what /,(?=(?:[^"]*"[^"]*")*[^"]*$)/ said by reading to the end at every comma (n² on
 * 40 KB of "a,"); here the quotes are counted once and the count goes down as they are passed.
 */
function addresses(v: string): string[] {
  let quotesAfter = 0;
  for (let i = v.indexOf('"'); i >= 0; i = v.indexOf('"', i + 1)) quotesAfter++;
  const out: string[] = [];
  let from = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 0x22) quotesAfter--;
    else if (c === 0x2c && quotesAfter % 2 === 0) {
      out.push(v.slice(from, i));
      from = i + 1;
    }
  }
  out.push(v.slice(from));
  return out;
}

export function parseEml(raw: string): EmailInput {
  const part = split(raw);
  const from = part.headers.get("from")?.[0];
  if (!from) {
    throw new UserFacingError(
      "invalid-email",
      "This file is not an email (it has no From header).",
      "Save the email as .eml from your mail client and try again.",
    );
  }
  const acc: { text?: string; html?: string; attachments: { name: string; size: number; contentType: string }[] } = { attachments: [] };
  walk(part, acc);
  const date = Date.parse(part.headers.get("date")?.[0] ?? "");
  const list = (h: string) =>
    (part.headers.get(h) ?? [])
      .flatMap(addresses)
      .map((s) => s.trim())
      .filter(Boolean);
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
