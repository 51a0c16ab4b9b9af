// F24/F13 linked both ways, on the email's side: a quiet line above an email that IMs followed —
// "3 IMs with Bob Builder after this email" — that opens the chat with them. A message display
// script beside the transcript banner (transcript-script.ts), not inside it. The script is
// registered as code (the function below, which uses nothing but its page's globals), so it
// needs no bundle of its own; only the background knows which email its tab shows (the sender's
// tab), so the script asks by the command "mail:im-line", which the background's one listener
// answers with `imLine` below.
import type { Command, Reply } from "../../ui/protocol";
import type { HistoryFolder } from "./history-folder";

/** Runs in the message pane: asks for the line ("mail:im-line"), shows it above the email, opens the chat on a click. */
export function imLineScript(): void {
  const send = (m: Command) => browser.runtime.sendMessage(m);
  void send({ command: "mail:im-line" }).then(
    (reply) => {
      const r = reply as Reply<"mail:im-line"> | undefined;
      const a = r?.ok ? r.value : null;
      if (!a?.text || document.getElementById("rvi-ims-after")) return;
      const line = document.createElement("p");
      line.id = "rvi-ims-after";
      line.style.cssText = "font: message-box; margin: 0 0 0.8em; opacity: 0.8;";
      const open = document.createElement("button");
      open.type = "button";
      open.textContent = a.text;
      open.style.cssText = "font: inherit; color: LinkText; background: none; border: none; padding: 0; cursor: pointer; text-decoration: underline;";
      open.addEventListener("click", () => void send({ command: "chat:window", jid: a.jid }));
      line.append("💬 ", open);
      document.body.prepend(line);
    },
    () => undefined,
  ); // no background answering (the add-on is reloading): the email shows without the line
}

/** The line for the email a tab shows, or null when no IM followed it (the background's "mail:im-line"). */
export function imLine(history: HistoryFolder, t: (key: string, ...subs: string[]) => string) {
  return async (tabId: number | undefined): Promise<{ text: string; jid: string } | null> => {
    const shown = tabId === undefined ? null : await messenger.messageDisplay.getDisplayedMessage(tabId);
    const after = shown?.headerMessageId ? await history.imsAfter(shown.headerMessageId) : null;
    if (!after) return null;
    const name = after.name ?? after.counterpart.replace(/^xmpp:/, "");
    return { text: after.count === 1 ? t("imsAfterEmailOne", name) : t("imsAfterEmail", String(after.count), name), jid: after.to };
  };
}

/** Registers the script; the background's one listener answers it. */
export function showImLine(): Promise<unknown> {
  return messenger.messageDisplayScripts.register({ js: [{ code: `(${imLineScript.toString()})();` }] });
}
