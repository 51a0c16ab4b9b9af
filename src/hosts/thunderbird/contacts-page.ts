// F17 in Thunderbird: the contacts window (the "IM contacts" toolbar button) — the shared view
// (src/ui/contacts) on the background page's engine.
import { mountContacts, type ContactsBackend } from "../../ui/contacts/view";
import { listener } from "../../ui/protocol";
import { call } from "./call";

const t = (key: string, ...subs: string[]) => messenger.i18n.getMessage(key, subs) || key;
document.title = t("contactsWindowTitle");
const backend: ContactsBackend = {
  list: () => call("contacts:list"),
  add: (address) => call("contacts:add", { jid: address }),
  remove: (jid) => call("contacts:remove", { jid }),
  accept: (jid) => call("contacts:accept", { jid }),
  refuse: (jid) => call("contacts:refuse", { jid }),
  chat: (jid) => void call("chat:window", { jid }),
  subscribe: (fn) => messenger.runtime.onMessage.addListener(listener({ contacts: fn, presence: fn })),
  t,
};
void mountContacts(document.getElementById("app")!, backend).catch((err: Error) => {
  document.getElementById("app")!.textContent = err.message;
});
