// The Office host adapter: with the other files of src/hosts/outlook, the only code that touches
// Office.*. It reads the item (read or compose shapes), opens reply and new-message forms, shows
// notices in the item's info bar, and says which requirement set is missing (F20).
import { normaliseEmail, OUTLOOK_HTML_LIMIT, type EmailInput, type MailEvidence } from "../../core";
import { getMessage as t } from "../../ui/i18n";
import { said } from "../../ui/problem-text";

/** Resolves an Office async call (callback last, AsyncResult) to its value, or rejects with its error. */
export function officeAsync<T>(start: (cb: (r: Office.AsyncResult<T>) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    try {
      start((r) =>
        r.status === Office.AsyncResultStatus.Succeeded ? resolve(r.value) : reject(said(t, "host", t("outlookRefused", r.error?.message ?? "unknown error"))),
      );
    } catch (err) {
      reject(said(t, "host", t("outlookRefused", (err as Error).message)));
    }
  });
}

/** What each pane needs, with the lowest Mailbox version for it (manifest.xml says the same). */
export const NEEDS = {
  read: [{ set: "Mailbox", version: "1.3", for: "the item's text and notices" }],
  compose: [{ set: "Mailbox", version: "1.3", for: "inserting the invitation" }],
};

/** F20: null when everything needed is there, else a message naming what is missing and why. */
export function missingRequirement(pane: keyof typeof NEEDS): string | null {
  for (const need of NEEDS[pane]) {
    if (!Office.context.requirements.isSetSupported(need.set, need.version)) return t("missingRequirement", `${need.set} ${need.version}`, need.for);
  }
  return null;
}

/** Mailbox 1.5: the pane can be pinned and follows the selected message. */
export function canPin(): boolean {
  return Office.context.requirements.isSetSupported("Mailbox", "1.5");
}

export function inOutlook(info: { host: Office.HostType | null }): boolean {
  return info.host === Office.HostType.Outlook && Boolean(Office.context?.mailbox);
}

export function me(): string {
  return Office.context.mailbox.userProfile.emailAddress;
}

type Item = Office.MessageRead | Office.MessageCompose;

function item(): Item | null {
  return (Office.context.mailbox.item as Item | null | undefined) ?? null;
}

/** Read and compose items differ in shape: in compose, subject is an object with getAsync. */
export function isReadItem(i: Item | null = item()): i is Office.MessageRead {
  return Boolean(i) && typeof (i as Office.MessageRead).subject === "string";
}

export interface ReadEmail extends EmailInput {
  conversationId?: string;
}

function sameAddress(a: string, b: string): boolean {
  try {
    return normaliseEmail(a) === normaliseEmail(b);
  } catch {
    return false; // a From that is no address matches nobody
  }
}

