// Thunderbird background page (Manifest V2, persistent): the XMPP connection has to live while
// no window is open — to receive IMs and to retry queued ones — which an MV3 background
// (suspended when idle) cannot promise. Listeners are registered at top level, before any
// await, so no event is missed at start-up. One router answers the windows' commands.
import { createEngine } from "../../engine/engine";
import { engineHolder } from "../../engine/holder";
import { checkJoinPage, hostBackend } from "../../engine/host-backend";
import { discoveryOf } from "../../engine/options-backend";
import { lineOf, type ChatTarget } from "../../engine/im-window";
import { alertSettingsOf, badgeText, planAlert, unreadCounter, type EmailDraft, type EmailInput } from "../../core";
import { chime, speak } from "../../ui/alerts-output";
import { said } from "../../ui/problem-text";
import { openStore } from "../../store";
import { dispatch, emitter, isCommand, type ChatOn, type ComposeRequest, type Handlers } from "../../ui/protocol";
import { credentials, loadSettings, saveSettings } from "./settings-store";
import { readMessage, vcardsFor, mailsFrom } from "./mail";
import { identityFor, ownAddress } from "./identity";
import { conversationHistory } from "./conversation-history";

const store = openStore();
const t = (key: string, ...subs: string[]) => messenger.i18n.getMessage(key, subs);

const holder = engineHolder({
  settings: async () => (await loadSettings()).settings,
  needsAccount: () => t("needAccount"),
  locale: () => t("@@ui_locale"),
  credentials,
  create: async (account, settings) =>
    createEngine({
      account: { ...account, resource: "thunderbird" },
      me: (await ownAddress()) || account.jid,
      store,
      lookups: { cards: vcardsFor, mailsFrom },
      discovery: discoveryOf(settings),
    }),
});
// the windows hear every engine's events (src/ui/protocol.ts, Events), also after new settings restart it
const emit = emitter((msg) => messenger.runtime.sendMessage(msg));
holder.on("state", (item) => void emit("line", { with: item.to, line: lineOf(item) }));
holder.on("presence", (jid, available) => void emit("presence", { with: jid, available }));
holder.on("typing", (jid, state) => void emit("typing", { with: jid, state })); // XEP-0085, for the IM window
holder.on("contacts", () => void emit("contacts"));
holder.on("message", (m) => {
  void emit("line", { with: m.from, line: { id: m.id, direction: "in", text: m.text, at: m.at } });
  void alert(m);
});
const ensureEngine = () => holder.get();
// F24/F25: the Conversation History folder, the "IMs after this email" line, Send as IM instead
const mailbox = conversationHistory({ store, holder, settings: async () => (await loadSettings()).settings, t, notify });

// F15: what an incoming IM calls for (core/alerts.ts) — F14: only people the user knows are
// alerted; "Open" is a click on the notification; the count on the Reply via IM button is
// cleared when that conversation is on screen.
const unread = unreadCounter();
let onScreen = "";
// the badge is a hint beside the notification and the window's count: a button not shown has none
const showBadge = () =>
  Promise.all([
    messenger.messageDisplayAction.setBadgeText({ text: badgeText(unread.total) }).catch(() => undefined),
    messenger.browserAction.setBadgeText({ text: badgeText(unread.total) }).catch(() => undefined),
  ]);
async function alert(m: { from: string; name?: string; text: string; known: boolean }) {
  const { settings } = await loadSettings();
  const plan = planAlert({ ...m, visible: onScreen === m.from }, alertSettingsOf(settings));
  if (plan.notify) void notify(`im:${m.from}`, messenger.i18n.getMessage("imFrom", m.name ?? m.from), plan.notify.body);
  if (plan.countsUnread) {
    unread.add(m.from);
    void showBadge();
  }
  if (plan.sound) chime(plan.sound.volume);
  if (plan.speak) speak(plan.speak.text, m.from, plan.speak.volume);
}

