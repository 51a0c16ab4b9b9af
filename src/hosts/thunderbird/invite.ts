// The embeddable-IM icon (F10): the popup of the compose button. It prepares a chat session for
// the draft's recipients; the icon can then be dragged into the draft, or Insert puts the
// invitation at the caret (through a compose script).
import { call } from "./call";

const t = (k: string, ...s: string[]) => messenger.i18n.getMessage(k, s) || k;
const hint = document.getElementById("hint")!;
const icon = document.getElementById("icon") as HTMLImageElement;
const insert = document.getElementById("insert") as HTMLButtonElement;
icon.alt = t("inviteIconAlt");
insert.textContent = t("inviteInsert");
hint.textContent = t("invitePreparing");
// the title carries the state too (as in the IM window): visible to assistive tools and tests
const show = (message: string, state: "ready" | "error") => {
  hint.textContent = message.replace(/^needs-account:/, "");
  document.title = `${t("inviteTitle")} — ${t(state === "ready" ? "inviteStateReady" : "inviteStateError")}`;
};

interface Prepared { html: string; text: string; link: string }

async function prepare(): Promise<{ tabId: number; invitation: Prepared }> {
  const [tab] = await (messenger as unknown as { tabs: { query(q: object): Promise<{ id: number }[]> } }).tabs.query({ active: true, currentWindow: true });
  return { tabId: tab!.id, invitation: await call<Prepared>({ command: "invite:prepare", tabId: tab!.id }) };
}

void prepare().then(({ tabId, invitation }) => {
  show(t("inviteReady"), "ready");
  insert.disabled = false;
  insert.focus();
  icon.addEventListener("dragstart", (e) => {
    e.dataTransfer?.setData("text/html", invitation.html);
    e.dataTransfer?.setData("text/plain", invitation.text);
  });
  insert.addEventListener("click", async () => {
    insert.disabled = true;
    try {
      await call({ command: "invite:insert", tabId, html: invitation.html });
      window.close();
    } catch (err) {
      show((err as Error).message, "error");
      insert.disabled = false;
    }
  });
}, (err: Error) => show(err.message, "error"));
