// F16 translation. The server here is a stand-in that speaks the LibreTranslate HTTP API (POST
// /translate with q/source/target/format → translatedText + detectedLanguage), with a tiny
// phrase book — not LibreTranslate itself, which cannot run here. It checks what we send and
// answers as the API documents, including its error shape.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { forReader, LANGUAGES, libreTranslate, noTranslation } from "../../src/core";

const PHRASES: Record<string, Record<string, string>> = {
  "Hello Bob": { fr: "Bonjour Bob", de: "Hallo Bob", ja: "こんにちは、ボブ", en: "Hello, Bob" },
  "Bonjour Alice": { en: "Hello Alice" },
};
const SOURCE: Record<string, string> = { "Hello Bob": "en", "Bonjour Alice": "fr" };

let server: Server;
let url: string;
const received: unknown[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (req.method !== "POST" || req.url !== "/translate") return reply(404, { error: "Not Found" });
      const body = JSON.parse(raw) as { q: string; source: string; target: string; format: string; api_key?: string };
      received.push(body);
      if (body.q === "slow") return; // never answers
      if (body.api_key === "wrong") return reply(403, { error: "Invalid API key" });
      const out = PHRASES[body.q]?.[body.target];
      if (!out) return reply(400, { error: `${body.target} is not supported for this text` });
      reply(200, { translatedText: out, detectedLanguage: { language: SOURCE[body.q], confidence: 90 } });
    });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise((ok) => server.close(ok)));

describe("F16 translation", () => {
  it("offers at least the ten languages the spec names", () => {
    expect(LANGUAGES.map(([code]) => code)).toEqual(expect.arrayContaining(["en", "fr", "de", "es", "sw", "ar", "ja", "zh", "ko", "hi"]));
  });

  it("translates through the LibreTranslate API for each reader's language, keeping the original", async () => {
    const t = libreTranslate({ url, apiKey: "k1" });
    expect(await t.translate("Hello Bob", "fr")).toEqual({ text: "Bonjour Bob", original: "Hello Bob", from: "en", to: "fr" });
    expect(await forReader(t, "Hello Bob", { language: "ja" })).toMatchObject({ text: "こんにちは、ボブ", original: "Hello Bob" });
    expect(received.at(-1)).toEqual({ q: "Hello Bob", source: "auto", target: "ja", format: "text", api_key: "k1" });
  });

  it("no translator, no language, or the reader's own message: unchanged, and nothing is sent", async () => {
    const before = received.length;
    expect(await noTranslation.translate("Hola", "en")).toEqual({ text: "Hola", original: "Hola", to: "en" });
    expect((await forReader(libreTranslate({ url }), "Hello Bob", {})).text).toBe("Hello Bob");
    expect((await forReader(libreTranslate({ url }), "Hello Bob", { language: "fr" }, true)).text).toBe("Hello Bob");
    expect(received.length).toBe(before);
  });

  it("a failing translator shows the original with the reason: refused key, unsupported language, no answer, no server", async () => {
    expect(await libreTranslate({ url, apiKey: "wrong" }).translate("Hello Bob", "fr")).toEqual({ text: "Hello Bob", original: "Hello Bob", to: "fr", problem: "Not translated (Invalid API key): the original is shown." });
    expect((await libreTranslate({ url }).translate("Hello Bob", "sw")).problem).toBe("Not translated (sw is not supported for this text): the original is shown.");
    expect((await libreTranslate({ url, timeoutMs: 200 }).translate("slow", "fr")).problem).toBe("Not translated (the translation server did not answer in time): the original is shown.");
    expect((await libreTranslate({ url: "http://127.0.0.1:9/" }).translate("Hello Bob", "fr")).problem).toBe("Not translated (the translation server cannot be reached): the original is shown.");
  });

  it("a text already in the reader's language stays as written (not reworded by the translator)", async () => {
    const t = libreTranslate({ url });
    expect(await forReader(t, "Hello Bob", { language: "en" })).toMatchObject({ text: "Hello Bob", from: "en" });
    expect(await forReader(t, "Bonjour Alice", { language: "en" })).toMatchObject({ text: "Hello Alice", from: "fr" });
  });

  it("refuses a translation server without TLS off this computer", () => {
    expect(() => libreTranslate({ url: "http://translate.example.org/" })).toThrow("must be https://");
  });
});
