// Thunderbird background page (Manifest V2, persistent): the XMPP connection has to live while
// no window is open — to receive IMs and to retry queued ones — which an MV3 background
// (suspended when idle) cannot promise. Listeners are registered at top level, before any
// await, so no event is missed at start-up. One router answers the windows' commands.
import { createEngine } from "../../engine/engine";
import { engineHolder } from "../../engine/holder";
import { decideFromChat, lineOf, openChatContext, sendFromChat, type ChatTarget } from "../../engine/chat";
import { alertSettingsOf, badgeText, createUsage, findInvitation, forReader, libreTranslate, invitationLink, normaliseEmail, planAlert, unreadCounter, type EmailDraft, type EmailInput } from "../../core";
import { chime, speak } from "../../ui/alerts-output";
import { openStore } from "../../store";
import { NEEDS_ACCOUNT, type ChatContext, type ConversationLine, type SendOptions } from "../../ui/chat/protocol";
import { checkService } from "../../xmpp/connection";
import { diagnose } from "../../xmpp/doctor";
import { loadSettings, saveSettings } from "./settings";
import { readMessage, vcardsFor, mailsFrom } from "./mail";

const store = openStore();
const usage = createUsage(store.usage);
let me = "";

async function ownAddress(): Promise<string> {
  for (const a of await messenger.accounts.list(false)) {
    const id = await messenger.identities.getDefault(a.id).catch(() => null);
    if (id?.email) return normaliseEmail(id.email);
  }
  return "";
}

const holder = engineHolder(async () => {
  const { settings } = await loadSettings();
  if (!settings.service || !settings.jid) throw new Error(`${NEEDS_ACCOUNT}:${messenger.i18n.getMessage("needAccount")}`);
  me = (await ownAddress()) || settings.jid;
  const e = createEngine({
    account: { service: settings.service, jid: settings.jid, password: settings.password, resource: "thunderbird" },
    me, store, lookups: { cards: vcardsFor, mailsFrom },
  });
  e.events.on("state", (item) => void broadcast({ type: "line", with: item.to, line: lineOf(item) }));
  e.events.on("presence", (jid, available) => void broadcast({ type: "presence", with: jid, available }));
  e.events.on("contacts", () => void broadcast({ type: "contacts" }));
  e.events.on("message", (m) => {
    void broadcast({ type: "line", with: m.from, line: { id: m.id, direction: "in", text: m.text, at: m.at } });
    void alert(m);
  });
  return { engine: e, retentionDays: settings.retentionDays };
});
const ensureEngine = () => holder.get();

// F15: what an incoming IM calls for (core/alerts.ts) — F14: only people the user knows are
// alerted; "Open" is a click on the notification; the count on the Reply via IM button is
// cleared when that conversation is on screen.
const unread = unreadCounter();
let onScreen = "";
const showBadge = () => Promise.all([
  messenger.messageDisplayAction.setBadgeText({ text: badgeText(unread.total) }).catch(() => undefined),
  messenger.browserAction.setBadgeText({ text: badgeText(unread.total) }).catch(() => undefined),
]);
async function alert(m: { from: string; text: string; known: boolean }) {
  const { settings } = await loadSettings();
  const plan = planAlert({ ...m, visible: onScreen === m.from }, alertSettingsOf(settings));
  if (plan.notify) void notify(`im:${m.from}`, messenger.i18n.getMessage("imFrom", m.from), plan.notify.body);
  if (plan.countsUnread) {
    unread.add(m.from);
    void showBadge();
  }
  if (plan.sound) chime(plan.sound.volume);
  if (plan.speak) speak(plan.speak.text, m.from, plan.speak.volume);
}

function broadcast(event: unknown) {
  return messenger.runtime.sendMessage({ event }).catch(() => undefined); // no window open: fine
}

function notify(id: string, title: string, message: string) {
  return messenger.notifications.create(id, { type: "basic", title, message, iconUrl: "assets/icon-64.png" }).catch(() => "");
}

const originals = new Map<number, EmailInput & { references?: string[] }>();

/** F3: the earlier emails with this person, both ways (the newest 20), become part of the history. */
async function earlierEmails(email: string, except = 0): Promise<EmailInput[]> {
  const found = await Promise.all([
    messenger.messages.query({ author: email }).catch(() => ({ messages: [] })),
    messenger.messages.query({ recipients: email }).catch(() => ({ messages: [] })),
  ]);
  const headers = found.flatMap((f) => f.messages).filter((m) => m.id !== except)
    .sort((a, b) => new Date(b.date).getTime() - new Date(a.date).getTime()).slice(0, 20);
  const out: EmailInput[] = [];
  for (const h of headers) {
    try {
      out.push(await readMessage(h.id));
    } catch {
      // one unreadable message does not stop the others
    }
  }
  return out;
}

/** The window is opened on an email (Reply via IM) or on a person (an incoming IM's notification). */
interface Target {
  messageId?: number;
  jid?: string;
}

