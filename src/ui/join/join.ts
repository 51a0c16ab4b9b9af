// The web join page (F11): anyone with the invitation link joins the email's live chat with
// nothing but a browser. It reads the session from the link (the fragment never reaches a
// server), asks only for a name or email (remembered here), logs in as a guest — or with the
// person's own XMPP account — over WSS, joins the UUID room, shows the room's history (MAM) and
// then live messages, one area per participant, with who is here, and a message box. The page
// draws; its host (src/hosts/web/room.ts, given as `openRoom`) speaks XMPP.
import { isProblem } from "../../core/errors";
import { parseInvitationLink, type Invitation } from "../../core/invitations";
import { boundedTranslator, forReader, LANGUAGES, libreTranslate, type Translator } from "../../core/translation";
import { el } from "../dom";
import { isolate } from "../theme/people";
import { markBidi } from "../bidi";
import { getMessage as t, languageTag, currentLocale, plural } from "../i18n";
import { problemText } from "../problem-text";
import type { OpenRoom, RoomLine, RoomSession } from "./session";

export interface JoinConfig {
  /** The XMPP server's WebSocket (wss://; ws:// only on loopback). */
  service: string;
  /** Where guests log in anonymously; by default the MUC domain's sibling "guest.…". */
  guestDomain?: string;
  /** A LibreTranslate server (F16); without one, messages are shown as written. */
  translateUrl?: string;
}

const NAME_KEY = "reply-via-im:join-name";
const LANGUAGE_KEY = "reply-via-im:join-language";

/** A page that says what went wrong and what to do; the title says it too. */
function problem(root: HTMLElement, title: string, what: string, todo: string) {
  root.replaceChildren(el("h1", {}, title), el("p", { role: "alert", id: "problem" }, what), el("p", {}, todo));
  root.className = "problem";
  document.title = t("join_pageTitle", title);
}

export function guestDomainFor(inv: Invitation, config: JoinConfig): string {
  return config.guestDomain || inv.mucDomain.replace(/^[^.]+\./, "guest.");
}

const time = (ms: number) => new Date(ms).toLocaleTimeString(languageTag(currentLocale()), { hour: "2-digit", minute: "2-digit" });

export async function mountJoin(root: HTMLElement, href: string, loadConfig: () => Promise<JoinConfig>, openRoom: OpenRoom): Promise<void> {
  let inv: Invitation;
  try {
    inv = parseInvitationLink(href);
  } catch {
    return problem(root, t("join_linkBrokenTitle"), t("join_linkBroken"), t("join_linkBrokenTodo"));
  }
  let config: JoinConfig;
  try {
    config = await loadConfig();
  } catch {
    return problem(root, t("join_noConfigTitle"), t("join_noConfig"), t("join_noConfigTodo"));
  }

  // the form: a name is all that is needed; an own account is optional
  const form = el("form", { id: "join" });
  form.append(
    el("h1", {}, t("join_heading")),
    // who invited is what the link claims (anyone can write a link): said as the link's word
    el("p", { class: "muted" }, inv.from ? t("join_invitedBy", isolate(markBidi(inv.from))) : t("join_nothingToInstall")),
    el("label", { for: "name" }, t("join_nameLabel")),
  );
  const name = el("input", { id: "name", name: "name", required: "", autocomplete: "name", maxlength: "64" });
  name.value = localStorage.getItem(NAME_KEY) ?? "";
  const own = el("details", { id: "own-account" });
  const jid = el("input", { id: "jid", name: "jid", autocomplete: "username", placeholder: "you@example.org" });
  const password = el("input", { id: "password", name: "password", type: "password", autocomplete: "current-password" });
  own.append(
    el("summary", {}, t("join_ownAccount")),
    el("label", { for: "jid" }, t("jidLabel")),
    jid,
    el("label", { for: "password" }, t("passwordLabel")),
    password,
  );
  const status = el("p", { id: "status", role: "status", "aria-live": "polite" });
  const join = el("button", { type: "submit", id: "join-button" }, t("join_button"));
  // a session with a password: asked for only when the room says it needs one
  const roomPassword = el("input", { id: "room-password", name: "room-password", type: "password", autocomplete: "off" });
  const roomPasswordLabel = el("label", { for: "room-password" }, t("join_roomPassword"));
  roomPassword.hidden = roomPasswordLabel.hidden = true;
  form.append(name, roomPasswordLabel, roomPassword, own, join, status);
  root.replaceChildren(form);
  root.className = "";
  document.title = t("join_pageTitle", t("join_titleJoin"));
  name.focus();

  // the join's failure is said on the page (status line or problem page); the listener only starts it
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const nick = name.value.trim().slice(0, 64);
    if (!nick) return;
    localStorage.setItem(NAME_KEY, nick);
    join.disabled = true;
    status.textContent = t("join_joining");
    try {
      const own = jid.value.trim();
      await enterRoom(root, openRoom, {
        service: config.service,
        inv,
        nick,
        guestDomain: guestDomainFor(inv, config),
        ...(own ? { account: { jid: own, password: password.value } } : {}),
        translator: config.translateUrl ? boundedTranslator(libreTranslate({ url: config.translateUrl })) : undefined,
        password: roomPassword.value || undefined,
      });
    } catch (err) {
      join.disabled = false;
      if (isProblem(err, "room-gone")) {
        return problem(root, t("join_endedTitle"), t("join_ended"), t("join_endedTodo"));
      }
      if (isProblem(err, "room-password")) {
        const again = !roomPassword.hidden;
        roomPassword.hidden = roomPasswordLabel.hidden = false;
        roomPassword.value = "";
        roomPassword.focus();
        status.textContent = again ? t("join_wrongPassword") : inv.from ? t("join_needsPasswordFrom", isolate(markBidi(inv.from))) : t("join_needsPassword");
        return;
      }
      status.textContent = problemText(err, t);
    }
  };
  form.addEventListener("submit", (e) => void submit(e));
}