function notify(id: string, title: string, message: string) {
  // notifications turned off in the system: the window and the badge still say it
  return messenger.notifications.create(id, { type: "basic", title, message, iconUrl: "assets/icon-64.png" }).catch(() => "");
}

const originals = new Map<number, EmailInput & { references?: string[] }>();

/** F3: the earlier emails with this person, both ways (the newest 20), become part of the history. */
async function earlierEmails(email: string, except = 0): Promise<EmailInput[]> {
  // a folder that cannot be searched (offline IMAP) gives no earlier emails; the history has the rest
  const found = await Promise.all([
    messenger.messages.query({ author: email }).catch(() => ({ messages: [] })),
    messenger.messages.query({ recipients: email }).catch(() => ({ messages: [] })),
  ]);
  const headers = found
    .flatMap((f) => f.messages)
    .filter((m) => m.id !== except)
    .sort((a, b) => new Date(b.date).getTime() - new Date(a.date).getTime())
    .slice(0, 20);
  // read together, each once: a message's content does not change, so the next window reuses it
  const read = await Promise.allSettled(headers.map((h) => readOnce(h.id)));
  // one unreadable message does not stop the others
  return read.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
}

const readCache = new Map<number, Promise<EmailInput>>();
function readOnce(id: number): Promise<EmailInput> {
  let p = readCache.get(id);
  if (!p) {
    p = readMessage(id);
    p.catch(() => readCache.delete(id)); // a failed read is tried again next time
    if (readCache.size >= 500) readCache.delete(readCache.keys().next().value!);
    readCache.set(id, p);
  }
  return p;
}

/** The window is opened on an email (Reply via IM, read once per open) or on a person (an incoming IM's notification). */
async function chatTarget(on: ChatOn): Promise<ChatTarget> {
  if (on.messageId) {
    const mail = originals.get(on.messageId) ?? (await readMessage(on.messageId));
    originals.set(on.messageId, mail);
    return { mail };
  }
  if (on.jid) return { jid: on.jid };
  throw said(t, "no-recipient", t("nothingToOpen"));
}

const pendingSends = new Map<number, string>();
messenger.compose.onAfterSend.addListener((tab, info) => {
  const id = pendingSends.get(tab.id);
  if (!id || info.error) return;
  pendingSends.delete(tab.id);
  void notify(`sent:${id}`, t("emailSentTitle"), t("emailSent"));
});

/** What both hosts do alike (src/engine/host-backend.ts), with Thunderbird's drafts and notifications. */
const backend = hostBackend<ChatOn>({
  engine: holder,
  store,
  settings: async () => (await loadSettings()).settings,
  host: {
    target: chatTarget,
    earlierEmails: (email, on) => earlierEmails(email, on.messageId),
    // a reply to the email when there is one, else a new message; its sending is announced
    openDraft: async (draft: EmailDraft, o) => {
      const tab = o.replyTo?.messageId
        ? await messenger.compose.beginReply(o.replyTo.messageId, "replyToSender", { body: draft.html })
        : await messenger.compose.beginNew({ body: draft.html, to: draft.to, subject: draft.subject });
      pendingSends.set(tab.id, o.id);
    },
    notifyDelivered: ({ id, to, name }) => void notify(`ok:${id}`, t("deliveredTitle"), t("deliveredTo", name ?? to)),
    saveAccount: (account) => saveSettings(account),
  },
});

/**
 * The invitation's icon travels inside the email: Thunderbird sends a data: image in a draft as
 * an inline (multipart/related) part, so recipients see it without loading anything remote.
 */
async function embeddedIcon(): Promise<string> {
  const bytes = new Uint8Array(await (await fetch(messenger.runtime.getURL("assets/embed-im-32.png"))).arrayBuffer());
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return `data:image/png;base64,${btoa(bin)}`;
}

