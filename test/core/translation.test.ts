// F16 translation. The server here is a stand-in that speaks the LibreTranslate HTTP API (POST
// /translate with q/source/target/format → translatedText + detectedLanguage), with a tiny
// phrase book — not LibreTranslate itself, which cannot run here. It checks what we send and
// answers as the API documents, including its error shape (test/kit/libretranslate.ts).
import { boundedTranslator, forReader, LANGUAGES, libreTranslate, noTranslation, type Translator } from "../../src/core";
import { startLibreTranslate } from "../kit/libretranslate";

let stand: Awaited<ReturnType<typeof startLibreTranslate>>;
let url: string;
let received: Record<string, unknown>[];

beforeAll(async () => {
  stand = await startLibreTranslate();
  ({ url, received } = stand);
});
afterAll(() => stand.close());

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
    expect(await libreTranslate({ url, apiKey: "wrong" }).translate("Hello Bob", "fr")).toEqual({
      text: "Hello Bob",
      original: "Hello Bob",
      to: "fr",
      problem: "Not translated (Invalid API key): the original is shown.",
    });
    expect((await libreTranslate({ url }).translate("Hello Bob", "sw")).problem).toBe(
      "Not translated (sw is not supported for this text): the original is shown.",
    );
    expect((await libreTranslate({ url, timeoutMs: 200 }).translate("slow", "fr")).problem).toBe(
      "Not translated (the translation server did not answer in time): the original is shown.",
    );
    expect((await libreTranslate({ url: "http://127.0.0.1:9/" }).translate("Hello Bob", "fr")).problem).toBe(
      "Not translated (the translation server cannot be reached): the original is shown.",
    );
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

describe("F16 a busy session's translations are bounded (issue 21)", () => {
  it("at most two questions at once, the same text asked once, a failure asked again", async () => {
    let running = 0;
    let most = 0;
    const asked: string[] = [];
    let failNext = false;
    const slow: Translator = {
      translate: async (text, to) => {
        asked.push(text);
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 2));
        running--;
        if (failNext) {
          failNext = false;
          return { text, original: text, to, problem: "Not translated (HTTP 500): the original is shown." };
        }
        return { text: `[${to}] ${text}`, original: text, to };
      },
    };
    const t = boundedTranslator(slow, { concurrency: 2, cache: 50 });
    const texts = Array.from({ length: 200 }, (_, i) => `message ${i % 40}`); // 200 messages, 40 different texts
    const out = await Promise.all(texts.map((x) => t.translate(x, "fr")));
    expect(out[41]!.text).toBe("[fr] message 1");
    expect(most).toBe(2);
    expect(asked).toHaveLength(40);
    failNext = true;
    expect((await t.translate("new one", "fr")).problem).toBeDefined();
    expect((await t.translate("new one", "fr")).text).toBe("[fr] new one"); // not remembered as failed
    expect(t.waiting()).toBe(0);
  });
});
