// The embeddable-IM icon (F10): the popup of the compose button. It prepares a chat session for
// the draft's recipients; the icon can then be dragged into the draft, or Insert puts the
// invitation at the caret (through a compose script).
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
  const r = (await messenger.runtime.sendMessage({ command: "invite:prepare", tabId: tab!.id })) as { ok: boolean; value?: Prepared; error?: string };
  if (!r?.ok) throw new Error(r?.error ?? t("noBackground"));
  return { tabId: tab!.id, invitation: r.value! };
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
    const r = (await messenger.runtime.sendMessage({ command: "invite:insert", tabId, html: invitation.html })) as { ok: boolean; error?: string };
    if (r?.ok) window.close();
    else {
      show(r?.error ?? t("noBackground"), "error");
      insert.disabled = false;
    }
  });
}, (err: Error) => show(err.message, "error"));
