// The IM window's header: who the IM goes to (name, address, face), where the address came from
// with Confirm and Change, their presence with the request to see it, and Reply by email.
import { type ChatBackend, type ChatContext } from "./host";
import { el } from "../dom";
import { avatar, isolate } from "../theme/people";
import { markBidi } from "../bidi";
import { problemText } from "../problem-text";

export interface HeaderInputs {
  backend: ChatBackend;
  /** The window's context; `to` is replaced when the person corrects the address. */
  ctx: ChatContext;
  /** Says something in the window's live region. */
  announce: (text: string) => void;
}

export function chatHeader({ backend, ctx, announce }: HeaderInputs) {
  const t = backend.t;
  const node = el("header", { class: "chat-header" });
  // what others wrote is shown with its reordering controls marked (src/ui/bidi.ts), never obeyed
  const person = () => markBidi(ctx.to.name || ctx.to.jid);
  const who = el("h1", { id: "to" });
  const address = el("p", { id: "address", class: "person-address said", dir: "auto" });
  const face = el("span", { class: "face" });
  const showPerson = () => {
    who.textContent = t("imTo", isolate(person()));
    // the address under the name, smaller; alone (in the heading) when there is no name
    address.textContent = ctx.to.name ? markBidi(ctx.to.jid) : "";
    address.hidden = !ctx.to.name;
    face.replaceChildren(avatar(ctx.to.name, ctx.to.jid, "m", ctx.to.avatar));
  };

  const presence = el("p", { id: "presence", role: "status" });
  // not seen is not offline (RFC 6121): someone who does not share their presence is "unknown",
  // with the request one click away, until they are seen online
  let known = ctx.presence !== "unknown";
  const ask = el("button", { type: "button", id: "ask-presence", class: "quiet" }, t("askPresence"));
  const askPresence = async () => {
    ask.disabled = true;
    try {
      await backend.askPresence?.();
      announce(t("presenceAsked"));
    } catch (err) {
      ask.disabled = false;
      announce(problemText(err, t));
    }
  };
  ask.addEventListener("click", () => void askPresence());
  const setPresence = (available: boolean) => {
    if (available) known = true;
    const state = available ? "online" : known ? "offline" : "unknown";
    presence.replaceChildren(t(state === "unknown" ? "presenceUnknown" : state));
    if (state === "unknown" && backend.askPresence) presence.append(" ", ask);
    presence.className = state;
  };

  // where the address came from: a quiet line, with Confirm (while it is a guess) and Change
  const source = el("p", { id: "source", class: "muted" });
  const confirm = el("button", { type: "button", id: "confirm", class: "quiet", "aria-label": t("confirmAddress") }, t("confirmShort"));
  const fix = el("button", { type: "button", id: "correct", class: "quiet", "aria-label": t("changeAddress") }, t("changeShort"));
  const showSource = () => {
    // an address a mail claims says which email: the person can judge whether that mail was theirs
    const ev = ctx.to.evidence;
    const which = ev ? t("sourceEmail", ev.subject ? isolate(markBidi(ev.subject)) : "—", ev.date ? new Date(ev.date).toLocaleDateString() : "—") : "";
    source.textContent = (t(`source_${ctx.to.source}`) || ctx.to.source) + (which ? ` (${which})` : "");
    confirm.hidden = !ctx.to.needsConfirmation;
  };
  // each async handler says its own failure in the live region; the listener only starts it
  const correct = async (jid: string | null) => {
    if (!jid) return;
    try {
      ctx.to = { ...(await backend.correct(jid)), ...(ctx.to.name ? { name: ctx.to.name } : {}) }; // the email's person keeps their name
      showPerson();
      showSource();
      fix.focus();
    } catch (err) {
      announce(problemText(err, t));
    }
  };
  confirm.addEventListener("click", () => void correct(ctx.to.jid));
  fix.addEventListener("click", () => void correct(prompt(t("askAddress"), ctx.to.jid)));

  const byEmail = el("button", { type: "button", id: "reply-email" }, t("replyByEmail"));
  const replyByEmail = async () => {
    byEmail.disabled = true;
    try {
      await backend.replyByEmail();
      announce(t("emailOpened"));
    } catch (err) {
      announce(problemText(err, t));
    } finally {
      byEmail.disabled = false;
    }
  };
  byEmail.addEventListener("click", () => void replyByEmail());

  showPerson();
  showSource();
  setPresence(ctx.available);
  node.append(
    face,
    el("div", { class: "who" }, who, address, el("div", { class: "source-line" }, source, confirm, fix)),
    el("div", { class: "header-side" }, presence, byEmail),
  );
  return {
    node,
    /** The person as the window names them (their name, else their address), bidi marked. */
    person,
    setPresence,
    /** The Confirm button: where focus goes when a send waits for the address to be confirmed. */
    confirm,
  };
}
export type ChatHeader = ReturnType<typeof chatHeader>;
