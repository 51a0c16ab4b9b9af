// The IM window (F1–F8): who the IM goes to and why, their presence, the history that goes with
// it, the conversation with each message's state, and the three choices when they are offline.
// Text is always set as text (never as HTML); new messages are announced by an ARIA live region.
// This file puts the window's parts together — header.ts, history.ts, conversation.ts,
// composer.ts, each over explicit inputs — and opens the account form when there is no account.
import { isProblem } from "../../core/errors";
import { type ChatBackend, type ChatContext } from "./host";
import { el } from "../dom";
import { isolate } from "../theme/people";
import { problemText } from "../problem-text";
import { accountForm } from "./account-form";
import { composer } from "./composer";
import { conversationPane } from "./conversation";
import { formatsFor } from "./format";
import { chatHeader } from "./header";
import { historyPanel } from "./history";

/** The codes for which the window asks for the account instead of showing the error. */
const ASK_ACCOUNT = ["needs-account", "needs-password", "no-endpoint", "endpoint-elsewhere", "plain-after-scram"] as const;

export async function mountChat(root: HTMLElement, backend: ChatBackend): Promise<void> {
  const t = backend.t;
  const formats = formatsFor(t("@@ui_locale"));
  root.replaceChildren(el("p", { role: "status" }, t("loading")));
  let ctx: ChatContext;
  try {
    ctx = await backend.open();
  } catch (err) {
    const message = problemText(err, t);
    // decided on the error's code (the host's localised text is what the form says)
    // no account, kept keys that no longer fit, no server found for the address, or one not to
    // trust (on another domain; PLAIN after SCRAM): the form, saying why
    if (ASK_ACCOUNT.some((code) => isProblem(err, code))) return accountForm(root, backend, message, () => mountChat(root, backend));
    root.replaceChildren(el("p", { role: "alert", class: "error" }, message));
    return;
  }

  const live = el("div", { id: "live", "aria-live": "polite", class: "sr-only" });
  const announce = (s: string) => (live.textContent = s);
  const header = chatHeader({ backend, ctx, announce });
  const history = historyPanel({ backend, history: ctx.history, formats, announce });
  const conversation = conversationPane({ backend, to: () => ctx.to, person: header.person, formats, announce });
  conversation.opened(ctx.conversation);
  const box = composer({ backend, options: history.choice, sent: conversation.render, announce, confirm: header.confirm });

  backend.subscribe((e) =>
    e.type === "line" ? conversation.render(e.line) : e.type === "typing" ? conversation.showTyping(e.state) : header.setPresence(e.available),
  );
  // the history to attach, then the conversation, scroll together (the summary is reachable by Tab)
  const scroller = el("div", { class: "scroll" }, history.node, conversation.node);
  root.replaceChildren(header.node, scroller, conversation.typing, box.node, live);
  root.classList.add("chat");
  conversation.node.lastElementChild?.scrollIntoView?.({ block: "end" });
  document.title = t("imTo", isolate(header.person()));
  box.focus();
}
