// The add-in's strings for pages that have no messenger.i18n (Outlook): the same table
// Thunderbird reads (src/ui/_locales/en/messages.json), with the same "$1" substitutions.
import messages from "./_locales/en/messages.json";

const table = messages as Record<string, { message: string }>;

/** Like messenger.i18n.getMessage: the message with $1… filled in, "" for an unknown key. */
export function getMessage(key: string, ...subs: string[]): string {
  const m = table[key]?.message;
  return m === undefined ? "" : m.replace(/\$(\d)/g, (_, n: string) => subs[Number(n) - 1] ?? "");
}
