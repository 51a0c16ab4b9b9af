// The IM invitation pane in an Outlook draft (F10): a chat session (a UUID room) made for the
// draft's recipients, who are invited; Insert puts the invitation at the caret
// (body.setSelectedDataAsync, HTML — or its text line in a text draft), in every Outlook. The icon
// can be dragged too (text/html and text/plain), where the Outlook client takes such a drop into
// the body: Microsoft documents drops only into a pane, so the pane says Insert is the way.
import { isProblem } from "../../core/errors";
import { getMessage as t } from "../../ui/i18n";
import { mountAccess } from "../../ui/invite-access";
import { loadConfig } from "./settings-store";
import { paneEngine } from "./pane-engine";
import { officeLoaded, outsideOutlook } from "./outside";
import { draftDetails, inOutlook, insertAtCaret, missingRequirement } from "./office";
import { useOfficeLanguage } from "./language";
import { heldIm, offerSendAsIm } from "./send-as-im";
import { problemText, said } from "../../ui/problem-text";

await useOfficeLanguage(); // before any text is set: the pane speaks Outlook's language

const hint = document.getElementById("hint")!;
const icon = document.getElementById("icon") as HTMLImageElement;
const insert = document.getElementById("insert") as HTMLButtonElement;
const retry = document.getElementById("retry") as HTMLButtonElement;
icon.alt = t("inviteIconAlt");
insert.textContent = t("inviteInsert");
retry.textContent = t("tryAgain");

// the title carries the state too (as in Thunderbird's popup): visible to assistive tools and tests
function show(message: string, state: "ready" | "error" | "busy") {
  hint.textContent = message;
  document.title = state === "busy" ? t("inviteTitle") : `${t("inviteTitle")} — ${t(state === "ready" ? "inviteStateReady" : "inviteStateError")}`;
  retry.hidden = state !== "error";
}

interface Prepared {
  session: string;
  html: string;
  text: string;
  invited: string[];
}
let invitation: Prepared | undefined;
const access = mountAccess(document.getElementById("options")!, t, async (a) => {
  if (!invitation) return;
  invitation = await (await paneEngine("outlook-compose")).sessions.configure(invitation.session, { membersOnly: a.membersOnly, password: a.password });
});

async function prepare(): Promise<void> {
  show(t("invitePreparing"), "busy");
  insert.disabled = true;
  try {
    const { recipients, subject } = await draftDetails();
    if (!recipients.length) throw said(t, "no-recipient", t("inviteNoRecipients"));
    const e = await paneEngine("outlook-compose");
    const { settings } = await loadConfig();
    // the icon in the email is the one hosted with these pages (a data: image may be stripped)
    invitation = await e.sessions.create({
      recipients,
      subject,
      joinPage: settings.joinPage,
      iconUrl: new URL("assets/embed-im-32.png", location.href).toString(),
    });
    show(t("inviteReadyOutlook"), "ready"); // no Outlook documents a drop from a pane into the body: Insert is the way (docs/deploy-outlook.md)
    if (invitation.invited.length) document.getElementById("invited")!.textContent = t("invitedList", invitation.invited.join(", "));
    insert.disabled = false;
    access.enable();
    insert.focus();
  } catch (err) {
    show(isProblem(err, "needs-account") ? t("composeNeedsAccount") : problemText(err, t), "error");
    retry.focus();
  }
}

icon.addEventListener("dragstart", (e) => {
  if (!invitation) return e.preventDefault();
  e.dataTransfer?.setData("text/html", invitation.html);
  e.dataTransfer?.setData("text/plain", invitation.text);
});
// a failure to insert is said in the pane's status line; the listener only starts the work
const insertInvitation = async () => {
  if (!invitation) return;
  insert.disabled = true;
  try {
    await insertAtCaret(invitation.html, invitation.text);
    show(t("inviteInserted"), "ready");
  } catch (err) {
    show(problemText(err, t), "error");
  } finally {
    insert.disabled = false;
  }
};
insert.addEventListener("click", () => void insertInvitation());
retry.addEventListener("click", () => void prepare());

/** Outside Outlook (no Office host, or no Office.js at all): what this is and where it works, in place of the pane. */
function outside() {
  document.querySelector("main")!.replaceChildren(outsideOutlook());
  document.title = t("inviteTitle");
}

if (!officeLoaded()) outside();
else
  void Office.onReady().then((info) => {
    if (!inOutlook(info)) return outside();
    const missing = missingRequirement("compose");
    if (missing) return show(missing, "error");
    // F25: opened by "Send as IM" at Send — the IM is offered first, the invitation stays below
    void heldIm().then(
      (held) =>
        held &&
        offerSendAsIm(
          held,
          (box) => document.querySelector("main")!.prepend(box),
          () => paneEngine("outlook-compose"),
        ),
    );
    void prepare();
  });
