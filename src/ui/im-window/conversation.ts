// The conversation in the IM window: the lines grouped by sender and minute under a heading for
// each day, each with its state (F5–F7), the offline choices on an IM waiting for a decision
// (F6), an incoming IM in the reader's language with its original one click away (F16), and who
// is typing (XEP-0085). New lines are announced in the live region and carried in the title.
import { type ChatBackend, type ChatContext, type ConversationLine } from "./host";
import { dayOf, type Formats } from "./format";
import { el } from "../dom";
import { avatar, isolate, said } from "../theme/people";
import { markBidi } from "../bidi";
import { problemText, reasonText } from "../problem-text";

export interface ConversationInputs {
  backend: Pick<ChatBackend, "t" | "decide" | "translate">;
  /** Who the other side is: their face on their lines. */
  to: () => ChatContext["to"];
  /** The person as the window names them, bidi marked. */
  person: () => string;
  formats: Formats;
  announce: (text: string) => void;
}

export function conversationPane({ backend, to, person, formats, announce }: ConversationInputs) {
  const t = backend.t;
  const node = el("ol", { id: "conversation", "aria-label": t("conversation") });
  // XEP-0085: the other side typing (not announced: it would talk over what is being read)
  const typing = el("p", { id: "typing", class: "typing muted" });
  const lines = new Map<string, HTMLLIElement>();
  // sent while their presence was unknown and not confirmed: not "offline", which nobody knows
  const stateText = (line: ConversationLine) => (line.unconfirmed ? t("state_unconfirmed") : t(`state_${line.state}`));
  let last: ConversationLine | undefined;
  let shown = false; // lines already there when the window opens are not news

  const head = (line: ConversationLine, at: number) =>
    el(
      "p",
      { class: "msg-head" },
      line.direction === "in" ? avatar(to().name, to().jid, "s", to().avatar) : "",
      said("span", "from", line.direction === "in" ? person() : t("you")),
      " ",
      el("time", { datetime: new Date(at).toISOString() }, formats.clock(at)),
    );

  /** The line's element, made (with a day heading and its head when it starts a group) if new. */
  const lineElement = (line: ConversationLine): { li: HTMLLIElement; fresh: boolean } => {
    const known = lines.get(line.id);
    if (known) return { li: known, fresh: false };
    const at = line.at || Date.now();
    if (!last || dayOf(last.at) !== dayOf(at)) node.append(el("li", { class: "day" }, el("h2", {}, formats.dayLabel(at))));
    const follows = last && last.direction === line.direction && Math.floor(last.at / 60_000) === Math.floor(at / 60_000);
    const li = el("li", { "data-id": line.id, class: `msg ${line.direction}${follows ? " follows" : ""}` });
    if (!follows) li.append(head(line, at));
    lines.set(line.id, li);
    node.append(li);
    last = { ...line, at };
    return { li, fresh: true };
  };

  const render = (line: ConversationLine) => {
    const { li, fresh } = lineElement(line);
    const state = line.state ?? "";
    li.replaceChildren(
      ...[...li.children].filter((c) => c.classList.contains("msg-head")),
      said("span", "text", markBidi(line.text)),
      el(
        "span",
        { class: `state ${state}`, "data-state": state },
        el("span", { class: "mark", "aria-hidden": "true" }),
        el("span", { class: "label" }, state ? stateText(line) : ""),
      ),
    );
    if (fresh && line.direction === "in" && backend.translate) void translated(li, line.text);
    if (line.reason && line.state === "failed") li.append(el("span", { class: "reason" }, reasonText(line, t)));
    if (line.state === "asked") li.append(choices(line.id, line.unconfirmed));
    if (fresh) li.scrollIntoView?.({ block: "end" });
    // the window's title carries the latest state too: visible in the task bar, and to tools
    if (!shown) return;
    const title = t("imTo", isolate(person()));
    if (line.direction === "out" && line.state) document.title = `${title} — ${stateText(line)}`;
    if (fresh && line.direction === "in") {
      typing.textContent = "";
      announce(t("newMessage", isolate(markBidi(line.text))));
      document.title = `${title} — ${t("newMessageTitle")}`;
    }
    if (!fresh && line.state) announce(stateText(line));
  };

  // F16: the reader's language; the original stays one click away, a failure keeps it with the reason
  const translated = async (li: HTMLLIElement, original: string) => {
    const r = await backend.translate!(original).catch(() => undefined);
    const span = li.querySelector(".text");
    if (!r || !span) return;
    if (r.problem) return void span.setAttribute("title", r.problem);
    if (r.text === original) return;
    span.textContent = markBidi(r.text);
    const toggle = el("button", { type: "button", class: "original", "aria-pressed": "false" }, t("showOriginal"));
    toggle.addEventListener("click", () => {
      const showOriginal = toggle.getAttribute("aria-pressed") !== "true";
      span.textContent = markBidi(showOriginal ? original : r.text);
      toggle.setAttribute("aria-pressed", String(showOriginal));
    });
    span.after(" ", toggle);
  };

  // F6: keep, cancel or convert, on the line itself; the first choice has the focus
  const choices = (id: string, unconfirmed = false) => {
    const box = el("div", { class: "choices", role: "group", "aria-label": t("offlineChoices") });
    box.append(el("p", {}, t(unconfirmed ? "notConfirmed" : "contactOffline")));
    for (const c of ["keep", "cancel", "convert"] as const) {
      const b = el("button", { type: "button", "data-choice": c }, t(`choice_${c}`));
      const decide = async () => {
        box.querySelectorAll("button").forEach((x) => (x.disabled = true));
        try {
          render(await backend.decide(id, c));
        } catch (err) {
          announce(problemText(err, t));
        }
      };
      b.addEventListener("click", () => void decide());
      box.append(b);
    }
    queueMicrotask(() => box.querySelector("button")?.focus());
    return box;
  };

  return {
    node,
    typing,
    render,
    /** The lines the window opened with are drawn: from now on a line is news. */
    opened(conversation: ConversationLine[]) {
      conversation.forEach(render);
      shown = true;
    },
    showTyping: (state: string) => (typing.textContent = state === "composing" ? t("typing", isolate(person())) : ""),
  };
}
