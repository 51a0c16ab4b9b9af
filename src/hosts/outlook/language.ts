// The Outlook panes speak Outlook's display language (Office.context.displayLanguage, "de-DE");
// outside Outlook, or where Office.js did not load, the browser's. Each pane awaits this before it
// sets any text, so the first words shown are already in that language.
import { languageTag, useLocale } from "../../ui/i18n";

export async function useOfficeLanguage(): Promise<void> {
  const office = typeof Office !== "undefined" && typeof Office.onReady === "function";
  const wanted = office
    ? await Office.onReady().then(
        () => Office.context?.displayLanguage || navigator.languages,
        // Office that fails to start is said by the pane itself; the language is the browser's meanwhile
        () => navigator.languages,
      )
    : navigator.languages;
  document.documentElement.lang = languageTag(await useLocale(wanted));
}
