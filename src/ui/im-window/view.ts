// The IM window (F1–F8): who the IM goes to and why, their presence, the history that goes with
// it, the conversation with each message's state, and the three choices when they are offline.
// Text is always set as text (never as HTML); new messages are announced by an ARIA live region.
import { isProblem } from "../../core/errors";
import { type ChatBackend, type ChatContext, type ConversationLine } from "./host";
import { el } from "../dom";
import { avatar, isolate, said } from "../theme/people";
import { markBidi } from "../bidi";
import { accountFieldOf, accountFields } from "../options/account";
import { problemText, reasonText } from "../problem-text";

/** Dates and times in the language the strings are in (the host's "@@ui_locale"), else the browser's. */
let locales: string[] = [];
const time = (ms: number) => new Date(ms).toLocaleString(locales, { dateStyle: "medium", timeStyle: "short" });
const clock = (ms: number) => new Date(ms).toLocaleTimeString(locales, { hour: "2-digit", minute: "2-digit" });
const dayOf = (ms: number) => new Date(ms).toDateString();
/** "today", "yesterday", else the date, through Intl. */
function dayLabel(ms: number): string {
  const days = Math.round((new Date(dayOf(Date.now())).getTime() - new Date(dayOf(ms)).getTime()) / 86_400_000);
  if (days === 0 || days === 1) return new Intl.RelativeTimeFormat(locales, { numeric: "auto" }).format(-days, "day");
  return new Date(ms).toLocaleDateString(locales, { weekday: "long", day: "numeric", month: "long", year: days > 300 ? "numeric" : undefined });
}