/** "Bob Builder <bob@example.org>" as in a mail header, so the person's name goes with the address (F26). */
function addressHeader(who: Office.EmailAddressDetails | undefined): string {
  if (!who?.emailAddress) return "";
  const name = who.displayName?.replace(/["\\]/g, "").trim();
  return name && name.toLowerCase() !== who.emailAddress.toLowerCase() ? `"${name}" <${who.emailAddress}>` : who.emailAddress;
}

/** The email on display: from, to/cc, subject, text, attachments, ids — null when none is selected. */
export async function readItem(): Promise<ReadEmail | null> {
  const i = item();
  if (!i || !isReadItem(i)) return null;
  const text = await officeAsync<string>((cb) => i.body.getAsync(Office.CoercionType.Text, cb));
  return {
    messageId: i.internetMessageId || undefined,
    conversationId: i.conversationId || undefined,
    from: addressHeader(i.from ?? i.sender),
    to: [...(i.to ?? []), ...(i.cc ?? [])].map((r) => r.emailAddress),
    subject: i.subject,
    date: new Date(i.dateTimeCreated).getTime(),
    text,
    attachments: (i.attachments ?? []).filter((a) => !a.isInline).map((a) => ({ name: a.name, size: a.size, contentType: a.contentType })),
  };
}

/** For mapping (F2): the displayed email is the one mail of this person the pane can read. */
export function evidenceFrom(mail: ReadEmail | null) {
  return async (email: string): Promise<MailEvidence[]> =>
    mail && sameAddress(mail.from, email) ? [{ headers: {}, text: mail.text ?? "", ...(mail.date ? { date: mail.date } : {}), subject: mail.subject }] : [];
}

/** The draft's recipients (To and Cc) and subject, in the compose pane. */
export async function draftDetails(): Promise<{ recipients: string[]; subject: string }> {
  const i = item() as Office.MessageCompose | null;
  if (!i || isReadItem(i)) return { recipients: [], subject: "" };
  const [to, cc, subject] = await Promise.all([
    officeAsync<Office.EmailAddressDetails[]>((cb) => i.to.getAsync(cb)),
    officeAsync<Office.EmailAddressDetails[]>((cb) => i.cc.getAsync(cb)),
    officeAsync<string>((cb) => i.subject.getAsync(cb)),
  ]);
  return { recipients: [...to, ...cc].map((r) => r.emailAddress).filter(Boolean), subject };
}

/** Puts the invitation at the caret: HTML in an HTML draft, its text line in a plain-text one. */
export async function insertAtCaret(html: string, text: string): Promise<void> {
  const i = item() as Office.MessageCompose;
  const type = await officeAsync<Office.CoercionType>((cb) => i.body.getTypeAsync(cb));
  const isHtml = type === Office.CoercionType.Html;
  await officeAsync<void>((cb) =>
    i.body.setSelectedDataAsync(isHtml ? html : text, { coercionType: isHtml ? Office.CoercionType.Html : Office.CoercionType.Text }, cb),
  );
}

/** F6(c): the reply form on the displayed email, its HTML body within Outlook's 32 KB. */
export function displayReply(htmlLimited: string): void {
  const i = item();
  if (!i || !isReadItem(i)) throw said(t, "no-recipient", t("chooseEmail"));
  if (htmlLimited.length > OUTLOOK_HTML_LIMIT) throw said(t, "too-large", t("outlookRefused", "the reply is over 32 KB"));
  i.displayReplyForm({ htmlBody: htmlLimited });
}

/** F9: a new message form (the chat as an email). */
export function displayNew(draft: { to: string[]; subject: string; htmlLimited: string }): void {
  Office.context.mailbox.displayNewMessageForm({ toRecipients: draft.to, subject: draft.subject, htmlBody: draft.htmlLimited });
}

/** A notice in the item's info bar (at most 150 characters, keys at most 32). Never throws. */
export async function notice(key: string, message: string): Promise<void> {
  const i = item();
  if (!i) return;
  const text = message.length > 150 ? `${message.slice(0, 149)}…` : message;
  await officeAsync<void>((cb) =>
    i.notificationMessages.replaceAsync(
      key.slice(0, 32),
      {
        type: Office.MailboxEnums.ItemNotificationMessageType.InformationalMessage,
        message: text,
        icon: "Icon.16",
        persistent: false,
      },
      cb,
    ),
  ).catch(() => undefined); // an info-bar notice is a courtesy: the pane already shows what happened
}

/** Mailbox 1.5: a pinned pane hears when another message is selected. */
export function onItemChanged(fn: () => void): void {
  if (!canPin()) return;
  Office.context.mailbox.addHandlerAsync(Office.EventType.ItemChanged, fn, () => undefined);
}

/** Opens a web page (the join page) in the user's browser: OpenBrowserWindowApi 1.1 where offered. */
export function openInBrowser(url: string) {
  if (Office.context.requirements.isSetSupported("OpenBrowserWindowApi", "1.1")) Office.context.ui.openBrowserWindow(url);
  else window.open(url, "_blank", "noopener");
}
