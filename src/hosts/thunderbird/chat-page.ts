// The IM window in Thunderbird: the shared view (src/ui/im-window) talking to the background page.
// Opened on an email (`?message=ID`, Reply via IM) or on a person (`?jid=…`, from a notification).
import { mountChat } from "../../ui/im-window/view";
import type { ChatBackend } from "../../ui/im-window/host";
import { listener } from "../../ui/protocol";
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
  // every window hears every event; each shows only its own person's
  subscribe: (fn) =>
    messenger.runtime.onMessage.addListener(
      listener({
        line: (e) => e.with === target.jid && fn({ type: "line", line: e.line }),
        presence: (e) => e.with === target.jid && fn({ type: "presence", available: e.available }),
        typing: (e) => e.with === target.jid && fn({ type: "typing", state: e.state }),
      }),
    ),
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
