// The add-in's settings, the same for both hosts: what the user chose, overridden and locked by
// what IT preset (Thunderbird: policies.json → storage.managed; Outlook: preset.json beside the
// pages). Pure: each host reads and writes them where it keeps settings.
// zod/mini (functional checks): what the pane needs at first paint, without full zod's methods.
// Only safeParse's success is read here, so this file needs no locale (schemas.ts loads English).
import * as z from "zod/mini";
import { DEFAULT_ALERTS, type AlertSettings } from "./alerts";

// No defaults in the schema itself: a preset must lock only the fields IT actually set.
export const Preset = z.partial(
  z.object({
    service: z.string(),
    /**
     * F23: where host-meta is read when the domain's own web server cannot publish it (XEP-0156):
     * an HTTPS origin ("" = https://<the address's domain>).
     */
    hostMetaOrigin: z.union([
      z.literal(""),
      z.string().check(
        z.url(),
        z.refine((u) => u.startsWith("https://"), "https only"),
      ),
    ]),
    jid: z.string(),
    password: z.string(),
    /**
     * IT's policy (issue 21): a server that logged in by SCRAM and then offers only PLAIN is refused,
     * since PLAIN hands it the password itself; true accepts it (a server known to have dropped SCRAM).
     */
    allowPlainAfterScram: z.boolean(),
    historyLimit: z.number().check(z.int(), z.minimum(0), z.maximum(200)),
    retentionDays: z.number().check(z.int(), z.minimum(0)),
    sound: z.boolean(),
    /**
     * Where invited people join: the web join page IT hosts (dist/web, with the Outlook pages or any
     * static HTTPS host). "" = not set up: invitations carry the xmpp: link and no web link.
     */
    joinPage: z.union([
      z.literal(""),
      z.string().check(
        z.url(),
        z.refine((u) => u.startsWith("https://"), "https only"),
      ),
    ]),
    // F15 alerts (see core/alerts.ts): sound above, and
    notify: z.boolean(),
    badge: z.boolean(),
    speech: z.boolean(),
    volume: z.number().check(z.int(), z.minimum(0), z.maximum(100)),
    muteAll: z.boolean(),
    muted: z.array(z.string()),
    voiceVolumes: z.record(z.string(), z.number().check(z.int(), z.minimum(0), z.maximum(100))),
    // F16: the reader's language ("" = as written) and the LibreTranslate server ("" = none)
    language: z.string(),
    translateUrl: z.union([z.literal(""), z.string().check(z.url())]),
    // F24: conversations saved as messages in a folder of the email's account (Local Folders when
    // the chat started from no email); a conversation ends after this many quiet minutes
    historyFolder: z.boolean(),
    historyFolderName: z.string().check(
      z.minLength(1),
      z.maxLength(100),
      z.refine((n) => !/[/\\]/.test(n), "no slashes"),
    ),
    quietMinutes: z.number().check(z.int(), z.minimum(1), z.maximum(1440)),
    // F25: "Send as IM instead" for a short email to people online now (opt-in), and what "short" is
    sendAsIm: z.boolean(),
    sendAsImMaxBytes: z.number().check(z.int(), z.minimum(100), z.maximum(100_000)),
  }),
);
export type Settings = Required<z.infer<typeof Preset>>;

export const DEFAULT_SETTINGS: Settings = {
  service: "",
  hostMetaOrigin: "",
  jid: "",
  password: "",
  allowPlainAfterScram: false,
  historyLimit: 20,
  retentionDays: 0,
  joinPage: "",
  sound: DEFAULT_ALERTS.sound,
  notify: DEFAULT_ALERTS.notify,
  badge: DEFAULT_ALERTS.badge,
  speech: DEFAULT_ALERTS.speech,
  volume: DEFAULT_ALERTS.volume,
  muteAll: DEFAULT_ALERTS.muteAll,
  muted: DEFAULT_ALERTS.muted,
  voiceVolumes: DEFAULT_ALERTS.voiceVolumes,
  language: "",
  translateUrl: "",
  historyFolder: true,
  historyFolderName: "Conversation History",
  quietMinutes: 10,
  sendAsIm: false,
  sendAsImMaxBytes: 2000,
};

/** What earlier versions kept as the join page when none was set: a link that works for nobody else. */
const OLD_JOIN_PAGE_DEFAULT = "https://localhost:3000/web/join.html";

/** The alert part of the settings, as core/alerts.ts plans with it. */
export function alertSettingsOf(s: Settings): AlertSettings {
  return {
    notify: s.notify,
    badge: s.badge,
    sound: s.sound,
    speech: s.speech,
    volume: s.volume,
    muteAll: s.muteAll,
    muted: s.muted,
    voiceVolumes: s.voiceVolumes,
  };
}

/** Only the fields that are present and valid; anything else in storage is ignored. */
function present(raw: unknown): Partial<Settings> {
  if (!raw || typeof raw !== "object") return {};
  const out: Record<string, unknown> = {};
  for (const [k, schema] of Object.entries(Preset.shape)) {
    const v = (raw as Record<string, unknown>)[k];
    if (k === "joinPage" && v === OLD_JOIN_PAGE_DEFAULT) continue; // never a page anyone could open: not set up
    if (v !== undefined && schema.safeParse(v).success) out[k] = v;
  }
  return out;
}

/** What the add-in runs with, and which fields IT has locked. */
export function mergeSettings(local: unknown, managed: unknown): { settings: Settings; locked: (keyof Settings)[] } {
  const preset = present(managed);
  return { settings: { ...DEFAULT_SETTINGS, ...present(local), ...preset }, locked: Object.keys(preset) as (keyof Settings)[] };
}
