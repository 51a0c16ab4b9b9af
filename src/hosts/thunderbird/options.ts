// Options in Thunderbird: the shared view (src/ui/options) on storage (settings, with IT's locks)
// and the background page (address table, usage, the account test).
import { mountOptions, type OptionsBackend } from "../../ui/options/view";
import { checkService } from "../../xmpp/connection";
import { call } from "./call";
import { loadSettings, saveSettings } from "./settings-store";

const backend: OptionsBackend = {
  load: async () => {
    const { settings, locked } = await loadSettings();
    const data = await call("options:data");
    return { settings, locked, ...data };
  },
  save: async (values) => {
    if (values.service) checkService(values.service); // empty: found from the address's domain (F23)
    await saveSettings(values);
  },
  test: (account) => {
    if (account.service) checkService(account.service);
    return call("account:test", account);
  },
  forgetMapping: (email) => call("mapping:forget", { email }),
  exportUsage: () => call("usage:export"),
  t: (key, ...subs) => messenger.i18n.getMessage(key, subs) || "",
};

void mountOptions(document.getElementById("app")!, backend).catch((err: Error) => {
  document.getElementById("app")!.textContent = err.message;
});
