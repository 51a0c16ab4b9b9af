// The Reply via IM task pane in Outlook: the same IM window as Thunderbird's (src/ui/chat), with
// the engine running in the pane. Office.js comes from Microsoft's CDN (taskpane.html).
// Pinned (Mailbox 1.5), the pane follows the selected message and keeps receiving IMs.
import type { Engine } from "../../engine/engine";
import { decideFromChat, lineOf, openChatContext, sendFromChat, type ChatTarget } from "../../engine/chat";
import { checkService } from "../../xmpp/connection";
import { mountChat } from "../../ui/chat/view";
import { NEEDS_ACCOUNT, type ChatBackend, type ConversationLine } from "../../ui/chat/protocol";
import { getMessage as t } from "../../ui/i18n";
import { loadConfig, saveConfig } from "./config";
import { paneEngine, restartEngine } from "./engine";
import { findInvitation, forReader, invitationLink, LANGUAGES, libreTranslate } from "../../core";
import { mountContacts } from "../../ui/contacts/view";
import { renderTranscript, renderTranscriptProblem, transcriptBox } from "../../ui/transcript";
import { canPin, me, openInBrowser, displayNew, displayReply, evidenceFrom, inOutlook, missingRequirement, notice, onItemChanged, readItem, type ReadEmail } from "./office";

type Update = Parameters<Parameters<ChatBackend["subscribe"]>[0]>[0];

let mail: ReadEmail | null = null;
/** F17: a chat opened from the contacts list, instead of the selected email's sender. */
let chatWith = "";
let target: ChatTarget = {};
let jid = "";
let listener: (e: Update) => void = () => {};

/** Engine events reach the window showing that person; IMs from others become a notice (F14: known people only). */
function wire(e: Engine) {
  e.events.on("state", (item) => item.to === jid && listener({ type: "line", line: lineOf(item) }));
  e.events.on("presence", (who, available) => who === jid && listener({ type: "presence", available }));
  e.events.on("message", (m) => {
    if (m.from === jid) return listener({ type: "line", line: { id: m.id, direction: "in", text: m.text, at: m.at } });
    if (m.known) void notice("im", `${t("imFrom", m.from)}: ${m.text}`);
  });
}

const engine = () => paneEngine("outlook", { mailsFrom: (email) => evidenceFrom(mail)(email) }, wire);

const backend: ChatBackend = {
  open: async () => {
    const e = await engine();
    if (chatWith) {
      target = { jid: chatWith };
      const ctx = await openChatContext(e, target);
      jid = ctx.to.jid;
      return ctx;
    }
    mail = await readItem();
    if (!mail) throw new Error(t("chooseEmail"));
    target = { mail };
    const ctx = await openChatContext(e, target);
    jid = ctx.to.jid;
    return ctx;
  },
  send: async (text, options) => {
    const { line, outcome } = await sendFromChat(await engine(), target, text, options);
    if (outcome.state === "delivered") void notice("delivered", t("deliveredTo", outcome.to));
    return line;
  },
  decide: async (id, choice): Promise<ConversationLine> => {
    const { line, outcome } = await decideFromChat(await engine(), id, choice);
    if (choice === "convert" && outcome.draft) {
      displayReply(outcome.draft.htmlLimited);
      void notice("converted", t("convertedNotice"));
    }
    return line;
  },
  correct: async (to) => {
    const m = await (await engine()).mapper.correct(mail?.from ?? "", to);
    jid = m.jid;
    target = { mail: mail ?? undefined };
    return { email: m.email, jid: m.jid, source: "user", needsConfirmation: false };
  },
  replyByEmail: async () => {
    const draft = await (await engine()).replyByEmail(jid);
    displayNew(draft);
  },
  accountDefaults: async () => {
    const { settings, locked } = await loadConfig();
    return { service: settings.service, jid: settings.jid || me(), locked };
  },
  configure: async (account) => {
    checkService(account.service);
    await saveConfig(account);
    await restartEngine();
    await engine(); // a wrong password or a dead server is reported to the form now
    void showTranscript();
  },
  subscribe: (fn) => (listener = fn),
  translate: async (text) => {
    const { settings } = await loadConfig();
    if (!settings.language || !settings.translateUrl) return undefined;
    return forReader(libreTranslate({ url: settings.translateUrl }), text, { language: settings.language });
  },
  t,
};