async function chatTarget(target: Target): Promise<ChatTarget> {
  if (target.messageId) {
    const mail = originals.get(target.messageId) ?? (await readMessage(target.messageId));
    originals.set(target.messageId, mail);
    return { mail };
  }
  if (target.jid) return { jid: target.jid };
  throw new Error(messenger.i18n.getMessage("nothingToOpen"));
}

async function openChat(target: Target): Promise<ChatContext> {
  const e = await ensureEngine();
  originals.delete(target.messageId ?? 0); // read afresh on open
  return openChatContext(e, await chatTarget(target), (email) => earlierEmails(email, target.messageId));
}

async function send(target: Target, text: string, o: SendOptions): Promise<ConversationLine> {
  const e = await ensureEngine();
  const { line, outcome } = await sendFromChat(e, await chatTarget(target), text, o);
  if (outcome.state === "delivered") void notify(`ok:${outcome.id}`, messenger.i18n.getMessage("deliveredTitle"), messenger.i18n.getMessage("deliveredTo", outcome.to));
  return line;
}

const pendingSends = new Map<number, string>();
messenger.compose.onAfterSend.addListener((tab, info) => {
  const id = pendingSends.get(tab.id);
  if (!id || info.error) return;
  pendingSends.delete(tab.id);
  void notify(`sent:${id}`, messenger.i18n.getMessage("emailSentTitle"), messenger.i18n.getMessage("emailSent"));
});

/** Opens a draft for editing: a reply to the email when there is one, else a new message. */
async function openDraft(messageId: number | undefined, draft: EmailDraft, noticeId: string) {
  const tab = messageId
    ? await messenger.compose.beginReply(messageId, "replyToSender", { body: draft.html })
    : await messenger.compose.beginNew({ body: draft.html, to: draft.to, subject: draft.subject });
  pendingSends.set(tab.id, noticeId);
}

async function decide(target: Target, id: string, choice: "keep" | "cancel" | "convert"): Promise<ConversationLine> {
  const e = await ensureEngine();
  const { line, outcome } = await decideFromChat(e, id, choice);
  if (choice === "convert" && outcome.draft) await openDraft(target.messageId, outcome.draft, outcome.id);
  return line;
}

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

type Command =
  | ({ command: "chat:open" } & Target)
  | ({ command: "chat:send"; text: string; options: SendOptions } & Target)
  | ({ command: "chat:decide"; id: string; choice: "keep" | "cancel" | "convert" } & Target)
  | ({ command: "chat:reply-email" } & Target)
  | { command: "mapping:correct"; email: string; jid: string }
  | { command: "account:set"; service: string; jid: string; password: string }
  | { command: "account:defaults" }
  | { command: "invite:prepare"; tabId: number }
  | { command: "invite:insert"; tabId: number; html: string }
  | { command: "invite:configure"; session: string; membersOnly: boolean; password?: string }
  | { command: "options:data" }
  | { command: "account:test"; service: string; jid: string; password: string }
  | { command: "mapping:forget"; email: string }
  | { command: "usage:export" }
  | { command: "transcript:get"; candidates: unknown }
  | { command: "transcript:rejoin"; link: string }
  | { command: "status" }
  | { command: "chat:seen"; jid: string; visible: boolean }
  | { command: "chat:window"; jid: string }
  | { command: "chat:translate"; text: string }
  | { command: "contacts:list" }
  | { command: "contacts:add" | "contacts:remove" | "contacts:accept" | "contacts:refuse"; jid: string };

