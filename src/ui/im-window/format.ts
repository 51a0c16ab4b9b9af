// Dates and times in the window, in the language its strings are in (the host's "@@ui_locale"),
// else the browser's.
export interface Formats {
  /** "2 Nov 2026, 09:00" */
  time(ms: number): string;
  /** "09:00" */
  clock(ms: number): string;
  /** "today", "yesterday", else the date, through Intl. */
  dayLabel(ms: number): string;
}

export const dayOf = (ms: number) => new Date(ms).toDateString();

/** The formats for a UI locale tag as the host gives it ("de", "pt_BR"); anything else: the browser's. */
export function formatsFor(uiLocale: string): Formats {
  const locales = /^[a-z]{2,3}([_-][A-Za-z0-9]+)*$/.test(uiLocale) ? [uiLocale.replace(/_/g, "-")] : [];
  return {
    time: (ms) => new Date(ms).toLocaleString(locales, { dateStyle: "medium", timeStyle: "short" }),
    clock: (ms) => new Date(ms).toLocaleTimeString(locales, { hour: "2-digit", minute: "2-digit" }),
    dayLabel(ms) {
      const days = Math.round((new Date(dayOf(Date.now())).getTime() - new Date(dayOf(ms)).getTime()) / 86_400_000);
      if (days === 0 || days === 1) return new Intl.RelativeTimeFormat(locales, { numeric: "auto" }).format(-days, "day");
      return new Date(ms).toLocaleDateString(locales, { weekday: "long", day: "numeric", month: "long", year: days > 300 ? "numeric" : undefined });
    },
  };
}