/** F16: with a translation server (IT's preset), the reader picks the language IMs are shown in. */
async function languagePicker(onChange: () => void) {
  const { settings } = await loadConfig();
  if (!settings.translateUrl) return;
  const select = document.createElement("select");
  select.id = "pane-language";
  select.setAttribute("aria-label", t("languageLabel"));
  select.append(new Option(t("languageAsWritten"), ""), ...LANGUAGES.map(([code, name]) => new Option(name, code)));
  select.value = settings.language;
  select.addEventListener("change", async () => {
    await saveConfig({ language: select.value });
    onChange();
  });
  const label = document.createElement("label");
  label.className = "pane-language";
  label.append(t("languageLabel"), " ", select);
  document.getElementById("pane-notice")!.after(label);
}

/** F13: an email that carries a chat invitation shows that session's transcript above the chat. */
async function showTranscript() {
  const m = await readItem().catch(() => null);
  const inv = m && findInvitation([m.text ?? ""]);
  if (!inv) return document.getElementById("rvi-transcript")?.remove();
  const box = () => transcriptBox(document, (b) => document.getElementById("transcript")!.append(b), t);
  try {
    const tr = await (await engine()).transcript(inv);
    const link = inv.link ?? invitationLink((await loadConfig()).settings.joinPage, inv);
    renderTranscript(box(), { ...tr, link }, t, { rejoin: () => openInBrowser(link), refresh: () => void showTranscript() });
  } catch (err) {
    const message = (err as Error).message;
    // no account yet: the pane's form asks for it, and the transcript follows once it is given
    if (message.startsWith(NEEDS_ACCOUNT)) return document.getElementById("rvi-transcript")?.remove();
    renderTranscriptProblem(box(), message, t, () => void showTranscript());
  }
}

function say(root: HTMLElement, message: string) {
  const p = document.createElement("p");
  p.setAttribute("role", "alert");
  p.className = "error";
  p.textContent = message;
  root.replaceChildren(p);
}

void Office.onReady().then((info) => {
  const root = document.getElementById("app")!;
  if (!inOutlook(info)) return say(root, t("notInOutlook"));
  const missing = missingRequirement("read");
  if (missing) return say(root, missing);
  // say plainly when IMs arrive: the connection lives with the pane
  document.getElementById("pane-notice")!.textContent = canPin() ? t("paneNotice") : t("paneNoticeNoPin");
  const show = () => void mountChat(root, backend).then(() => showTranscript());
  void languagePicker(show);
  onItemChanged(() => {
    chatWith = "";
    show();
  });
  // F17: contacts and requests, below the chat; Chat opens that person's conversation here
  const panel = document.getElementById("contacts-panel") as HTMLDetailsElement;
  panel.querySelector("summary")!.textContent = t("contactsOpen");
  panel.addEventListener("toggle", () => {
    if (!panel.open || panel.dataset.mounted) return;
    panel.dataset.mounted = "1";
    void mountContacts(document.getElementById("contacts-root")!, {
      list: async () => (await engine()).contacts(),
      add: async (a) => void (await (await engine()).addContact(a)),
      remove: async (j) => (await engine()).removeContact(j),
      accept: async (j) => (await engine()).acceptRequest(j),
      refuse: async (j) => (await engine()).refuseRequest(j),
      chat: (j) => {
        chatWith = j;
        document.getElementById("rvi-transcript")?.remove();
        void mountChat(root, backend).then(() => document.getElementById("message")?.focus());
      },
      subscribe: (fn) => void engine().then((e) => {
        e.events.on("contacts", fn);
        e.events.on("presence", fn);
      }),
      t,
    });
  });
  show();
});
