// The history that goes with the IM: the earlier emails as subject, date and first lines (each
// with Open email, F24), the IMs as said, and whether and how far back it is sent.
import { type ChatBackend, type ChatContext } from "./host";
import type { Formats } from "./format";
import { el } from "../dom";
import { said } from "../theme/people";
import { markBidi } from "../bidi";
import { problemText } from "../problem-text";

export interface HistoryInputs {
  backend: Pick<ChatBackend, "t" | "openEmail">;
  history: ChatContext["history"];
  formats: Formats;
  announce: (text: string) => void;
}

export function historyPanel({ backend, history, formats, announce }: HistoryInputs) {
  const t = backend.t;
  const openEmailButton = (messageId: string, subject: string) => {
    const b = el("button", { type: "button", class: "open-email", "aria-label": t("openEmailNamed", markBidi(subject) || t("openEmail")) }, t("openEmail"));
    const open = async () => {
      try {
        await backend.openEmail!(messageId);
      } catch (err) {
        announce(problemText(err, t)); // gone from the mailbox, or not found: said, nothing else changes
      }
    };
    b.addEventListener("click", () => void open());
    return b;
  };
  const node = el("details", { id: "history" });
  node.append(el("summary", {}, t("historySummary", String(history.length))));
  const list = el("ol", { class: "history" });
  for (const h of history) {
    const li = el("li", { class: `${h.direction} ${h.kind}` });
    const from = h.direction === "out" ? t("you") : markBidi(h.fromName || h.from);
    const head = el("p", { class: "head" }, said("span", "from", from), " · ", el("time", { datetime: new Date(h.at).toISOString() }, formats.time(h.at)));
    if (h.kind === "email" && h.subject) li.append(said("p", "subject", markBidi(h.subject)));
    li.append(head, said("p", "text", markBidi(h.text.slice(0, 500))));
    if (h.attachments.length) li.append(el("p", { class: "files" }, h.attachments.map((a) => markBidi(a.name)).join(", ")));
    // F24: the email the conversation started from (or any earlier one) one click away
    if (h.kind === "email" && h.messageId && backend.openEmail) li.append(openEmailButton(h.messageId, h.subject ?? ""));
    list.append(li);
  }
  const include = el("input", { type: "checkbox", id: "include", checked: "" });
  const includeLabel = el("label", { for: "include" }, t("includeHistory"));
  const days = el("select", { id: "days", "aria-label": t("howFarBack") });
  for (const [v, k] of [
    ["0", "all"],
    ["7", "week"],
    ["30", "month"],
    ["365", "year"],
  ] as const)
    days.append(el("option", { value: v }, t(`back_${k}`)));
  node.append(list, el("div", { class: "history-options" }, include, includeLabel, days));
  return {
    node,
    /** What the person chose to send with the next IM. */
    choice: () => ({ includeHistory: include.checked, historyDays: Number(days.value), historyLimit: 20 }),
  };
}
