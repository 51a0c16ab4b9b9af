// F24/F13 linked both ways, on the email's side: a quiet line above an email that IMs followed —
// "3 IMs with Bob Builder after this email" — that opens the chat with them. A message display
// script beside the transcript banner (transcript-script.ts), not inside it. The script is
// registered as code (the function below, which uses nothing but its page's globals), so it
// needs no bundle of its own; only the background knows which email its tab shows (the sender's
// tab), so the script asks with one message the background answers here.
import type { HistoryFolder } from "./history-folder";

/** What the script asks, and what it is answered. */
export const IM_LINE_ASK = "rvi-ims-after-email";
export interface ImLineAnswer { text: string; jid: string }

/** Runs in the message pane: asks for the line, shows it above the email, opens the chat on a click. */
export function imLineScript(ask: string): void {
  const api = (globalThis as unknown as { browser: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).browser;
  void api.runtime.sendMessage({ [ask]: true }).then((answer) => {
    const a = answer as { text?: string; jid?: string } | null;
    if (!a?.text || document.getElementById("rvi-ims-after")) return;
    const line = document.createElement("p");
    line.id = "rvi-ims-after";
    line.style.cssText = "font: message-box; margin: 0 0 0.8em; opacity: 0.8;";
    const open = document.createElement("button");
    open.type = "button";
    open.textContent = a.text;
    open.style.cssText = "font: inherit; color: LinkText; background: none; border: none; padding: 0; cursor: pointer; text-decoration: underline;";
    open.addEventListener("click", () => void api.runtime.sendMessage({ command: "chat:window", jid: a.jid }));
    line.append("💬 ", open);
    document.body.prepend(line);
  }, () => undefined); // no background answering (the add-on is reloading): the email shows without the line
}

type Sender = { tab?: { id?: number } };
type Listener = (msg: unknown, sender: Sender) => Promise<ImLineAnswer | null> | undefined;

/** Registers the script and answers it: the displayed email's line, or null when no IM followed it. */
export function showImLine(history: HistoryFolder, t: (key: string, ...subs: string[]) => string) {
  const m = messenger as unknown as {
    runtime: { onMessage: { addListener(l: Listener): void } };
    messageDisplay: { getDisplayedMessage(tabId: number): Promise<{ headerMessageId: string } | null> };
    messageDisplayScripts: { register(o: object): Promise<unknown> };
  };
  m.runtime.onMessage.addListener((msg, sender) => {
    if (!msg || typeof msg !== "object" || !(IM_LINE_ASK in msg)) return undefined;
    return (async () => {
      const tabId = sender.tab?.id;
      const shown = tabId === undefined ? null : await m.messageDisplay.getDisplayedMessage(tabId);
      const after = shown?.headerMessageId ? await history.imsAfter(shown.headerMessageId) : null;
      if (!after) return null;
      const name = after.name ?? after.counterpart.replace(/^xmpp:/, "");
      return { text: after.count === 1 ? t("imsAfterEmailOne", name) : t("imsAfterEmail", String(after.count), name), jid: after.to };
    })();
  });
  return m.messageDisplayScripts.register({ js: [{ code: `(${imLineScript.toString()})(${JSON.stringify(IM_LINE_ASK)});` }] });
}
