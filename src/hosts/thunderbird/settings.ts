// The add-in's settings: what the user typed in Options (storage.local), overridden and locked
// by what IT preset through managed storage (policies.json → storage.managed).
import * as z from "zod";

export const Settings = z.object({
  service: z.string().default(""),
  jid: z.string().default(""),
  password: z.string().default(""),
  historyLimit: z.number().int().min(0).max(200).default(20),
  retentionDays: z.number().int().min(0).default(0),
  sound: z.boolean().default(false),
});
export type Settings = z.infer<typeof Settings>;

export async function loadSettings(): Promise<{ settings: Settings; locked: (keyof Settings)[] }> {
  const local = ((await messenger.storage.local.get("settings")).settings ?? {}) as Record<string, unknown>;
  let managed: Record<string, unknown> = {};
  try {
    managed = await messenger.storage.managed.get();
  } catch {
    // no policy set: nothing is locked
  }
  const preset = Settings.partial().safeParse(managed);
  const presetValues = preset.success ? Object.fromEntries(Object.entries(preset.data).filter(([, v]) => v !== undefined)) : {};
  const settings = Settings.parse({ ...Settings.partial().catch({}).parse(local), ...presetValues });
  return { settings, locked: Object.keys(presetValues) as (keyof Settings)[] };
}

export async function saveSettings(values: Partial<Settings>): Promise<void> {
  const { settings, locked } = await loadSettings();
  const next = { ...settings, ...values };
  for (const k of locked) delete (next as Record<string, unknown>)[k];
  await messenger.storage.local.set({ settings: next });
}
