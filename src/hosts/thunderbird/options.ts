// Options in Thunderbird: the shared view (src/ui/options) on storage (settings, with IT's locks)
// and the background page (address table, usage, the account test).
import { mountOptions, type OptionsBackend } from "../../ui/options/view";
import { checkService } from "../../xmpp/connection";
import { loadSettings, saveSettings } from "./settings";

async function call<T>(msg: Record<string, unknown>): Promise<T> {
  const r = (await messenger.runtime.sendMessage(msg)) as { ok: boolean; value?: T; error?: string } | undefined;
  if (!r) throw new Error(messenger.i18n.getMessage("noBackground"));
  if (!r.ok) throw new Error(r.error);
  return r.value as T;
}

const backend: OptionsBackend = {
  load: async () => {
    const { settings, locked } = await loadSettings();
    const data = await call<{ mappings: { email: string; jid: string; source: string }[]; usage: Record<string, number> }>({ command: "options:data" });
    return { settings, locked, ...data };
  },
  save: async (values) => {
    if (values.service !== undefined) checkService(values.service);
    await saveSettings(values);
  },
  test: (account) => {
    checkService(account.service);
    return call({ command: "account:test", ...account });
  },
  forgetMapping: (email) => call({ command: "mapping:forget", email }),
  exportUsage: () => call({ command: "usage:export" }),
  t: (key, ...subs) => messenger.i18n.getMessage(key, subs) || "",
};

void mountOptions(document.getElementById("app")!, backend).catch((err: Error) => {
  document.getElementById("app")!.textContent = err.message;
});
