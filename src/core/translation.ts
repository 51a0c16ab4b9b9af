// F16: a processing step between receipt and display — each participant may read messages in
// their preferred language. A translator is pluggable; none configured leaves messages unchanged,
// and the original always stays with the translation (one click away in the UI).

import { isLoopbackHost } from "./address";

/** At least the languages SPEC F16 names, as ISO 639-1 codes (what LibreTranslate speaks). */
export const LANGUAGES = [
  ["en", "English"],
  ["fr", "Français"],
  ["de", "Deutsch"],
  ["es", "Español"],
  ["sw", "Kiswahili"],
  ["ar", "العربية"],
  ["ja", "日本語"],
  ["zh", "中文"],
  ["ko", "한국어"],
  ["hi", "हिन्दी"],
] as const;
export type LanguageCode = (typeof LANGUAGES)[number][0];

export interface Translation {
  text: string;
  original: string;
  /** The source language, when the translator said which. */
  from?: string;
  to: string;
  /** Why the original is shown instead (the translator failed or is not set up). */
  problem?: string;
}

export interface Translator {
  translate(text: string, to: string): Promise<Translation>;
}

/** No translator configured: messages pass unchanged. */
export const noTranslation: Translator = {
  translate: async (text, to) => ({ text, original: text, to }),
};

export interface LibreTranslateOptions {
  /** The server's base URL, e.g. https://translate.example.org/ (https, or http on loopback). */
  url: string;
  apiKey?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/**
 * The LibreTranslate HTTP API: POST /translate {q, source: "auto", target, format: "text"} →
 * {translatedText, detectedLanguage: {language, confidence}}. Any failure gives the original
 * with a reason — a message is never lost to a translation.
 */
export function libreTranslate(o: LibreTranslateOptions): Translator {
  const base = new URL(o.url);
  if (base.protocol !== "https:" && !(base.protocol === "http:" && isLoopbackHost(base.hostname)))
    throw new Error(`The translation server must be https:// (http:// only on this computer), not ${base.protocol}`);
  const endpoint = new URL("translate", base.toString().replace(/\/?$/, "/"));
  const doFetch = o.fetch ?? fetch;
  return {
    async translate(text, to) {
      const original = text;
      if (!text.trim()) return { text, original, to };
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), o.timeoutMs ?? 8000);
      try {
        const r = await doFetch(endpoint, {
          method: "POST",
          headers: { "content-type": "application/json" },
          signal: controller.signal,
          body: JSON.stringify({ q: text, source: "auto", target: to, format: "text", ...(o.apiKey ? { api_key: o.apiKey } : {}) }),
        });
        const body = (await r.json().catch(() => ({}))) as { translatedText?: unknown; detectedLanguage?: { language?: unknown }; error?: unknown };
        if (!r.ok || typeof body.translatedText !== "string") {
          const why = typeof body.error === "string" ? body.error : `HTTP ${r.status}`;
          return { text, original, to, problem: `Not translated (${why}): the original is shown.` };
        }
        const from = typeof body.detectedLanguage?.language === "string" ? body.detectedLanguage.language : undefined;
        return { text: body.translatedText, original, from, to };
      } catch (err) {
        const why = (err as Error).name === "AbortError" ? "the translation server did not answer in time" : "the translation server cannot be reached";
        return { text, original, to, problem: `Not translated (${why}): the original is shown.` };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Translates for one reader; a message already in their language (or from them) stays as it is. */
export async function forReader(t: Translator, text: string, reader: { language?: string }, fromSelf = false): Promise<Translation> {
  if (!reader.language || fromSelf) return { text, original: text, to: reader.language ?? "" };
  const out = await t.translate(text, reader.language);
  return out.from === reader.language ? { ...out, text } : out;
}

/**
 * A translator that asks at most `concurrency` questions at once and remembers the last `cache`
 * answers (a busy session must not send one request per message at once, nor the same text
 * twice). Failed answers are not remembered: the next message asks again.
 */
export function boundedTranslator(inner: Translator, o: { concurrency?: number; cache?: number } = {}): Translator & { waiting(): number } {
  const limit = o.concurrency ?? 2;
  const room = o.cache ?? 500;
  const answers = new Map<string, Promise<Translation>>();
  const queue: (() => void)[] = [];
  let running = 0;
  const next = () => {
    if (running >= limit) return;
    const start = queue.shift();
    if (start) start();
  };
  const ask = (text: string, to: string) =>
    new Promise<Translation>((resolve) => {
      queue.push(() => {
        running++;
        void inner
          .translate(text, to)
          .then(resolve, (err: Error) => resolve({ text, original: text, to, problem: `Not translated (${err.message}): the original is shown.` }))
          .finally(() => {
            running--;
            next();
          });
      });
      next();
    });
  return {
    waiting: () => queue.length,
    translate(text, to) {
      const key = `${to}\u0000${text}`;
      const known = answers.get(key);
      if (known) {
        answers.delete(key); // the newest answer is the last one evicted (a Map keeps insertion order)
        answers.set(key, known);
        return known;
      }
      const answer = ask(text, to);
      answers.set(key, answer);
      void answer.then((a) => {
        if (a.problem) answers.delete(key);
      });
      for (const oldest of answers.keys()) {
        if (answers.size <= room) break;
        answers.delete(oldest);
      }
      return answer;
    },
  };
}
