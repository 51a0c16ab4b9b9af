// Thunderbird keeps the settings (src/core/settings) in storage.local; IT presets them through
// policies.json (storage.managed), which wins and locks what it sets.
import { mergeSettings, type Settings } from "../../core/settings";

export { DEFAULT_SETTINGS, mergeSettings, type Settings } from "../../core/settings";

export async function loadSettings(): Promise<{ settings: Settings; locked: (keyof Settings)[] }> {
  const local = (await messenger.storage.local.get("settings")).settings;
  let managed: unknown = {};
  try {
    managed = await messenger.storage.managed.get();
  } catch {
    // no policy set: nothing is locked
  }
  return mergeSettings(local, managed);
}

export async function saveSettings(values: Partial<Settings>): Promise<void> {
  const { settings, locked } = await loadSettings();
  const next: Partial<Settings> = { ...settings, ...values };
  for (const k of locked) delete next[k];
  await messenger.storage.local.set({ settings: next });
}
