// The add-in's strings for pages that have no messenger.i18n (the Outlook panes, the join page):
// the same tables Thunderbird reads (src/ui/_locales/<locale>/messages.json), with the same "$1"
// substitutions. English is built in (the first paint needs no more); another language is a chunk
// loaded by useLocale() before the page shows text. A key missing in a language falls back to
// English, as Thunderbird does with its default_locale.
import en from "./_locales/en/messages.json";

type Table = Record<string, { message: string } | undefined>;
/** Like messenger.i18n.getMessage, as the shared views receive it. */
export type T = (key: string, ...subs: string[]) => string;

/** The ten languages, by Thunderbird's folder names; English first (the fallback). */
export const LOCALES = ["en", "de", "fr", "es", "it", "pt_BR", "nl", "pl", "ja", "zh_CN"] as const;
export type Locale = (typeof LOCALES)[number];

// one import() per language, so each is a chunk of its own, fetched only by those who speak it
const LOADERS: Record<Exclude<Locale, "en">, () => Promise<{ default: unknown }>> = {
  de: () => import("./_locales/de/messages.json"),
  fr: () => import("./_locales/fr/messages.json"),
  es: () => import("./_locales/es/messages.json"),
  it: () => import("./_locales/it/messages.json"),
  pt_BR: () => import("./_locales/pt_BR/messages.json"),
  nl: () => import("./_locales/nl/messages.json"),
  pl: () => import("./_locales/pl/messages.json"),
  ja: () => import("./_locales/ja/messages.json"),
  zh_CN: () => import("./_locales/zh_CN/messages.json"),
};

const english = en as Table;
let table: Table = english;
let current: Locale = "en";

/**
 * The language to show for what the host says the person reads, best first ("de-DE",
 * navigator.languages): the exact locale, else the same language, else the next preference,
 * else English. Portuguese from Portugal gets Brazil's (the same language with some other
 * words, better read than English); Chinese in Traditional script (zh-TW, zh-HK, zh-MO,
 * zh-Hant) does not get Simplified Chinese — it goes on to the next preference, as
 * Thunderbird goes to English.
 */
export function localeFor(wanted: string | readonly string[] | null | undefined): Locale {
  const tags = (typeof wanted === "string" ? [wanted] : (wanted ?? [])).map((w) => w.trim().replace(/_/g, "-").toLowerCase()).filter(Boolean);
  for (const tag of tags) {
    const exact = LOCALES.find((l) => l.replace("_", "-").toLowerCase() === tag);
    if (exact) return exact;
    const [language, ...rest] = tag.split("-");
    if (language === "zh") {
      if (rest.some((part) => ["tw", "hk", "mo", "hant"].includes(part))) continue;
      return "zh_CN";
    }
    const same = LOCALES.find((l) => l.split("_")[0] === language);
    if (same) return same;
  }
  return "en";
}

/** The BCP 47 tag of a locale, for Intl and the page's lang attribute ("pt_BR" → "pt-BR"). */
export const languageTag = (locale: string): string => locale.replace(/_/g, "-");

/** The locale in use, as Thunderbird's "@@ui_locale" names it. */
export const currentLocale = (): Locale => current;

/**
 * Loads the strings of the language the host asks for (see localeFor). Resolves with the
 * locale in use; a language whose chunk cannot be loaded leaves the page in English.
 */
export async function useLocale(wanted: string | readonly string[] | null | undefined): Promise<Locale> {
  const locale = localeFor(wanted);
  if (locale === "en") {
    [table, current] = [english, "en"];
    return current;
  }
  try {
    const loaded = (await LOADERS[locale]()).default as Table;
    [table, current] = [loaded, locale];
  } catch (err) {
    // the page still works in English: say why in the console for whoever supports it
    console.warn(`Reply via IM: the ${locale} strings did not load (${(err as Error).message}); showing English`);
  }
  return current;
}

/** Like messenger.i18n.getMessage: the message with $1… filled in, "" for an unknown key. */
export function getMessage(key: string, ...subs: string[]): string {
  if (key === "@@ui_locale") return current;
  const m = table[key]?.message ?? english[key]?.message;
  return m === undefined ? "" : m.replace(/\$(\d)/g, (_, n: string) => subs[Number(n) - 1] ?? "");
}

/**
 * A counted message in the reader's language: the key's plural form for n (`<key>_one`,
 * `<key>_few`, `<key>_many`, `<key>_other`, by Intl.PluralRules), with $1 the number as that
 * language writes it and $2… the other substitutions. Works with any host's getMessage: the
 * language is the table's own ("@@ui_locale").
 */
export function plural(t: T, key: string, n: number, ...subs: string[]): string {
  const { rules, numbers } = counting(languageTag(t("@@ui_locale") || "en"));
  const category = rules?.select(n) ?? "other";
  const count = numbers?.format(n) ?? String(n);
  return t(`${key}_${category}`, count, ...subs) || t(`${key}_other`, count, ...subs);
}

/**
 * Intl's plural rules and number format for a language, made once: the first making loads the
 * locale's data, which cost the join page a 55–165 ms stall at the first occupant's presence when
 * it was done on every count (bench join). A page may warm it before it counts.
 */
const counters = new Map<string, { rules?: Intl.PluralRules; numbers?: Intl.NumberFormat }>();
export function counting(tag: string): { rules?: Intl.PluralRules; numbers?: Intl.NumberFormat } {
  let c = counters.get(tag);
  if (!c) {
    try {
      c = { rules: new Intl.PluralRules(tag), numbers: new Intl.NumberFormat(tag) };
    } catch {
      c = {}; // a locale Intl does not know: the "other" form and plain digits still read correctly
    }
    counters.set(tag, c);
  }
  return c;
}
