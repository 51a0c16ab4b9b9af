// Options (shared by the hosts): the XMPP account (src/ui/options/account.ts; a changed one is signed
// in with on Save, the doctor's checks listed, a failure said beside its field), the
// history settings, the address table (where each mapping came from; forget one), and usage
// figures with a CSV export (F22). Fields IT preset are shown locked. Text is set as text only.

import { DEFAULT_SETTINGS, LANGUAGES, parseVoiceVolumes, type Settings } from "../../core";
import { el } from "../dom";
import { accountFieldOf, accountFields, type AccountValues } from "./account";
import { conversationFields, type ConversationSettings } from "./conversation";
import { problemText } from "../problem-text";

export type OptionsSettings = Pick<Settings, "service" | "jid" | "password" | "historyLimit" | "retentionDays" | "joinPage"> &
  Partial<Pick<Settings, "notify" | "badge" | "sound" | "speech" | "volume" | "muteAll" | "muted" | "voiceVolumes" | "language" | "translateUrl">> &
  Partial<ConversationSettings>;

export interface OptionsData {
  settings: OptionsSettings;
  locked: string[];
  mappings: { email: string; jid: string; source: string }[];
  usage: Record<string, number>;
}

export interface OptionsBackend {
  load(): Promise<OptionsData>;
  save(values: Partial<OptionsSettings>): Promise<void>;
  test(account: {
    service: string;
    jid: string;
    password: string;
  }): Promise<{ usable: boolean; checks: { what: string; ok: boolean; note: string }[]; advice?: string }>;
  forgetMapping(email: string): Promise<void>;
  exportUsage(): Promise<string>;
  /** Called unbound (`const t = backend.t`): a function property, not a method. */
  t: (key: string, ...subs: string[]) => string;
}

/** The settings besides the account that the form shows as text fields (numbers and the join page). */
type FieldName = "historyLimit" | "retentionDays" | "joinPage";

/** What differs by host: alerts it cannot give (Outlook: no badge on its button), and a line saying what its alerts are. */
export interface OptionsHost {
  without?: readonly ("notify" | "badge" | "sound" | "speech" | "muteAll")[];
  alertsNote?: string;
}

