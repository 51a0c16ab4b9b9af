// The IM window in Thunderbird: the shared view (src/ui/chat) talking to the background page.
import { mountChat } from "../../ui/chat/view";
import type { ChatBackend } from "../../ui/chat/protocol";

const messageId = Number(new URLSearchParams(location.search).get("message") ?? 0);
let email = "";

async function call<T>(msg: Record<string, unknown>): Promise<T> {
  const r = (await messenger.runtime.sendMessage(msg)) as { ok: boolean; value?: T; error?: string } | undefined;
  if (!r) throw new Error(messenger.i18n.getMessage("noBackground"));
  if (!r.ok) throw new Error(r.error);
  return r.value as T;
}

const backend: ChatBackend = {
  open: async () => {
    const ctx = await call<Awaited<ReturnType<ChatBackend["open"]>>>({ command: "chat:open", messageId });
    email = ctx.to.email;
    return ctx;
  },
  send: (text, options) => call({ command: "chat:send", messageId, text, options }),
  decide: (id, choice) => call({ command: "chat:decide", messageId, id, choice }),
  correct: (jid) => call({ command: "mapping:correct", email, jid }),
  configure: (account) => call({ command: "account:set", ...account }),
  subscribe: (fn) =>
    messenger.runtime.onMessage.addListener((m) => {
      const e = (m as { event?: { type: string; line?: unknown; available?: boolean } }).event;
      if (e?.type === "line") fn({ type: "line", line: e.line as never });
      if (e?.type === "presence") fn({ type: "presence", available: Boolean(e.available) });
    }),
  t: (key, ...subs) => messenger.i18n.getMessage(key, subs) || key,
};

void mountChat(document.getElementById("app")!, backend);
