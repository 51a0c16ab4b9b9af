// The IM window in Thunderbird: the shared view (src/ui/chat) talking to the background page.
// Opened on an email (`?message=ID`, Reply via IM) or on a person (`?jid=…`, from a notification).
import { mountChat } from "../../ui/chat/view";
import type { ChatBackend } from "../../ui/chat/protocol";
import { call } from "./call";

const params = new URLSearchParams(location.search);
const target = { messageId: Number(params.get("message") ?? 0), jid: params.get("jid") ?? "" };
let email = "";

const backend: ChatBackend = {
  open: async () => {
    const ctx = await call("chat:open", target);
    email = ctx.to.email;
    target.jid = ctx.to.jid;
    queueMicrotask(seen);
    return ctx;
  },
  send: (text, options) => call("chat:send", { ...target, text, options }),
  decide: (id, choice) => call("chat:decide", { ...target, id, choice }),
  correct: async (jid) => {
    const to = await call("mapping:correct", { email, jid });
    target.jid = to.jid;
    return to;
  },
  replyByEmail: () => call("chat:reply-email", target),
  accountDefaults: () => call("account:defaults", target),
  configure: (account) => call("account:set", account),
  subscribe: (fn) =>
    messenger.runtime.onMessage.addListener((m) => {
      // every window hears every event; each shows only its own person's
      const e = (m as { event?: { type: string; with?: string; line?: unknown; available?: boolean; state?: string } }).event;
      if (!e || e.with !== target.jid) return;
      if (e.type === "line") fn({ type: "line", line: e.line as never });
      if (e.type === "presence") fn({ type: "presence", available: Boolean(e.available) });
      if (e.type === "typing" && typeof e.state === "string") fn({ type: "typing", state: e.state as never });
    }),
  translate: (text) => call("chat:translate", { text }),
  askPresence: () => call("chat:ask-presence", { jid: target.jid }),
  openEmail: (messageId) => call("mail:open", { headerMessageId: messageId }),
  typing: async (state) => {
    if (target.jid) await call("chat:typing", { jid: target.jid, state });
  },
  t: (key, ...subs) => messenger.i18n.getMessage(key, subs) || key,
};

void mountChat(document.getElementById("app")!, backend);

// F15: the background needs to know when this conversation is on screen (no alert for it; its
// unread count cleared)
function seen() {
  if (target.jid) void call("chat:seen", { jid: target.jid, visible: document.hasFocus() && !document.hidden }).catch(() => undefined); // the window may be closing
}
addEventListener("focus", seen);
addEventListener("blur", seen);
document.addEventListener("visibilitychange", seen);
addEventListener("pagehide", () => target.jid && void call("chat:seen", { jid: target.jid, visible: false }).catch(() => undefined));