interface Entry {
  service: string;
  inv: Invitation;
  nick: string;
  guestDomain: string;
  account?: { jid: string; password: string };
  translator?: Translator;
  password?: string;
}

async function enterRoom(root: HTMLElement, openRoom: OpenRoom, { translator, ...request }: Entry) {
  const { nick } = request;
  // the room once joined; the callbacks below run from before the join, and read it when it is there
  const joined: { session?: RoomSession } = {};
  const seen = new Set<string>();
  const areas = new Map<string, { section: HTMLElement; list: HTMLOListElement; presence: HTMLElement }>();

  const header = el("header");
  const here = el("p", { id: "here", class: "muted" });
  const leave = el("button", { type: "button", id: "leave" }, t("join_leave"));
  header.append(el("h1", {}, t("transcriptTitle")), here, leave);
  // F16: each reader picks their language; every message keeps its original one click away
  const shown: { who: string; body: string; span: HTMLElement; toggle: HTMLButtonElement }[] = [];
  let language = translator ? (localStorage.getItem(LANGUAGE_KEY) ?? "") : "";
  const translate = async (entry: (typeof shown)[number]) => {
    entry.toggle.hidden = true;
    entry.span.textContent = markBidi(entry.body);
    entry.span.removeAttribute("lang");
    if (!translator || !language || entry.who === nick) return;
    const asked = language;
    const tr = await forReader(translator, entry.body, { language: asked });
    if (asked !== language) return; // the reader changed language meanwhile
    if (tr.problem) return void entry.span.setAttribute("title", tr.problem);
    if (tr.text === entry.body) return;
    entry.span.textContent = markBidi(tr.text);
    entry.span.setAttribute("lang", asked);
    entry.toggle.hidden = false;
    entry.toggle.setAttribute("aria-pressed", "false");
    entry.toggle.textContent = t("showOriginal");
    entry.toggle.onclick = () => {
      const original = entry.toggle.getAttribute("aria-pressed") !== "true";
      entry.span.textContent = markBidi(original ? entry.body : tr.text);
      entry.toggle.setAttribute("aria-pressed", String(original));
      entry.toggle.textContent = original ? t("join_showTranslation") : t("showOriginal");
    };
  };
  if (translator) {
    const select = el("select", { id: "language" });
    select.append(el("option", { value: "" }, t("join_asWritten")));
    for (const [code, label] of LANGUAGES) select.append(el("option", { value: code }, label));
    select.value = language;
    select.addEventListener("change", () => {
      language = select.value;
      localStorage.setItem(LANGUAGE_KEY, language);
      for (const entry of shown) void translate(entry);
    });
    header.append(el("label", { for: "language" }, `${t("join_showIn")} `), select);
  }
  const grid = el("div", { id: "areas", class: "areas" });
  const live = el("div", { id: "live", class: "sr-only", "aria-live": "polite" });
  const box = el("form", { id: "say" });
  const text = el("textarea", { id: "message", rows: "2", "aria-label": t("join_yourMessage"), placeholder: t("join_messageHint") });
  const send = el("button", { type: "submit" }, t("send"));
  box.append(text, send);
  let unread = 0;
  const title = () => {
    const n = joined.session?.occupants().length ?? 0;
    document.title = `${unread && document.hidden ? `(${unread}) ` : ""}${t("join_pageTitle", plural(t, "join_hereCount", n))}`;
  };
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) unread = 0;
    title();
  });

  /** One area per participant: their messages together, marked as theirs. */
  const area = (who: string) => {
    let a = areas.get(who);
    if (a) return a;
    const name = markBidi(who); // shown with its reordering controls marked (src/ui/bidi.ts)
    const section = el("section", { class: who === nick ? "area mine" : "area", "data-nick": who, "aria-label": who === nick ? t("join_you", name) : name });
    const presence = el("span", { class: "presence" });
    const h = el("h2", {}, who === nick ? t("join_you", isolate(name)) : isolate(name)); // a name cannot turn the heading around
    h.append(presence);
    const list = el("ol", { class: "messages" });
    section.append(h, list);
    grid.append(section);
    a = { section, list, presence };
    areas.set(who, a);
    return a;
  };
  const show = (who: string, body: string, at: number, key: string | undefined, fresh: boolean) => {
    if (key && seen.has(key)) return;
    if (key) seen.add(key);
    const li = el("li");
    const span = el("span", { class: "body", dir: "auto" }, markBidi(body)); // its own direction, isolated (join.css)
    const toggle = el("button", { type: "button", class: "original", hidden: "" });
    li.append(el("time", { datetime: new Date(at).toISOString() }, time(at)), span, toggle);
    area(who).list.append(li);
    const entry = { who, body, span, toggle };
    shown.push(entry);
    void translate(entry);
    if (fresh && who !== nick) {
      live.textContent = `${isolate(markBidi(who))}: ${isolate(markBidi(body))}`;
      if (document.hidden) unread++;
      title();
    }
  };
  const presenceOf = () => {
    const present = new Set(joined.session?.occupants() ?? []);
    for (const [who, a] of areas) {
      a.presence.textContent = ` · ${present.has(who) ? t("join_isHere") : t("join_hasLeft")}`;
      a.section.classList.toggle("away", !present.has(who));
    }
    here.textContent = t(
      "join_hereNow",
      [...present]
        .sort()
        .map((p) => isolate(markBidi(p)))
        .join(", ") || t("join_onlyYou"),
    );
    title();
  };

  const room = await openRoom({
    ...request,
    onMessage: (line: RoomLine) => show(line.who, line.body, line.at, line.key, true),
    onOccupant: (who, present) => {
      if (present) area(who);
      if (joined.session) presenceOf(); // before the join is done, the page shows who is here once it is
    },
  });
  joined.session = room;
  area(nick);
  root.replaceChildren(header, grid, box, live);
  // the room's history, then what is said live (a message in both is shown once)
  for (const h of room.history) show(h.who, h.body, h.at, h.key, false);
  presenceOf();

  // a failure to send is said in the live region, and the text is given back
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const body = text.value.trim();
    if (!body) return;
    text.value = "";
    try {
      await room.send(body);
    } catch (err) {
      if (!text.value) text.value = body; // nothing written is lost
      live.textContent = t("join_notSent", problemText(err, t));
    }
  };
  box.addEventListener("submit", (e) => void submit(e));
  text.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey) {
      e.preventDefault();
      box.requestSubmit();
    }
  });
  const goodbye = () => room.leave();
  // goodbye() cannot fail (each step's failure is ignored: the page is left either way)
  const leaveRoom = async () => {
    leave.disabled = true;
    await goodbye();
    const again = el("button", { type: "button", id: "rejoin" }, t("join_again"));
    again.addEventListener("click", () => location.reload());
    root.replaceChildren(el("h1", {}, t("join_leftTitle")), el("p", { role: "status" }, t("join_leftText")), again);
    document.title = t("join_pageTitle", t("join_titleLeft"));
    again.focus();
  };
  leave.addEventListener("click", () => void leaveRoom());
  window.addEventListener("pagehide", () => void goodbye());
  text.focus();
}
