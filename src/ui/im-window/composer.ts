// The IM window's message box: Ctrl+Enter or Send; the box is free as soon as the IM is in the
// conversation, and the text comes back if it could not go (nothing written is lost). While the
// person types it tells the other side (XEP-0085): "composing" at most every 10 s, "paused" after
// 5 s without a key, "active" when the box is emptied.
import { isProblem } from "../../core/errors";
import { type ChatBackend, type ConversationLine, type SendOptions } from "./host";
import { el } from "../dom";
import { problemText } from "../problem-text";

export interface ComposerInputs {
  backend: Pick<ChatBackend, "t" | "send" | "typing">;
  /** What goes with the IM (the history panel's choice). */
  options: () => SendOptions;
  /** The line the send gave, to draw. */
  sent: (line: ConversationLine) => void;
  announce: (text: string) => void;
  /** Where focus goes when the address must be confirmed first (the header's Confirm). */
  confirm: HTMLElement;
}

export function composer({ backend, options, sent, announce, confirm }: ComposerInputs) {
  const t = backend.t;
  const node = el("form", { id: "compose" });
  const box = el("textarea", { id: "message", rows: "2", "aria-label": t("yourMessage"), placeholder: t("yourMessage"), dir: "auto" });
  const send = el("button", { type: "submit", id: "send" }, t("send"));
  node.append(box, send);
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const text = box.value.trim();
    if (!text) return;
    send.disabled = true;
    box.value = ""; // the IM is in the conversation (and the outbox) from now on; the box is free
    const giveBack = () => {
      if (!box.value.trim()) box.value = text; // nothing written is lost
    };
    try {
      const line = await backend.send(text, options());
      sent(line);
      if (line.state === "failed") giveBack();
    } catch (err) {
      giveBack();
      announce(problemText(err, t));
      // an address only a mail claimed: the text waits in the box while the person confirms it
      if (isProblem(err, "address-unconfirmed")) return confirm.focus();
    } finally {
      send.disabled = false;
      if (document.activeElement !== confirm) box.focus();
    }
  };
  node.addEventListener("submit", (e) => void submit(e));
  box.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) node.requestSubmit();
  });

  let composingAt = 0;
  let pause: ReturnType<typeof setTimeout> | undefined;
  const tell = (state: "composing" | "paused" | "active") => void backend.typing?.(state).catch(() => undefined); // a chat state lost is harmless: the next one says it again
  box.addEventListener("input", () => {
    clearTimeout(pause);
    if (!box.value.trim()) {
      if (composingAt) tell("active");
      composingAt = 0;
      return;
    }
    if (Date.now() - composingAt > 10_000) {
      tell("composing");
      composingAt = Date.now();
    }
    pause = setTimeout(() => {
      tell("paused");
      composingAt = 0;
    }, 5_000);
  });
  node.addEventListener("submit", () => {
    clearTimeout(pause);
    composingAt = 0;
  });
  return { node, focus: () => box.focus() };
}
