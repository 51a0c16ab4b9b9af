// Thunderbird keeps the settings (src/core/settings) in storage.local; IT presets them through
// policies.json (storage.managed), which wins and locks what it sets. What logs in is kept apart
// under "credentials" (F21): the SCRAM keys after a login, and the password only until then (or
// for a server that needs it itself) — so forgetting it is not a change of settings.
import { mergeSettings, type Settings } from "../../core/settings";
import { readCredentials, type CredentialStore, type StoredCredentials } from "../../engine/credentials";

export { DEFAULT_SETTINGS, mergeSettings, type Settings } from "../../core/settings";

type Kept = StoredCredentials & { password?: string };

async function kept(): Promise<Kept> {
  const c = (await messenger.storage.local.get("credentials")).credentials;
  return c && typeof c === "object" ? c : {};
}

export async function loadSettings(): Promise<{ settings: Settings; locked: (keyof Settings)[] }> {
  const local = (await messenger.storage.local.get("settings")).settings as Partial<Settings> | undefined;
  let managed: unknown = {};
  try {
    managed = await messenger.storage.managed.get();
  } catch {
    // no policy set: nothing is locked
  }
  // the password: where it is kept now, else where versions before kept it (in the settings)
  const password = (await kept()).password ?? local?.password;
  return mergeSettings({ ...local, password }, managed);
}

export async function saveSettings(values: Partial<Settings>): Promise<void> {
  const { settings, locked } = await loadSettings();
  const next: Partial<Settings> = { ...settings, ...values };
  for (const k of locked) delete next[k];
  const password = next.password;
  delete next.password;
  // a typed password goes beside the settings; so does one an older version kept in them
  const k = await kept();
  if (values.password !== undefined || (k.password === undefined && password)) await messenger.storage.local.set({ credentials: { ...k, password } });
  await messenger.storage.local.set({ settings: next });
}

/** F21: the SCRAM keys kept instead of the password (src/engine/credentials.ts decides). */
export const credentials: CredentialStore = {
  load: async () => readCredentials(await kept()),
  async save(c) {
    await messenger.storage.local.set({ credentials: { ...(await kept()), keys: c.keys, keepPassword: c.keepPassword } });
  },
  async forgetPassword() {
    const { password: _gone, ...rest } = await kept();
    await messenger.storage.local.set({ credentials: rest });
    // versions before this one kept it in the settings: gone from there too (once)
    const local = (await messenger.storage.local.get("settings")).settings as Partial<Settings> | undefined;
    if (local?.password) await messenger.storage.local.set({ settings: { ...local, password: "" } });
  },
};