/** The windows' commands (src/ui/protocol.ts): one handler each, the shared ones from the backend. */
const handlers: Handlers = {
  "chat:open": (on) => {
    originals.delete(on.messageId ?? 0); // read afresh on open
    return backend.open(on);
  },
  "chat:send": (a) => backend.send(a, a.text, a.options),
  "chat:decide": (a) => backend.decide(a, a.id, a.choice),
  "chat:reply-email": (on) => backend.replyByEmail(on.jid ?? ""), // the chat's own thread: a new email with the chat
  "chat:translate": (a) => backend.translate(a.text),
  "chat:ask-presence": (a) => backend.askPresence(a.jid),
  // XEP-0085: told to known people only, while connected (the engine decides); nothing waits for it
  "chat:typing": async (a) => {
    await backend.typing(a.jid, a.state);
  },
  "chat:window": async (a) => void (await openWindow(`jid=${encodeURIComponent(a.jid)}`)),
  "chat:seen": (a) => {
    if (a.visible) {
      onScreen = a.jid;
      unread.read(a.jid);
      void showBadge();
    } else if (onScreen === a.jid) onScreen = "";
  },
  "mapping:correct": (a) => backend.correct(a.email, a.jid),
  "mapping:forget": (a) => backend.options.forgetMapping(a.email),
  "account:set": (a) => backend.setAccount({ service: a.service, jid: a.jid, password: a.password }),
  "account:defaults": async (on) => {
    const { settings, locked } = await loadSettings();
    // first run (F26): the address is the mail identity the email was sent to, so only the password is typed
    return { service: settings.service, jid: settings.jid || (await identityFor(on, async (id) => (await chatTarget({ messageId: id })).mail)), locked };
  },
  "account:test": (a) => backend.options.testAccount(a, "thunderbird-test"),
  "invite:prepare": async (a) => {
    const e = await ensureEngine();
    const details = await messenger.compose.getComposeDetails(a.tabId);
    const recipients = [...(details.to ?? []), ...(details.cc ?? [])];
    if (!recipients.length) throw said(t, "no-recipient", t("inviteNoRecipients"));
    const { settings } = await loadSettings();
    // a web link only to a join page that is set up and answers: never one that works for nobody
    const webLink = await checkJoinPage(settings.joinPage);
    const joinPage = webLink === "ok" ? settings.joinPage : undefined;
    return {
      ...(await e.sessions.create({ recipients, subject: details.subject, joinPage, iconUrl: await embeddedIcon() })),
      webLink,
      joinPage: settings.joinPage,
    };
  },
  "invite:configure": async (a) =>
    (await ensureEngine()).sessions.configure(a.session, { membersOnly: !!a.membersOnly, password: typeof a.password === "string" ? a.password : undefined }),
  "invite:insert": async (a) => {
    await messenger.tabs.executeScript(a.tabId, { file: "compose-script.js" });
    await messenger.tabs.sendMessage(a.tabId, { compose: "insert", html: a.html } satisfies ComposeRequest);
  },
  "options:data": () => backend.options.data(),
  "usage:export": () => backend.options.exportUsage(),
  // what a message display script found in the email: links and text
  "transcript:get": (a) => backend.transcript(a.candidates),
  // F24: the email a conversation started from, opened in a tab
  "mail:open": async (a) => void (await messenger.messageDisplay.open({ headerMessageId: a.headerMessageId, location: "tab" })),
  // F24: asked by the message display script of the email its tab shows
  "mail:im-line": (_, from) => mailbox.imLine(from.tabId),
  // the join page is the session's place for everybody: it opens in the user's browser
  "transcript:rejoin": (a) => messenger.windows.openDefaultBrowser(backend.joinLink(a.link)),
  "contacts:list": () => backend.contacts.list(),
  "contacts:add": (a) => backend.contacts.add(a.jid),
  "contacts:remove": (a) => backend.contacts.remove(a.jid),
  "contacts:accept": (a) => backend.contacts.accept(a.jid),
  "contacts:refuse": (a) => backend.contacts.refuse(a.jid),
  status: () => ({ online: holder.current?.connection?.xmpp.status === "online" }),
};

