// Options: the XMPP account. Fields that IT preset through managed storage are shown locked.
import { checkService } from "../../xmpp/connection";
import { loadSettings, saveSettings } from "./settings";

const t = (k: string) => messenger.i18n.getMessage(k) || k;
for (const node of document.querySelectorAll<HTMLElement>("[data-i18n]")) node.textContent = t(node.dataset.i18n!);

const form = document.getElementById("account") as HTMLFormElement;
const status = document.getElementById("status")!;
const field = (n: string) => form.elements.namedItem(n) as HTMLInputElement;

void loadSettings().then(({ settings, locked }) => {
  field("service").value = settings.service;
  field("jid").value = settings.jid;
  field("password").value = settings.password;
  for (const k of locked) {
    const f = form.elements.namedItem(k) as HTMLInputElement | null;
    if (f) {
      f.readOnly = true;
      f.title = t("lockedByAdmin");
    }
  }
});

form.addEventListener("submit", async (e) => {
  e.preventDefault();
  try {
    checkService(field("service").value.trim());
    await saveSettings({ service: field("service").value.trim(), jid: field("jid").value.trim(), password: field("password").value });
    status.textContent = t("saved");
  } catch (err) {
    status.textContent = (err as Error).message;
  }
});
