// Settings in Outlook: the shared settings (src/core/settings) kept in roamingSettings (they
// follow the user to every Outlook of this mailbox; 32 KB in all, so IM data lives in IndexedDB),
// over what IT preset in preset.json beside the pages (it wins and is locked). The password is
// the exception: roamingSettings are stored in the mailbox in clear, so it stays in this
// browser's storage for the add-in's origin and is asked once per computer — and only until the
// first SCRAM login, whose keys are kept there instead (F21, src/engine/credentials.ts).
import { DEFAULT_SETTINGS, mergeSettings, type Settings } from "../../core/settings";
import { readCredentials, type CredentialStore } from "../../engine/credentials";
import { officeAsync } from "./office";

const KEY = "settings";
const PASSWORD = "reply-via-im:password";
const SCRAM = "reply-via-im:scram";

async function preset(): Promise<unknown> {
  try {
    const r = await fetch(new URL("preset.json", location.href), { cache: "no-cache" });
    return r.ok ? await r.json() : {};
  } catch {
    return {}; // no preset: nothing is locked
  }
}

export async function loadConfig(): Promise<{ settings: Settings; locked: (keyof Settings)[] }> {
  const roaming = Office.context.roamingSettings.get(KEY) as unknown;
  const local = { ...(roaming && typeof roaming === "object" ? roaming : {}), password: localStorage.getItem(PASSWORD) ?? "" };
  const defaults = { ...DEFAULT_SETTINGS, joinPage: new URL("web/join.html", location.href).toString() };
  const merged = mergeSettings(local, await preset());
  // the join page defaults to the one hosted with these pages
  if (merged.settings.joinPage === DEFAULT_SETTINGS.joinPage) merged.settings.joinPage = defaults.joinPage;
  return merged;
}

export async function saveConfig(values: Partial<Settings>): Promise<void> {
  const { settings, locked } = await loadConfig();
  const next: Partial<Settings> = { ...settings, ...values };
  for (const k of locked) delete next[k];
  if (next.password !== undefined) localStorage.setItem(PASSWORD, next.password);
  delete next.password;
  Office.context.roamingSettings.set(KEY, next);
  await officeAsync<void>((cb) => Office.context.roamingSettings.saveAsync(cb));
}

/** F21: the SCRAM keys kept in this browser's storage instead of the password. */
export const credentials: CredentialStore = {
  async load() {
    try {
      return readCredentials(JSON.parse(localStorage.getItem(SCRAM) ?? "null"));
    } catch {
      return undefined; // unreadable keys: the password is asked for, and new keys are kept
    }
  },
  async save(c) {
    localStorage.setItem(SCRAM, JSON.stringify({ keys: c.keys, keepPassword: c.keepPassword }));
  },
  async forgetPassword() {
    localStorage.removeItem(PASSWORD);
  },
};