export async function mountChat(root: HTMLElement, backend: ChatBackend): Promise<void> {
  const t = backend.t;
  const ui = t("@@ui_locale");
  locales = /^[a-z]{2,3}([_-][A-Za-z0-9]+)*$/.test(ui) ? [ui.replace(/_/g, "-")] : [];
  root.replaceChildren(el("p", { role: "status" }, t("loading")));
  let ctx: ChatContext;
  try {
    ctx = await backend.open();
  } catch (err) {
    const message = problemText(err, t);
    // decided on the error's code (the host's localised text is what the form says)
    // no account, kept keys that no longer fit, no server found for the address, or one not to
    // trust (on another domain; PLAIN after SCRAM): the form, saying why
    if ((["needs-account", "needs-password", "no-endpoint", "endpoint-elsewhere", "plain-after-scram"] as const).some((code) => isProblem(err, code)))
      return accountForm(root, backend, message);
    root.replaceChildren(el("p", { role: "alert", class: "error" }, message));
    return;
  }

  const header = el("header", { class: "chat-header" });
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
  header.append(
    face,
    el("div", { class: "who" }, who, address, el("div", { class: "source-line" }, source, confirm, fix)),
    el("div", { class: "header-side" }, presence, byEmail),
  );

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
  // history to attach: the earlier emails as subject, date and first lines; the IMs as said
  const hist = el("details", { id: "history" });
  hist.append(el("summary", {}, t("historySummary", String(ctx.history.length))));
  const list = el("ol", { class: "history" });
  for (const h of ctx.history) {
    const li = el("li", { class: `${h.direction} ${h.kind}` });
    const from = h.direction === "out" ? t("you") : markBidi(h.fromName || h.from);
    const head = el("p", { class: "head" }, said("span", "from", from), " · ", el("time", { datetime: new Date(h.at).toISOString() }, time(h.at)));
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
  hist.append(list, el("div", { class: "history-options" }, include, includeLabel, days));

  // conversation: grouped by sender and minute, a line for each day
  const convo = el("ol", { id: "conversation", "aria-label": t("conversation") });
  const live = el("div", { id: "live", "aria-live": "polite", class: "sr-only" });
  const announce = (s: string) => (live.textContent = s);
  // XEP-0085: the other side typing (not announced: it would talk over what is being read)
  const typing = el("p", { id: "typing", class: "typing muted" });
  const lines = new Map<string, HTMLLIElement>();
  // sent while their presence was unknown and not confirmed: not "offline", which nobody knows
  const stateText = (line: ConversationLine) => (line.unconfirmed ? t("state_unconfirmed") : t(`state_${line.state}`));
  let last: ConversationLine | undefined;
  let shown = false; // lines already there when the window opens are not news
  const render = (line: ConversationLine) => {
    let li = lines.get(line.id);
    const fresh = !li;
    if (!li) {
      const at = line.at || Date.now();
      if (!last || dayOf(last.at) !== dayOf(at)) convo.append(el("li", { class: "day" }, el("h2", {}, dayLabel(at))));
      const follows = last && last.direction === line.direction && Math.floor(last.at / 60_000) === Math.floor(at / 60_000);
      li = el("li", { "data-id": line.id, class: `msg ${line.direction}${follows ? " follows" : ""}` });
      if (!follows) {
        const name = line.direction === "in" ? person() : t("you");
        li.append(
          el(
            "p",
            { class: "msg-head" },
            line.direction === "in" ? avatar(ctx.to.name, ctx.to.jid, "s", ctx.to.avatar) : "",
            said("span", "from", name),
            " ",
            el("time", { datetime: new Date(at).toISOString() }, clock(at)),
          ),
        );
      }
      lines.set(line.id, li);
      convo.append(li);
      last = { ...line, at };
    }
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
  ctx.conversation.forEach(render);
  shown = true;
  const showTyping = (state: string) => (typing.textContent = state === "composing" ? t("typing", isolate(person())) : "");

  // message box
  const form = el("form", { id: "compose" });
  const box = el("textarea", { id: "message", rows: "2", "aria-label": t("yourMessage"), placeholder: t("yourMessage"), dir: "auto" });
  const send = el("button", { type: "submit", id: "send" }, t("send"));
  form.append(box, send);
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
      const line = await backend.send(text, { includeHistory: include.checked, historyDays: Number(days.value), historyLimit: 20 });
      render(line);
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
  form.addEventListener("submit", (e) => void submit(e));
  box.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) form.requestSubmit();
  });

  // while the person types: "composing" at most every 10 s, "paused" after 5 s without a key, "active" once sent
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
  form.addEventListener("submit", () => {
    clearTimeout(pause);
    composingAt = 0;
  });

  backend.subscribe((e) => (e.type === "line" ? render(e.line) : e.type === "typing" ? showTyping(e.state) : setPresence(e.available)));
  // the history to attach, then the conversation, scroll together (the summary is reachable by Tab)
  const scroller = el("div", { class: "scroll" }, hist, convo);
  root.replaceChildren(header, scroller, typing, form, live);
  root.classList.add("chat");
  convo.lastElementChild?.scrollIntoView?.({ block: "end" });
  document.title = t("imTo", isolate(person()));
  box.focus();
}

/**
 * No account yet (or its password is needed again): ask for it here rather than sending the user
 * elsewhere — the address and the password; the server only under Advanced (F23). Sign in tests
 * and keeps it; a failure is said beside the field it concerns.
 */
async function accountForm(root: HTMLElement, backend: ChatBackend, why: string) {
  const t = backend.t;
  const defaults = (await backend.accountDefaults?.().catch(() => undefined)) ?? { locked: [] };
  const form = el("form", { id: "account" });
  const status = el("p", { role: "alert", id: "account-status" }, why);
  const fields = accountFields({ t, prefix: "account-", values: { service: defaults.service, jid: defaults.jid }, locked: defaults.locked });
  fields.inputs.password.required = true;
  const save = el("button", { type: "submit", id: "account-save" }, t("signIn"));
  form.append(el("h1", {}, t("accountLegend")), status, ...fields.nodes, save);
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    save.disabled = true;
    fields.clearErrors();
    status.textContent = t("signingIn");
    try {
      await backend.configure(fields.value());
      await mountChat(root, backend);
    } catch (err) {
      const field = accountFieldOf(err);
      status.textContent = field ? t("signInFailed") : problemText(err, t);
      if (field) fields.showError(field, problemText(err, t));
      save.disabled = false;
    }
  };
  form.addEventListener("submit", (e) => void submit(e));
  root.replaceChildren(form);
  document.title = t("accountLegend");
  ([fields.inputs.jid, fields.inputs.password].find((i) => !i.readOnly && !i.value) ?? fields.inputs.password).focus();
}