async function route(msg: Command): Promise<unknown> {
  switch (msg.command) {
    case "chat:open": return openChat(msg);
    case "chat:send": return send(msg, msg.text, msg.options);
    case "chat:decide": return decide(msg, msg.id, msg.choice);
    case "chat:reply-email": {
      if (!msg.jid) throw new Error(messenger.i18n.getMessage("nothingToOpen"));
      const draft = await (await ensureEngine()).replyByEmail(msg.jid);
      await openDraft(undefined, draft, `chat:${msg.jid}`); // the chat's own thread: a new email with the chat
      return true;
    }
    case "mapping:correct": {
      const m = await (await ensureEngine()).mapper.correct(msg.email, msg.jid);
      return { email: m.email, jid: m.jid, source: "user", needsConfirmation: false };
    }
    case "account:set": {
      checkService(msg.service);
      await holder.restart();
      await saveSettings({ service: msg.service, jid: msg.jid, password: msg.password });
      await ensureEngine(); // a wrong password or a dead server is reported to the form now
      return true;
    }
    case "account:defaults": {
      const { settings, locked } = await loadSettings();
      return { service: settings.service, jid: settings.jid, locked };
    }
    case "invite:prepare": {
      const e = await ensureEngine();
      const details = await messenger.compose.getComposeDetails(msg.tabId);
      const recipients = [...(details.to ?? []), ...((details as { cc?: string[] }).cc ?? [])];
      if (!recipients.length) throw new Error(messenger.i18n.getMessage("inviteNoRecipients"));
      const { settings } = await loadSettings();
      return e.createSession({ recipients, subject: details.subject, joinPage: settings.joinPage, iconUrl: await embeddedIcon() });
    }
    case "invite:configure": return (await ensureEngine()).configureSession(msg.session, { membersOnly: !!msg.membersOnly, password: typeof msg.password === "string" ? msg.password : undefined });
    case "invite:insert": {
      const tabs = (messenger as unknown as { tabs: { executeScript(id: number, o: { file: string }): Promise<unknown>; sendMessage(id: number, m: unknown): Promise<unknown> } }).tabs;
      await tabs.executeScript(msg.tabId, { file: "compose-script.js" });
      await tabs.sendMessage(msg.tabId, { insertInvitation: msg.html });
      return true;
    }
    case "options:data": {
      const mappings = (await store.mappings.all()).map((m) => ({ email: m.email, jid: m.jid, source: m.source }));
      return { mappings, usage: await usage.figures() };
    }
    case "account:test": {
      checkService(msg.service);
      return diagnose({ service: msg.service, jid: msg.jid, password: msg.password, resource: "thunderbird-test" });
    }
    case "mapping:forget": return store.mappings.remove(normaliseEmail(msg.email));
    case "usage:export": return usage.exportCsv();
    case "transcript:get": {
      // what a message display script found in the email: links and text, at most 500 pieces
      const pieces = Array.isArray(msg.candidates) ? msg.candidates.slice(0, 500).filter((c): c is string => typeof c === "string").map((c) => c.slice(0, 200_000)) : [];
      const inv = findInvitation(pieces);
      if (!inv) return null;
      const transcript = await (await ensureEngine()).transcript(inv);
      const { settings } = await loadSettings();
      return { ...transcript, link: inv.link ?? invitationLink(settings.joinPage, inv) };
    }
    case "transcript:rejoin": {
      // the join page is the session's place for everybody: it opens in the user's browser
      const url = new URL(msg.link);
      if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error(messenger.i18n.getMessage("nothingToOpen"));
      await (messenger.windows as unknown as { openDefaultBrowser(u: string): Promise<void> }).openDefaultBrowser(url.toString());
      return true;
    }
    case "chat:translate": {
      const { settings } = await loadSettings();
      if (!settings.language || !settings.translateUrl || typeof msg.text !== "string") return undefined;
      return forReader(libreTranslate({ url: settings.translateUrl }), msg.text, { language: settings.language });
    }
    case "chat:window": return openWindow(`jid=${encodeURIComponent(msg.jid)}`).then(() => true);
    case "contacts:list": return (await ensureEngine()).contacts();
    case "contacts:add": return (await ensureEngine()).addContact(msg.jid);
    case "contacts:remove": return (await ensureEngine()).removeContact(msg.jid);
    case "contacts:accept": return (await ensureEngine()).acceptRequest(msg.jid);
    case "contacts:refuse": return (await ensureEngine()).refuseRequest(msg.jid);
    case "chat:seen": {
      if (msg.visible) {
        onScreen = msg.jid;
        unread.read(msg.jid);
        void showBadge();
      } else if (onScreen === msg.jid) onScreen = "";
      return true;
    }
    case "status": return { online: holder.current?.connection?.xmpp.status === "online" };
  }
}

messenger.runtime.onMessage.addListener((msg) => {
  if (!msg || typeof msg !== "object" || !("command" in msg)) return undefined;
  // errors go back to the window as values it can show
  return route(msg as Command).then((value) => ({ ok: true, value }), (err: Error) => ({ ok: false, error: err.message }));
});

// New settings (Options saved, or IT's policy changed): reconnect with them.
(messenger.storage as unknown as { onChanged: messenger.Listener<[Record<string, unknown>, string]> }).onChanged.addListener((changes) => {
  if (!("settings" in changes) || holder.starting) return;
  void holder.restart().then(() => ensureEngine()).catch((err: Error) => console.warn("Reply via IM:", err.message));
});

function openWindow(query: string) {
  return messenger.windows.create({ type: "popup", url: `chat.html?${query}`, width: 520, height: 640, allowScriptsToClose: true });
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
void (messenger as unknown as { messageDisplayScripts: { register(o: object): Promise<unknown> } }).messageDisplayScripts
  .register({ js: [{ file: "transcript-script.js" }], css: [{ file: "transcript.css" }] })
  .catch((err: Error) => console.warn("Reply via IM: transcript banner:", err.message));

// Retention is applied at start and once a day after.
setInterval(() => void loadSettings().then(({ settings }) => holder.current?.forgetOlderThan(settings.retentionDays)).catch(() => 0), 86_400_000);

void store.db.open().then(() => ensureEngine()).catch((err: Error) => console.warn("Reply via IM:", err.message));
