// The pane's Settings: Thunderbird's Options view (src/ui/options/view.ts) on what the pane keeps —
// its config (roamingSettings, and this computer's storage for what logs in: config.ts) and its
// store (the address table, the usage figures: engine.ts). A Settings button opens it in place of
// the chat; Back or Escape returns, to a chat shown anew with what was saved. It says what a pane
// can do for alerts (a notice on the email, sound and speech while it is open or pinned) and what
// Outlook does not allow (a count on the add-in's button). The view and the engine load on first
// use, so the pane's first paint carries only this file.
import { getMessage as t } from "../../ui/i18n";
import { loadConfig, saveConfig } from "./settings-store";
import { me } from "./office";
import { problemText } from "../../ui/problem-text";

/** Hidden or shown whatever the page's style sets for it (a `display` rule would win over `hidden` alone). */
function shown(e: HTMLElement, on: boolean) {
  e.hidden = !on;
  e.style.display = on ? "" : "none";
}

/** Shows the Settings button; `back` is called when the person returns to the chat. */
export function settingsButton(back: () => void): void {
  const open = document.getElementById("settings-open") as HTMLButtonElement;
  const view = document.getElementById("settings-view")!;
  const backButton = document.getElementById("settings-back") as HTMLButtonElement;
  open.textContent = t("settingsOpen");
  backButton.textContent = t("settingsBack");
  document.getElementById("settings-title")!.textContent = t("settingsTitle");
  open.hidden = false;
  /** What was hidden before Settings opened stays hidden after. */
  let chat: HTMLElement[] = [];

  const close = () => {
    if (view.hidden) return;
    shown(view, false);
    for (const e of chat) shown(e, true);
    document.getElementById("settings-root")!.replaceChildren();
    open.focus(); // where the person was, unless the chat shown anew puts it in the message
    back();
  };
  const show = async () => {
    chat = [...document.body.children].filter((e): e is HTMLElement => e instanceof HTMLElement && e !== view && !e.hidden);
    for (const e of chat) shown(e, false);
    shown(view, true);
    const root = document.getElementById("settings-root")!;
    root.replaceChildren(t("settingsLoading"));
    backButton.focus();
    try {
      await mountSettings(root);
    } catch (err) {
      root.textContent = problemText(err, t); // the view could not load (no network for its chunk): said in place, Back still works
    }
  };
  open.addEventListener("click", () => void show());
  backButton.addEventListener("click", close);
  view.addEventListener("keydown", (e) => {
    if (e.key !== "Escape" || e.defaultPrevented) return;
    e.preventDefault();
    close();
  });
}

async function mountSettings(root: HTMLElement): Promise<void> {
  const [{ mountOptions }, engine] = await Promise.all([import("../../ui/options/view"), import("./pane-engine")]);
  const side = engine.settingsSide;
  await mountOptions(
    root,
    {
      load: async () => {
        const { settings, locked } = await loadConfig();
        // the mailbox's own address until another is set, as the chat's account form offers it
        return { settings: { ...settings, jid: settings.jid || me() }, locked, ...(await side.data()) };
      },
      save: async (values) => {
        if (values.service) side.checkService(values.service); // empty: found from the address's domain (F23)
        const before = (await loadConfig()).settings;
        await saveConfig(values);
        const changed = (["service", "jid", "password"] as const).some((k) => values[k] !== undefined && values[k] !== before[k]);
        if (changed) await engine.restartEngine(); // the next action connects with the new account
      },
      test: (account) => side.testAccount(account, "outlook-test"),
      forgetMapping: (email) => side.forgetMapping(email),
      exportUsage: () => side.exportUsage(),
      t,
    },
    { without: ["badge"], alertsNote: t("outlookAlertsNote") },
  );
}
