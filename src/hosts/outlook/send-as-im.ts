// F25 in Outlook, the compose pane's side: Send was held by the Smart Alerts handler and the
// person chose "Send as IM" (the dialog's button opens this pane). The IM it left in the item's
// sessionData is offered here: one button sends it to every recipient, with the thread's history;
// when all went, the draft is closed (Outlook asks about unsaved changes); when one did not, the
// draft stays as it is and the line says which and why — nothing is lost.
import type { Engine } from "../../engine/engine";
import { getMessage as t } from "../../ui/i18n";
import { SESSION_KEY } from "./send-as-im-keys";
import { problemText } from "../../ui/problem-text";

interface Held {
  text: string;
  to: string[];
}
type Result<T> = { status: string; value: T };
interface SessionItem {
  sessionData?: { getAsync(name: string, cb: (r: Result<string>) => void): void; removeAsync(name: string, cb: (r: Result<void>) => void): void };
  close?(): void;
}

/** The IM the handler left for this draft, if any (none, unreadable or malformed: undefined). */
export function heldIm(): Promise<Held | undefined> {
  const data = (Office.context.mailbox.item as unknown as SessionItem | null)?.sessionData;
  if (!data) return Promise.resolve(undefined);
  return new Promise((ok) =>
    data.getAsync(SESSION_KEY, (r) => {
      if (r.status !== "succeeded" || !r.value) return ok(undefined);
      try {
        const v = JSON.parse(r.value) as Partial<Held>;
        ok(
          typeof v.text === "string" && v.text && Array.isArray(v.to) && v.to.length && v.to.every((x) => typeof x === "string")
            ? { text: v.text, to: v.to }
            : undefined,
        );
      } catch {
        ok(undefined); // not ours, or cut short: the pane is the plain invitation pane
      }
    }),
  );
}

/** The offer, above the invitation: what goes to whom, and Send as IM. */
export function offerSendAsIm(held: Held, place: (box: HTMLElement) => void, engine: () => Promise<Engine>): void {
  const box = document.createElement("section");
  box.id = "send-as-im";
  box.setAttribute("aria-labelledby", "send-as-im-title");
  const title = Object.assign(document.createElement("h2"), { id: "send-as-im-title", textContent: t("sendAsImOutlookTitle", held.to.join(", ")) });
  const text = Object.assign(document.createElement("p"), { className: "said", textContent: held.text, dir: "auto" });
  const status = Object.assign(document.createElement("p"), { id: "send-as-im-status", role: "status" });
  const button = Object.assign(document.createElement("button"), { type: "button", id: "send-as-im-button", textContent: t("sendAsImOutlookButton") });
  const send = async () => {
    button.disabled = true;
    status.textContent = t("sendAsImSending");
    try {
      const e = await engine();
      const failed: string[] = [];
      for (const to of held.to) {
        const out = await e.replyViaIm(held.text, { to, whenUnavailable: "cancel" });
        if (!["sent", "delivered"].includes(out.state)) failed.push(`${to} (${out.reason ?? t(`state_${out.state}`)})`);
      }
      if (failed.length) {
        status.textContent = t("sendAsImSomeFailed", failed.join(", "));
        button.disabled = false;
        return;
      }
      status.textContent = t("sendAsImDone", held.to.join(", "));
      const item = Office.context.mailbox.item as unknown as SessionItem;
      item.sessionData?.removeAsync(SESSION_KEY, () => undefined); // gone with the draft anyway
      item.close?.(); // Mailbox 1.3: the draft is closed; Outlook asks about unsaved changes
    } catch (err) {
      status.textContent = problemText(err, t);
      button.disabled = false;
    }
  };
  button.addEventListener("click", () => void send());
  box.append(title, text, button, status);
  place(box);
  button.focus();
}
