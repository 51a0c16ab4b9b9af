// Options (shared by the hosts): the XMPP account with a Test button (the doctor's checks), the
// history settings, the address table (where each mapping came from; forget one), and usage
// figures with a CSV export (F22). Fields IT preset are shown locked. Text is set as text only.

export interface OptionsSettings {
  service: string;
  jid: string;
  password: string;
  historyLimit: number;
  retentionDays: number;
  joinPage: string;
}

export interface OptionsData {
  settings: OptionsSettings;
  locked: string[];
  mappings: { email: string; jid: string; source: string }[];
  usage: Record<string, number>;
}

export interface OptionsBackend {
  load(): Promise<OptionsData>;
  save(values: Partial<OptionsSettings>): Promise<void>;
  test(account: { service: string; jid: string; password: string }): Promise<{ usable: boolean; checks: { what: string; ok: boolean; note: string }[]; advice?: string }>;
  forgetMapping(email: string): Promise<void>;
  exportUsage(): Promise<string>;
  t(key: string, ...subs: string[]): string;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

export async function mountOptions(root: HTMLElement, backend: OptionsBackend): Promise<void> {
  const t = backend.t;
  const data = await backend.load();
  const status = el("p", { id: "status", role: "status", "aria-live": "polite" });
  const say = (s: string) => (status.textContent = s);

  // account and history settings
  const form = el("form", { id: "settings" });
  const fields: [keyof OptionsSettings, string, string][] = [
    ["service", "url", "wss://chat.example.org/xmpp-websocket"], ["jid", "text", "you@example.org"], ["password", "password", ""],
    ["historyLimit", "number", ""], ["retentionDays", "number", ""], ["joinPage", "url", "https://…/web/join.html"],
  ];
  const account = el("fieldset");
  account.append(el("legend", {}, t("accountLegend")));
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
    (["service", "jid", "password"].includes(name) ? account : history).append(el("label", { for: name }, t(`${name}Label`)), input);
  }
  const value = (n: string) => (form.elements.namedItem(n) as HTMLInputElement).value;
  const test = el("button", { type: "button", id: "test" }, t("testAccount"));
  const checks = el("ul", { id: "checks" });
  account.append(test, checks);
  test.addEventListener("click", async () => {
    test.disabled = true;
    checks.replaceChildren();
    say(t("testing"));
    try {
      const r = await backend.test({ service: value("service").trim(), jid: value("jid").trim(), password: value("password") });
      for (const c of r.checks) checks.append(el("li", { class: c.ok ? "ok" : "missing" }, `${c.ok ? "✓" : "✗"} ${c.what}: ${c.note}`));
      say(r.usable ? t("testUsable") : r.advice ?? t("testNotUsable"));
    } catch (err) {
      say((err as Error).message);
    } finally {
      test.disabled = false;
    }
  });
  form.append(account, history, el("button", { type: "submit", id: "save" }, t("save")));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const values: Partial<OptionsSettings> = {};
    for (const [name, type] of fields) {
      if (data.locked.includes(name)) continue;
      (values as Record<string, unknown>)[name] = type === "number" ? Number(value(name)) : value(name).trim();
    }
    try {
      await backend.save(values);
      say(t("saved"));
    } catch (err) {
      say((err as Error).message);
    }
  });

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
      forget.addEventListener("click", async () => {
        try {
          await backend.forgetMapping(m.email);
          row.remove();
          say(t("mappingForgotten", m.email));
        } catch (err) {
          say((err as Error).message);
        }
      });
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
  exportButton.addEventListener("click", async () => {
    try {
      const csv = await backend.exportUsage();
      const a = el("a", { href: URL.createObjectURL(new Blob([csv], { type: "text/csv" })), download: "reply-via-im-usage.csv" });
      document.body.append(a);
      a.click();
      a.remove();
      say(t("usageExported"));
    } catch (err) {
      say((err as Error).message);
    }
  });
  usage.append(figures, exportButton);

  root.replaceChildren(form, status, mapSection, usage);
}
