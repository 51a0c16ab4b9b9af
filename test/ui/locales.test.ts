// F26, ten languages: every locale says everything English says, with the same placeholders; the
// Outlook manifest names its buttons in the nine other languages; the pages without
// messenger.i18n (Outlook, the join page) pick the person's language and fall back to English.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { getMessage, LOCALES, localeFor, plural, useLocale } from "../../src/ui/i18n";

const ROOT = join(__dirname, "../..");
const DIR = join(ROOT, "src/ui/_locales");
type Messages = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
const read = (locale: string) => JSON.parse(readFileSync(join(DIR, locale, "messages.json"), "utf8")) as Messages;
const en = read("en");
const others = LOCALES.filter((l) => l !== "en");
/** The placeholders a message uses: "$1"… and named ones ("$who$"). */
const used = (m: string) => [...new Set(m.match(/\$\d|\$[A-Za-z_]+\$/g) ?? [])].sort();
const pluralCategories = (locale: string) => new Intl.PluralRules(locale.replace("_", "-")).resolvedOptions().pluralCategories as string[];
/** The counted messages: English has <base>_one and <base>_other. */
const countedBases = Object.keys(en)
  .filter((k) => k.endsWith("_other") && `${k.slice(0, -6)}_one` in en)
  .map((k) => k.slice(0, -6));

describe("F26 ten languages: the string tables", () => {
  it("has Thunderbird's ten locale folders, each valid JSON", () => {
    expect(readdirSync(DIR).sort()).toEqual([...LOCALES].sort());
    for (const locale of LOCALES) expect(() => read(locale)).not.toThrow();
  });

  it.each(others)("%s has every English key, none empty, with the same placeholders", (locale) => {
    const table = read(locale);
    const missing = Object.keys(en).filter((k) => !(k in table));
    expect(missing).toEqual([]);
    for (const [key, { message, placeholders }] of Object.entries(en)) {
      const theirs = table[key]!;
      expect({ key, empty: !theirs.message.trim() }).toEqual({ key, empty: false });
      expect({ key, uses: used(theirs.message) }).toEqual({ key, uses: used(message) });
      expect({ key, placeholders: theirs.placeholders ?? null }).toEqual({ key, placeholders: placeholders ?? null });
    }
  });

  it.each(others)("%s adds keys only as the plural forms its language needs, and has them all", (locale) => {
    const table = read(locale);
    const categories = pluralCategories(locale);
    const extra = Object.keys(table).filter((k) => !(k in en));
    for (const key of extra) {
      const [, base, category] = /^(.*)_(zero|two|few|many)$/.exec(key) ?? [];
      expect({ key, plural: Boolean(base && countedBases.includes(base) && categories.includes(category!)) }).toEqual({ key, plural: true });
      expect(used(table[key]!.message)).toEqual(used(en[`${base}_other`]!.message));
    }
    for (const base of countedBases) for (const c of categories) expect(table).toHaveProperty([`${base}_${c}`]);
  });

  it("Thunderbird's manifest has English as its default locale and every __MSG_ key in each table", () => {
    const manifest = readFileSync(join(ROOT, "manifest.json"), "utf8");
    expect(JSON.parse(manifest)).toHaveProperty("default_locale", "en");
    const keys = [...manifest.matchAll(/__MSG_(\w+)__/g)].map((m) => m[1]!);
    expect(keys.length).toBeGreaterThan(0);
    for (const locale of LOCALES) for (const key of keys) expect({ locale, key, there: key in read(locale) }).toEqual({ locale, key, there: true });
  });
});

describe("F26 ten languages: the Outlook manifest", () => {
  const xml = readFileSync(join(ROOT, "manifest.xml"), "utf8");
  const OFFICE = ["de-DE", "fr-FR", "es-ES", "it-IT", "pt-BR", "nl-NL", "pl-PL", "ja-JP", "zh-CN"];
  /** Each localisable string: <DisplayName>, <Description>, <bt:String> with its overrides. */
  const strings = [...xml.matchAll(/<(DisplayName|Description|bt:String)\b([^>]*?)(\/>|>([\s\S]*?)<\/\1>)/g)]
    .filter((m) => /DefaultValue=/.test(m[2]!))
    .map((m) => ({
      what: `${m[1]} ${/id="([^"]+)"/.exec(m[2]!)?.[1] ?? ""}`.trim(),
      overrides: [...(m[4] ?? "").matchAll(/<(?:bt:)?Override Locale="([^"]+)" Value="([^"]*)"/g)].map((o) => [o[1]!, o[2]!] as const),
    }));

  it("finds the add-in's name, description, button labels and tips", () => {
    expect(strings.map((s) => s.what)).toEqual(
      expect.arrayContaining(["DisplayName", "Description", "bt:String Reply.Label", "bt:String Invite.Label", "bt:String Reply.Tip", "bt:String Invite.Tip"]),
    );
  });

  it("gives every string a non-empty override in each of the nine other languages", () => {
    for (const s of strings) {
      expect({ what: s.what, locales: s.overrides.map(([l]) => l).sort() }).toEqual({ what: s.what, locales: [...OFFICE].sort() });
      for (const [locale, value] of s.overrides) expect({ what: s.what, locale, empty: !value.trim() }).toEqual({ what: s.what, locale, empty: false });
    }
  });
});

describe("F26 ten languages: choosing the language where there is no messenger.i18n", () => {
  it("takes the exact locale, else the same language, else the next preference, else English", () => {
    expect(localeFor("de-DE")).toBe("de");
    expect(localeFor("de-AT")).toBe("de");
    expect(localeFor("pt-BR")).toBe("pt_BR");
    expect(localeFor("pt-PT")).toBe("pt_BR");
    expect(localeFor("zh-CN")).toBe("zh_CN");
    expect(localeFor("zh-Hans-SG")).toBe("zh_CN");
    expect(localeFor("ja")).toBe("ja");
    expect(localeFor(["sv-SE", "nl-BE", "en-US"])).toBe("nl");
    expect(localeFor(["zh-TW", "fr-CA"])).toBe("fr"); // Traditional Chinese readers are not given Simplified
    expect(localeFor("zh-TW")).toBe("en");
    expect(localeFor("sv-SE")).toBe("en");
    expect(localeFor(undefined)).toBe("en");
  });

  it("shows German for an Outlook in de-DE, and English for a language it does not have", async () => {
    expect(await useLocale("de-DE")).toBe("de");
    expect(getMessage("send")).toBe(read("de").send!.message);
    expect(getMessage("imTo", "bob@example.org")).toBe(read("de").imTo!.message.replace("$1", "bob@example.org"));
    expect(await useLocale("fi-FI")).toBe("en");
    expect(getMessage("send")).toBe("Send");
  });

  it("counts in each language's plural forms, with its digits", async () => {
    await useLocale("pl-PL");
    expect([1, 3, 5, 22].map((n) => plural(getMessage, "join_hereCount", n))).toEqual(
      ["one", "few", "many", "few"].map((c, i) => read("pl")[`join_hereCount_${c}`]!.message.replace("$1", String([1, 3, 5, 22][i]))),
    );
    await useLocale("en-US");
    expect(plural(getMessage, "join_hereCount", 1200)).toBe("1,200 here");
  });
});
