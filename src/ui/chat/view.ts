// The IM window (F1–F8): who the IM goes to and why, their presence, the history that goes with
// it, the conversation with each message's state, and the three choices when they are offline.
// Text is always set as text (never as HTML); new messages are announced by an ARIA live region.
import { isProblem } from "../../core/errors";
import { type ChatBackend, type ChatContext, type ConversationLine } from "./protocol";
import { el } from "../dom";
import { accountFieldOf, accountFields } from "../options/account";


const time = (ms: number) => new Date(ms).toLocaleString([], { dateStyle: "short", timeStyle: "short" });

export async function mountChat(root: HTMLElement, backend: ChatBackend): Promise<void> {
  const t = backend.t;
  root.replaceChildren(el("p", { role: "status" }, t("loading")));
  let ctx: ChatContext;
  try {
    ctx = await backend.open();
  } catch (err) {
    const message = (err as Error).message;
    // decided on the error's code (the host's localised text is what the form says)
    // no account, kept keys that no longer fit, or no server found for the address: the form, saying why
    if ((["needs-account", "needs-password", "no-endpoint"] as const).some((code) => isProblem(err, code))) return accountForm(root, backend, message);
    root.replaceChildren(el("p", { role: "alert", class: "error" }, message));
    return;
  }

  const header = el("header");
  // F26: the person by name (email header, address book, roster); the address where no name is known
  const whoName = () => ctx.to.name ?? ctx.to.jid;
  const who = el("h1", { id: "to" }, t("imTo", whoName()));
  const source = el("p", { id: "source", class: "muted" }, t(`source_${ctx.to.source}`) || ctx.to.source);
  const presence = el("p", { id: "presence", role: "status" });
  // not seen is not offline (RFC 6121): someone who does not share their presence is "unknown",
  // with the request one click away, until they are seen online
  let known = ctx.presence !== "unknown";
  const ask = el("button", { type: "button", id: "ask-presence", class: "link" }, t("askPresence"));
  const askPresence = async () => {
    ask.disabled = true;
    try {
      await backend.askPresence?.();
      announce(t("presenceAsked"));
    } catch (err) {
      ask.disabled = false;
      announce((err as Error).message);
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
  const fix = el("button", { type: "button", id: "correct" }, ctx.to.needsConfirmation ? t("confirmAddress") : t("changeAddress"));
  // each async handler says its own failure in the live region; the listener only starts it
  const correct = async () => {
    const jid = prompt(t("askAddress"), ctx.to.jid);
    if (!jid) return;
    try {
      ctx.to = { ...(await backend.correct(jid)), ...(ctx.to.name ? { name: ctx.to.name } : {}) }; // the email's person keeps their name
      who.textContent = t("imTo", whoName());
      source.textContent = t("source_user");
    } catch (err) {
      announce((err as Error).message);
    }
  };
  fix.addEventListener("click", () => void correct());
  const byEmail = el("button", { type: "button", id: "reply-email" }, t("replyByEmail"));
  const replyByEmail = async () => {
    byEmail.disabled = true;
    try {
      await backend.replyByEmail();
      announce(t("emailOpened"));
    } catch (err) {
      announce((err as Error).message);
    } finally {
      byEmail.disabled = false;
    }
  };
  byEmail.addEventListener("click", () => void replyByEmail());
  header.append(who, source, presence, fix, byEmail);
  setPresence(ctx.available);

  // history to attach
  const hist = el("details", { id: "history" });
  hist.append(el("summary", {}, t("historySummary", String(ctx.history.length))));
  const list = el("ol", { class: "history" });
  for (const h of ctx.history) {
    const li = el("li", { class: h.direction });
    li.append(el("span", { class: "when" }, time(h.at)), el("span", { class: "what" }, `${h.kind === "email" ? "✉" : "💬"} ${h.from}${h.subject ? ` — ${h.subject}` : ""}`));
    li.append(el("p", { class: "text" }, h.text.slice(0, 500)));
    if (h.attachments.length) li.append(el("p", { class: "files" }, h.attachments.map((a) => a.name).join(", ")));
    list.append(li);
  }
  const include = el("input", { type: "checkbox", id: "include", checked: "" });
  const includeLabel = el("label", { for: "include" }, t("includeHistory"));
  const days = el("select", { id: "days", "aria-label": t("howFarBack") });
  for (const [v, k] of [["0", "all"], ["7", "week"], ["30", "month"], ["365", "year"]] as const) days.append(el("option", { value: v }, t(`back_${k}`)));
  hist.append(list, include, includeLabel, days);

  // conversation
  const convo = el("ol", { id: "conversation", "aria-label": t("conversation") });
  const live = el("div", { id: "live", "aria-live": "polite", class: "sr-only" });
  const announce = (s: string) => (live.textContent = s);
  const lines = new Map<string, HTMLLIElement>();
  // sent while their presence was unknown and not confirmed: not "offline", which nobody knows
  const stateText = (line: ConversationLine) => (line.unconfirmed ? t("state_unconfirmed") : t(`state_${line.state}`));
  let shown = false; // lines already there when the window opens are not news
  const render = (line: ConversationLine) => {
    let li = lines.get(line.id);
    const fresh = !li;
    if (!li) {
      li = el("li", { "data-id": line.id, class: line.direction });
      lines.set(line.id, li);
      convo.append(li);
    }
    li.replaceChildren(el("span", { class: "text" }, line.text), el("span", { class: `state ${line.state ?? ""}`, "data-state": line.state ?? "" }, line.state ? stateText(line) : ""));
    if (fresh && line.direction === "in" && backend.translate) void translated(li, line.text);
    if (line.reason && line.state === "failed") li.append(el("span", { class: "reason" }, line.reason));
    if (line.state === "asked") li.append(choices(line.id, line.unconfirmed));
    // the window's title carries the latest state too: visible in the task bar, and to tools
    if (!shown) return;
    if (line.direction === "out" && line.state) document.title = `${t("imTo", whoName())} — ${stateText(line)}`;
    if (fresh && line.direction === "in") {
      announce(t("newMessage", line.text));
      document.title = `${t("imTo", whoName())} — ${t("newMessageTitle")}`;
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
    span.textContent = r.text;
    const toggle = el("button", { type: "button", class: "original", "aria-pressed": "false" }, t("showOriginal"));
    toggle.addEventListener("click", () => {
      const showOriginal = toggle.getAttribute("aria-pressed") !== "true";
      span.textContent = showOriginal ? original : r.text;
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
          announce((err as Error).message);
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

  // message box
  const form = el("form", { id: "compose" });
  const box = el("textarea", { id: "message", rows: "3", "aria-label": t("yourMessage"), placeholder: t("yourMessage") });
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
      announce((err as Error).message);
    } finally {
      send.disabled = false;
      box.focus();
    }
  };
  form.addEventListener("submit", (e) => void submit(e));
  box.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) form.requestSubmit();
  });

  backend.subscribe((e) => (e.type === "line" ? render(e.line) : setPresence(e.available)));
  root.replaceChildren(header, hist, convo, form, live);
  document.title = t("imTo", whoName());
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
      status.textContent = field ? t("signInFailed") : (err as Error).message;
      if (field) fields.showError(field, (err as Error).message);
      save.disabled = false;
    }
  };
  form.addEventListener("submit", (e) => void submit(e));
  root.replaceChildren(form);
  document.title = t("accountLegend");
  ([fields.inputs.jid, fields.inputs.password].find((i) => !i.readOnly && !i.value) ?? fields.inputs.password).focus();
}