export async function mountOptions(root: HTMLElement, backend: OptionsBackend, host: OptionsHost = {}): Promise<void> {
  const t = backend.t;
  const data = await backend.load();
  const status = el("p", { id: "status", role: "status", "aria-live": "polite" });
  const say = (s: string) => (status.textContent = s);

  // account and history settings
  const form = el("form", { id: "settings" });
  const fields: [FieldName, string, string][] = [
    ["historyLimit", "number", ""],
    ["retentionDays", "number", ""],
    ["joinPage", "url", "https://…/web/join.html"],
  ];
  const account = el("fieldset", { id: "account" });
  account.append(el("legend", {}, t("accountLegend")));
  const given = { service: data.settings.service, jid: data.settings.jid, password: data.settings.password };
  const accountInputs = accountFields({ t, prefix: "", values: given, locked: data.locked });
  const checks = el("ul", { id: "checks" });
  account.append(...accountInputs.nodes, checks);
  const history = el("fieldset");
  history.append(el("legend", {}, t("historyLegend")));
  for (const [name, type, hint] of fields) {
    const input = el("input", { id: name, name, type, placeholder: hint });
    if (type === "number") input.min = "0";
    input.value = String(data.settings[name]);
    if (data.locked.includes(name)) {
      input.readOnly = true;
      input.title = t("lockedByAdmin");
    }
    history.append(el("label", { for: name }, t(`${name}Label`)), input);
  }
  const value = (n: string) => (form.elements.namedItem(n) as HTMLInputElement).value;
  /**
   * A changed account is signed in with before anything is saved (the doctor's checks, listed);
   * false when it failed, said beside the field concerned. An unchanged one is not tried again.
   */
  let advice = "";
  const signIn = async (a: AccountValues): Promise<boolean> => {
    accountInputs.clearErrors();
    advice = "";
    if (a.service === given.service && a.jid === given.jid && a.password === given.password) return true;
    if (!a.password) {
      accountInputs.showError("password", t("passwordForNewAccount"));
      return false;
    }
    checks.replaceChildren();
    say(t("signingIn"));
    try {
      const r = await backend.test(a);
      for (const c of r.checks) checks.append(el("li", { class: c.ok ? "ok" : "missing" }, `${c.ok ? "✓" : "✗"} ${c.what}: ${c.note}`));
      advice = r.usable ? "" : (r.advice ?? t("testNotUsable"));
      return true;
    } catch (err) {
      const field = accountFieldOf(err);
      if (field) accountInputs.showError(field, problemText(err, t));
      say(field ? t("signInFailed") : problemText(err, t));
      return false;
    }
  };
  // F15 alerts and F16 translation
  const d = { ...DEFAULT_SETTINGS, ...data.settings };
  const alerts = el("fieldset", { id: "alerts" });
  alerts.append(el("legend", {}, t("alertsLegend")));
  if (host.alertsNote) alerts.append(el("p", { id: "alerts-note", class: "muted" }, host.alertsNote));
  const boxes = (["notify", "badge", "sound", "speech", "muteAll"] as const).filter((name) => !host.without?.includes(name));
  for (const name of boxes) {
    const box = el("input", { type: "checkbox", id: name, name });
    box.checked = d[name];
    box.disabled = data.locked.includes(name);
    const label = el("label", { for: name, class: "check" });
    label.append(box, ` ${t(`${name}Label`)}`);
    alerts.append(label);
  }
  const volume = el("input", { type: "range", id: "volume", name: "volume", min: "0", max: "100", step: "5" });
  volume.value = String(d.volume);
  alerts.append(el("label", { for: "volume" }, t("volumeLabel")), volume);
  const muted = el("textarea", { id: "muted", name: "muted", rows: "2", placeholder: "bob@example.org" });
  muted.value = d.muted.join("\n");
  const voices = el("textarea", { id: "voiceVolumes", name: "voiceVolumes", rows: "2", placeholder: "bob@example.org 50" });
  voices.value = Object.entries(d.voiceVolumes)
    .map(([who, v]) => `${who} ${v}`)
    .join("\n");
  alerts.append(el("label", { for: "muted" }, t("mutedLabel")), muted, el("label", { for: "voiceVolumes" }, t("voiceVolumesLabel")), voices);
  const translation = el("fieldset", { id: "translation" });
  translation.append(el("legend", {}, t("translationLegend")));
  const language = el("select", { id: "language", name: "language" });
  language.append(el("option", { value: "" }, t("languageAsWritten")));
  for (const [code, name] of LANGUAGES) language.append(el("option", { value: code, lang: code }, name));
  language.value = d.language;
  const translateUrl = el("input", { id: "translateUrl", name: "translateUrl", type: "url", placeholder: "https://translate.example.org/" });
  translateUrl.value = d.translateUrl;
  translation.append(
    el("label", { for: "language" }, t("languageLabel")),
    language,
    el("label", { for: "translateUrl" }, t("translateUrlLabel")),
    translateUrl,
  );
  const conversation = conversationFields(t, d, data.locked); // F24/F25
  const saveButton = el("button", { type: "submit", id: "save" }, t("signInAndSave"));
  form.append(account, history, alerts, translation, conversation.node, saveButton);
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const values: Partial<OptionsSettings> = {};
    const typed = accountInputs.value();
    // an empty password field keeps what logs in now (the password, or the keys that replaced it)
    for (const name of ["service", "jid", "password"] as const)
      if (!data.locked.includes(name) && (name !== "password" || typed.password)) values[name] = typed[name];
    for (const [name, type] of fields) {
      if (data.locked.includes(name)) continue;
      (values as Record<string, unknown>)[name] = type === "number" ? Number(value(name)) : value(name).trim();
    }
    const parsed = parseVoiceVolumes(voices.value);
    if (parsed.bad.length) {
      voices.focus();
      return say(t("voiceVolumesBad", parsed.bad.join("; ")));
    }
    const more: Partial<OptionsSettings> = {
      volume: Number(volume.value),
      muted: muted.value
        .split(/[\s,;]+/)
        .map((x) => x.trim().toLowerCase())
        .filter(Boolean),
      voiceVolumes: parsed.volumes,
      language: language.value,
      translateUrl: translateUrl.value.trim(),
    };
    for (const name of boxes) more[name] = (form.elements.namedItem(name) as HTMLInputElement).checked;
    for (const [k, v] of Object.entries(more)) if (!data.locked.includes(k)) (values as Record<string, unknown>)[k] = v;
    const chosen = conversation.values();
    if ("bad" in chosen) {
      chosen.bad.focus();
      return say(chosen.message);
    }
    Object.assign(values, chosen.values);
    saveButton.disabled = true;
    try {
      if (!(await signIn(typed))) return;
      await backend.save(values);
      Object.assign(given, typed); // what is saved is what the next Save compares with
      say(advice ? `${t("saved")} ${advice}` : t("saved"));
    } catch (err) {
      say(problemText(err, t));
    } finally {
      saveButton.disabled = false;
    }
  };
  form.addEventListener("submit", (e) => void submit(e));

  // the address table
  const mapSection = el("section", { "aria-labelledby": "mappings-title" });
  mapSection.append(el("h2", { id: "mappings-title" }, t("mappingsTitle")));
  if (!data.mappings.length) mapSection.append(el("p", { class: "muted" }, t("mappingsEmpty")));
  else {
    const table = el("table", { id: "mappings" });
    const head = el("tr");
    for (const h of ["mappingEmail", "mappingJid", "mappingSource", ""]) head.append(el("th", { scope: "col" }, h ? t(h) : ""));
    table.append(head);
    for (const m of data.mappings) {
      const row = el("tr", { "data-email": m.email });
      const forget = el("button", { type: "button", "aria-label": t("forgetMappingOf", m.email) }, t("forgetMapping"));
      const forgetIt = async () => {
        try {
          await backend.forgetMapping(m.email);
          row.remove();
          say(t("mappingForgotten", m.email));
        } catch (err) {
          say(problemText(err, t));
        }
      };
      forget.addEventListener("click", () => void forgetIt());
      const action = el("td");
      action.append(forget);
      row.append(el("td", {}, m.email), el("td", {}, m.jid), el("td", {}, t(`source_${m.source}`) || m.source), action);
      table.append(row);
    }
    mapSection.append(table);
  }

  // usage figures (F22)
  const usage = el("section", { "aria-labelledby": "usage-title" });
  usage.append(el("h2", { id: "usage-title" }, t("usageTitle")));
  const figures = el("table", { id: "usage" });
  for (const [k, n] of Object.entries(data.usage)) {
    const row = el("tr");
    row.append(el("th", { scope: "row" }, t(`usage_${k}`) || k), el("td", {}, String(n)));
    figures.append(row);
  }
  const exportButton = el("button", { type: "button", id: "export" }, t("exportUsage"));
  const exportIt = async () => {
    try {
      const csv = await backend.exportUsage();
      const a = el("a", { href: URL.createObjectURL(new Blob([csv], { type: "text/csv" })), download: "reply-via-im-usage.csv" });
      document.body.append(a);
      a.click();
      a.remove();
      say(t("usageExported"));
    } catch (err) {
      say(problemText(err, t));
    }
  };
  exportButton.addEventListener("click", () => void exportIt());
  usage.append(figures, exportButton);

  root.replaceChildren(form, status, mapSection, usage);
}