// the one listener: every command is answered, an unknown one with "unknown-command"; errors as Problems with their code
messenger.runtime.onMessage.addListener((msg, sender) => (isCommand(msg) ? dispatch(handlers, msg, { tabId: sender?.tab?.id }) : undefined));

// New settings (Options saved, or IT's policy changed): reconnect with them.
// A new password typed in Options counts too; the keys a login keeps (and the password they
// replace) do not: they are what the running engine logged in with.
messenger.storage.onChanged.addListener((changes) => {
  const typed = (changes.credentials?.newValue as { password?: string } | undefined)?.password;
  const newPassword = !!typed && typed !== (changes.credentials?.oldValue as { password?: string } | undefined)?.password;
  if ((!("settings" in changes) && !newPassword) || holder.starting) return;
  void holder
    .restart()
    .then(() => ensureEngine())
    .catch((err: Error) => console.warn("Reply via IM:", err.message));
});

// The IM window opens at the size and place the person last left it (storage.local). A closed
// window can no longer be asked where it was, so its bounds are read while it is open — each time
// the focus moves (a move or a resize ends with the person going elsewhere) — and kept when it closes.
type Bounds = messenger.windows.Bounds;
const tbWindows = messenger.windows;
const IM_WINDOW = "imWindowBounds";
const imWindows = new Map<number, Bounds | undefined>();
const boundsOf = (b: Partial<Bounds>): Bounds | undefined =>
  [b.top, b.left, b.width, b.height].every((n) => typeof n === "number") ? (b as Bounds) : undefined;
tbWindows.onFocusChanged.addListener(() => {
  for (const id of imWindows.keys()) {
    // a window closing meanwhile has no bounds to read: its last known ones are kept on removal
    void tbWindows.get(id).then(
      (w) => imWindows.has(id) && imWindows.set(id, boundsOf(w) ?? imWindows.get(id)),
      () => undefined,
    );
  }
});
tbWindows.onRemoved.addListener((id) => {
  const last = imWindows.get(id);
  imWindows.delete(id);
  if (last) void messenger.storage.local.set({ [IM_WINDOW]: last }).catch((err: Error) => console.warn("Reply via IM: the IM window's place:", err.message));
});

async function openWindow(query: string) {
  const kept = boundsOf((await messenger.storage.local.get(IM_WINDOW))[IM_WINDOW] ?? {});
  const w = await tbWindows.create({ type: "popup", url: `chat.html?${query}`, width: 520, height: 640, ...kept, allowScriptsToClose: true });
  if (w.id !== undefined) imWindows.set(w.id, kept);
  return w;
}

messenger.messageDisplayAction.onClicked.addListener(async (tab) => {
  const message = await messenger.messageDisplay.getDisplayedMessage(tab.id);
  if (!message) return;
  await openWindow(`message=${message.id}`);
});

// F17: the "IM contacts" button in the main toolbar opens the contacts window.
messenger.browserAction.onClicked.addListener(() => {
  void messenger.windows.create({ type: "popup", url: "contacts.html", width: 480, height: 600 });
});

// "Open": a click on an incoming IM's notification opens the chat with that person.
messenger.notifications.onClicked.addListener((id) => {
  if (id.startsWith("im:")) void openWindow(`jid=${encodeURIComponent(id.slice(3))}`);
});

// F13: emails carrying a chat invitation show the session's transcript above their text.
void messenger.messageDisplayScripts
  .register({ js: [{ file: "transcript-script.js" }], css: [{ file: "transcript.css" }] })
  .catch((err: Error) => console.warn("Reply via IM: transcript banner:", err.message));

// Retention is applied at start and once a day after.
setInterval(
  () =>
    void loadSettings()
      .then(({ settings }) => holder.current?.forgetOlderThan(settings.retentionDays))
      .catch(() => 0),
  86_400_000,
);

void store.db
  .open()
  .then(() => ensureEngine())
  .catch((err: Error) => console.warn("Reply via IM:", err.message));
