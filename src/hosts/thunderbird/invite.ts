// The embeddable-IM icon (F10): the popup of the compose button. It prepares a chat session for
// the draft's recipients; the icon can then be dragged into the draft, or Insert puts the
// invitation at the caret (through a compose script).
import { call } from "./call";
import { mountAccess } from "../../ui/invite-access";
import type { Invitation, PreparedInvitation } from "../../ui/protocol";
import { problemText } from "../../ui/problem-text";

const t = (k: string, ...s: string[]) => messenger.i18n.getMessage(k, s) || k;
const hint = document.getElementById("hint")!;
const icon = document.getElementById("icon") as HTMLImageElement;
const insert = document.getElementById("insert") as HTMLButtonElement;
icon.alt = t("inviteIconAlt");
insert.textContent = t("inviteInsert");
hint.textContent = t("invitePreparing");
// the title carries the state too (as in the IM window): visible to assistive tools and tests
const STATES = { ready: "inviteStateReady", "ready-no-web-link": "inviteStateReadyNoWebLink", error: "inviteStateError" } as const;
const show = (message: string, state: keyof typeof STATES) => {
  hint.textContent = message;
  document.title = `${t("inviteTitle")} — ${t(STATES[state])}`;
};

type Prepared = Invitation;
const note = document.createElement("p");
note.id = "web-link";

/** No web link in the invitation: why, and who can set it up (F10). */
function sayWebLink(p: PreparedInvitation) {
  if (p.webLink === "ok") return note.remove();
  note.textContent = p.webLink === "not-set" ? t("inviteNoJoinPage") : t("inviteJoinPageUnreachable", p.joinPage);
  hint.after(note);
}

async function prepare(): Promise<{ tabId: number; invitation: PreparedInvitation }> {
  const [tab] = await messenger.tabs.query({ active: true, currentWindow: true });
  return { tabId: tab!.id, invitation: await call("invite:prepare", { tabId: tab!.id }) };
}

let current: Prepared | undefined;
const access = mountAccess(document.querySelector("main")!, t, async (a) => {
  if (!current) return;
  current = await call("invite:configure", { session: current.session, membersOnly: a.membersOnly, password: a.password });
});

void prepare().then(
  ({ tabId, invitation: first }) => {
    current = first;
    sayWebLink(first);
    const invitation = {
      get html() {
        return current!.html;
      },
      get text() {
        return current!.text;
      },
    };
    show(t("inviteReady"), first.webLink === "ok" ? "ready" : "ready-no-web-link");
    insert.disabled = false;
    access.enable();
    insert.focus();
    icon.addEventListener("dragstart", (e) => {
      e.dataTransfer?.setData("text/html", invitation.html);
      e.dataTransfer?.setData("text/plain", invitation.text);
    });
    // a failure to insert is said in the popup's status line; the listener only starts the work
    const insertInvitation = async () => {
      insert.disabled = true;
      try {
        await call("invite:insert", { tabId, html: invitation.html });
        window.close();
      } catch (err) {
        show(problemText(err, t), "error");
        insert.disabled = false;
      }
    };
    insert.addEventListener("click", () => void insertInvitation());
  },
  (err: Error) => show(err.message, "error"),
);
