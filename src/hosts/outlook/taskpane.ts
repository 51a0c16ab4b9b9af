// The Reply via IM task pane in Outlook: the same IM window as Thunderbird's (src/ui/im-window), with
// the engine running in the pane. Office.js comes from Microsoft's CDN (taskpane.html).
// Pinned (Mailbox 1.5), the pane follows the selected message and keeps receiving IMs.
import type { EngineHolder } from "../../engine/holder";
import type { HostBackend } from "../../engine/host-backend";
import { lineOf, type ChatTarget } from "../../engine/im-window";
import { isProblem } from "../../core/errors";
import { mountChat } from "../../ui/im-window/view";
import type { ChatBackend } from "../../ui/im-window/host";
import { getMessage as t } from "../../ui/i18n";
import { loadConfig, saveConfig } from "./settings-store";
import { LANGUAGES } from "../../core/translation";
import { mountContacts } from "../../ui/contacts/view";
import { renderTranscript, renderTranscriptProblem, transcriptBox } from "../../ui/transcript";
import { officeLoaded, outsideOutlook } from "./outside";
import { settingsButton } from "./settings-view";
import { planAlert } from "../../core/alerts";
import { alertSettingsOf } from "../../core/settings";
import { chime, speak } from "../../ui/alerts-output";
import {
  canPin,
  me,
  openInBrowser,
  displayNew,
  displayReply,
  evidenceFrom,
  inOutlook,
  missingRequirement,
  notice,
  onItemChanged,
  readItem,
  type ReadEmail,
} from "./office";
import { useOfficeLanguage } from "./language";
import { followOfficeTheme } from "./theme";
import { publishOnline } from "./online";
import { problemText, said } from "../../ui/problem-text";

await useOfficeLanguage(); // before any text is set: the pane speaks Outlook's language

type Update = Parameters<Parameters<ChatBackend["subscribe"]>[0]>[0];

let mail: ReadEmail | null = null;
/** F17: a chat opened from the contacts list, instead of the selected email's sender. */
let chatWith = "";
let target: ChatTarget = {};
let jid = "";
let listener: (e: Update) => void = () => {};

/** Engine events reach the window showing that person; IMs from others become a notice (F14: known people only). */
function wire(holder: EngineHolder) {
  holder.on("state", (item) => item.to === jid && listener({ type: "line", line: lineOf(item) }));
  holder.on("presence", (who, available) => who === jid && listener({ type: "presence", available }));
  holder.on("typing", (who, state) => who === jid && listener({ type: "typing", state })); // XEP-0085
  holder.on("message", (m) => {
    if (m.from === jid) listener({ type: "line", line: { id: m.id, direction: "in", text: m.text, at: m.at } });
    void alert(m, m.from === jid && chatOnScreen());
  });
}

/** The chat is what the person sees: the pane shown, and not Settings in its place. */
const chatOnScreen = () => document.visibilityState === "visible" && (document.getElementById("settings-view")?.hidden ?? true);

/** F15 in a pane, as the settings say: a notice on the email shown, and sound or speech while the pane is open or pinned. */
async function alert(m: { from: string; name?: string; text: string; known: boolean }, visible: boolean) {
  const { settings } = await loadConfig();
  const plan = planAlert({ from: m.from, name: m.name, text: m.text, known: m.known, visible }, alertSettingsOf(settings));
  if (plan.notify) void notice("im", `${t("imFrom", m.name ?? m.from)}: ${m.text}`);
  if (plan.sound) chime(plan.sound.volume);
  if (plan.speak) speak(plan.speak.text, m.from, plan.speak.volume);
}

// the engine (xmpp.js, Dexie) is a chunk of its own, loaded after the pane's first paint; with it
// what both hosts do alike (src/engine/host-backend.ts), given the pane's notices and drafts
let loading: Promise<HostBackend<ChatTarget>> | undefined;
const shared = () =>
  (loading ??= import("./pane-engine").then(
    (m) => {
      m.paneEngineFor("outlook", { mailsFrom: (email) => evidenceFrom(mail)(email) });
      wire(m.paneHolder);
      publishOnline(m.paneHolder); // F25: who is online now, for Send as IM instead at Send
      return m.paneBackend({
        target: async (on) => on,
        openDraft: (draft, o) => {
          if (!o.replyTo?.mail) return displayNew(draft);
          displayReply(draft.htmlLimited);
          void notice("converted", t("convertedNotice"));
        },
        notifyDelivered: ({ to, name }) => void notice("delivered", t("deliveredTo", name ?? to)),
        saveAccount: (account) => saveConfig(account),
      });
    },
    (err: unknown) => {
      loading = undefined; // the next action tries to load it again
      throw err;
    },
  ));

