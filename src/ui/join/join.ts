// The web join page (F11): anyone with the invitation link joins the email's live chat with
// nothing but a browser. It reads the session from the link (the fragment never reaches a
// server), asks only for a name or email (remembered here), logs in as a guest — or with the
// person's own XMPP account — over WSS, joins the UUID room, shows the room's history (MAM) and
// then live messages, one area per participant, with who is here, and a message box. The page
// draws; its host (src/hosts/web/room.ts, given as `openRoom`) speaks XMPP.
import { isProblem } from "../../core/errors";
import { parseInvitationLink, type Invitation } from "../../core/invitations";
import { boundedTranslator, libreTranslate } from "../../core/translation";
import { el } from "../dom";
import { isolate } from "../theme/people";
import { markBidi } from "../bidi";
import { getMessage as t } from "../i18n";
import { problemText } from "../problem-text";
import { enterRoom } from "./room";
import type { OpenRoom } from "./session";

export interface JoinConfig {
  /** The XMPP server's WebSocket (wss://; ws:// only on loopback). */
  service: string;
  /** Where guests log in anonymously; by default the MUC domain's sibling "guest.…". */
  guestDomain?: string;
  /** A LibreTranslate server (F16); without one, messages are shown as written. */
  translateUrl?: string;
}

const NAME_KEY = "reply-via-im:join-name";

/** A page that says what went wrong and what to do; the title says it too. */
function problem(root: HTMLElement, title: string, what: string, todo: string) {
  root.replaceChildren(el("h1", {}, title), el("p", { role: "alert", id: "problem" }, what), el("p", {}, todo));
  root.className = "problem";
  document.title = t("join_pageTitle", title);
}

export function guestDomainFor(inv: Invitation, config: JoinConfig): string {
  return config.guestDomain || inv.mucDomain.replace(/^[^.]+\./, "guest.");
}

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
