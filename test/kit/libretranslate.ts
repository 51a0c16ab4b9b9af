// A stand-in that speaks the LibreTranslate HTTP API (POST /translate {q, source, target, format,
// api_key?} → {translatedText, detectedLanguage: {language, confidence}}, errors as {error}),
// with CORS as LibreTranslate sends it, and a small phrase book. Not LibreTranslate itself, which
// cannot run here; it lets the tests check what we send and how we take its answers.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export const PHRASES: Record<string, Record<string, string>> = {
  "Hello Bob": { fr: "Bonjour Bob", de: "Hallo Bob", ja: "こんにちは、ボブ", en: "Hello, Bob" },
  "Bonjour Alice": { en: "Hello Alice" },
  "Hi all, I am here": { fr: "Bonjour à tous, je suis là" },
};
const SOURCE: Record<string, string> = { "Hello Bob": "en", "Bonjour Alice": "fr", "Hi all, I am here": "en" };

export async function startLibreTranslate(): Promise<{ url: string; received: Record<string, unknown>[]; close(): Promise<void> }> {
  const received: Record<string, unknown>[] = [];
  const server: Server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      const cors = { "access-control-allow-origin": "*", "access-control-allow-headers": "content-type", "access-control-allow-methods": "POST" };
      if (req.method === "OPTIONS") return res.writeHead(204, cors).end();
      const reply = (status: number, body: unknown) => res.writeHead(status, { ...cors, "content-type": "application/json" }).end(JSON.stringify(body));
      if (req.method !== "POST" || req.url !== "/translate") return reply(404, { error: "Not Found" });
      const body = JSON.parse(raw) as { q: string; target: string; api_key?: string };
      received.push(body);
      if (body.q === "slow") return; // never answers
      if (body.api_key === "wrong") return reply(403, { error: "Invalid API key" });
      const out = PHRASES[body.q]?.[body.target];
      if (!out) return reply(400, { error: `${body.target} is not supported for this text` });
      reply(200, { translatedText: out, detectedLanguage: { language: SOURCE[body.q], confidence: 90 } });
    });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    received,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