const backend: ChatBackend = {
  open: async () => {
    const b = await shared();
    if (chatWith) target = { jid: chatWith };
    else {
      mail = await readItem();
      if (!mail) throw said(t, "no-recipient", t("chooseEmail"));
      target = { mail };
    }
    const ctx = await b.open(target);
    jid = ctx.to.jid;
    return ctx;
  },
  send: async (text, options) => (await shared()).send(target, text, options),
  decide: async (id, choice) => (await shared()).decide(target, id, choice),
  correct: async (to) => {
    const m = await (await shared()).correct(mail?.from ?? "", to);
    jid = m.jid;
    target = { mail: mail ?? undefined };
    return m;
  },
  replyByEmail: async () => (await shared()).replyByEmail(jid),
  accountDefaults: async () => {
    const { settings, locked } = await loadConfig();
    return { service: settings.service, jid: settings.jid || me(), locked };
  },
  configure: async (account) => {
    const b = await shared();
    await (await import("./pane-engine")).signIn(b, account); // a wrong password or a dead server is reported to the form now
    void showTranscript();
  },
  subscribe: (fn) => (listener = fn),
  // XEP-0085: the user typing, told to a known person while connected (the engine decides)
  typing: async (state) => (await shared()).typing(jid, state),
  translate: async (text) => (await shared()).translate(text),
  askPresence: async () => (await shared()).askPresence(jid),
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
  // a choice Outlook would not save is not kept: the list shows the language still in use, and why
  const problem = document.createElement("span");
  problem.setAttribute("role", "alert");
  problem.className = "error";
  let kept = settings.language;
  const choose = async () => {
    try {
      await saveConfig({ language: select.value });
      kept = select.value;
      problem.textContent = "";
      onChange();
    } catch (err) {
      select.value = kept;
      problem.textContent = problemText(err, t);
    }
  };
  select.addEventListener("change", () => void choose());
  const label = document.createElement("label");
  label.className = "pane-language";
  label.append(t("languageLabel"), " ", select, " ", problem);
  document.getElementById("pane-notice")!.after(label);
}

/** F13: an email that carries a chat invitation shows that session's transcript above the chat. */
async function showTranscript() {
  const m = await readItem().catch(() => null); // no readable item (compose, none selected): no transcript to show
  const box = () => transcriptBox(document, (b) => document.getElementById("transcript")!.append(b), t);
  try {
    const b = await shared();
    const tr = m && (await b.transcript([m.text ?? ""]));
    if (!tr) return document.getElementById("rvi-transcript")?.remove();
    renderTranscript(box(), tr, t, { rejoin: () => openInBrowser(b.joinLink(tr.link)), refresh: () => void showTranscript() });
  } catch (err) {
    // no account yet: the pane's form asks for it, and the transcript follows once it is given
    if (isProblem(err, "needs-account")) return document.getElementById("rvi-transcript")?.remove();
    renderTranscriptProblem(box(), problemText(err, t), t, () => void showTranscript());
  }
}

function say(root: HTMLElement, message: string) {
  const p = document.createElement("p");
  p.setAttribute("role", "alert");
  p.className = "error";
  p.textContent = message;
  root.replaceChildren(p);
}

/** Outside Outlook (no Office host, or no Office.js at all): what this is and where it works, and nothing else. */
function outside(root: HTMLElement) {
  root.replaceChildren(outsideOutlook());
  document.getElementById("contacts-panel")?.remove();
}

if (!officeLoaded()) outside(document.getElementById("app")!);
else
  void Office.onReady().then((info) => {
    const root = document.getElementById("app")!;
    if (!inOutlook(info)) return outside(root);
    followOfficeTheme(); // Office's own colours, light or dark, over Fluent's (src/ui/theme)
    const missing = missingRequirement("read");
    if (missing) return say(root, missing);
    // say plainly when IMs arrive: the connection lives with the pane
    document.getElementById("pane-notice")!.textContent = canPin() ? t("paneNotice") : t("paneNoticeNoPin");
    const show = () => void mountChat(root, backend).then(() => showTranscript());
    void languagePicker(show);
    settingsButton(show); // F15, F16, F22 at parity with Thunderbird's Options
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
        list: async () => (await shared()).contacts.list(),
        add: async (a) => (await shared()).contacts.add(a),
        remove: async (j) => (await shared()).contacts.remove(j),
        accept: async (j) => (await shared()).contacts.accept(j),
        refuse: async (j) => (await shared()).contacts.refuse(j),
        chat: (j) => {
          chatWith = j;
          document.getElementById("rvi-transcript")?.remove();
          void mountChat(root, backend).then(() => document.getElementById("message")?.focus());
        },
        // every engine's changes, also after new settings restarted it
        subscribe: (fn) => void shared().then((b) => b.contacts.onChange(fn)),
        t,
      });
    });
    show();
  });
