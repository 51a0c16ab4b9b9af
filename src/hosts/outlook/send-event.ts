// F25 in Outlook: "Send as IM instead" with Smart Alerts (OnMessageSend, Mailbox 1.12, declared
// in manifest.xml's LaunchEvent with SendMode PromptUser). This file runs where Outlook on
// Windows (classic) runs event handlers: a JavaScript-only runtime with no DOM, no localStorage
// and no XMPP connection — so it keeps to documented Office.js calls and plain JavaScript.
// Who is online comes from the pane: while it is open or pinned it keeps the user's IM contacts
// who are online now in roamingSettings ("rvi-online", with the time it was written), and this
// handler believes it for two minutes. When the email qualifies (the setting on, no attachments,
// short, every recipient online), the send is held with PromptUser: "Send Anyway" sends the
// email, and the dialog's other button — renamed "Send as IM" through Mailbox 1.14 — opens the
// IM invitation pane with the IM ready (the text and recipients are left in the item's
// sessionData, Mailbox 1.11). Anything that cannot be read lets the email go as the person asked.
import en from "../../ui/_locales/en/messages.json";

import { ONLINE_FRESH_MS, ONLINE_KEY, SESSION_KEY } from "./send-as-im-keys";
export { ONLINE_FRESH_MS, ONLINE_KEY, SESSION_KEY };
/** The compose pane's button in manifest.xml (a task pane command, as Smart Alerts requires). */
export const PANE_COMMAND = "rviInvitation";

type Result<T> = { status: string; value: T; error?: { message: string } };
type Cb<T> = (r: Result<T>) => void;
interface Recipients {
  getAsync(cb: Cb<{ emailAddress: string }[]>): void;
}
interface ComposeItem {
  to: Recipients;
  cc: Recipients;
  bcc: Recipients;
  body: { getAsync(type: string, cb: Cb<string>): void };
  getAttachmentsAsync(cb: Cb<{ isInline: boolean }[]>): void;
  sessionData?: { setAsync(name: string, value: string, cb: Cb<void>): void };
}
interface OfficeLike {
  context: {
    mailbox: { item: ComposeItem };
    roamingSettings: { get(name: string): unknown };
    requirements: { isSetSupported(name: string, version: string): boolean };
  };
  actions: { associate(name: string, fn: (event: SendEvent) => void): void };
  MailboxEnums?: { SendModeOverride?: { PromptUser: string } };
}
export interface SendEvent {
  completed(o: Record<string, unknown>): void;
}

const table = en as Record<string, { message: string } | undefined>;
const t = (key: string, ...subs: string[]) => (table[key]?.message ?? key).replace(/\$(\d)/g, (_m, n: string) => subs[Number(n) - 1] ?? "");

/** UTF-8 size without TextEncoder (not promised in the JavaScript-only runtime). */
export function utf8Bytes(text: string): number {
  let n = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}

function call<T>(start: (cb: Cb<T>) => void): Promise<T> {
  return new Promise((ok, fail) => start((r) => (r.status === "succeeded" ? ok(r.value) : fail(new Error(r.error?.message ?? "Office call failed")))));
}

/** Who is online now, as the pane last wrote it (undefined when stale or absent). */
export function onlineNow(raw: unknown, now: number): Set<string> | undefined {
  const o = raw as { at?: unknown; emails?: unknown } | undefined;
  if (!o || typeof o.at !== "number" || now - o.at > ONLINE_FRESH_MS || !Array.isArray(o.emails)) return undefined;
  return new Set(o.emails.filter((e): e is string => typeof e === "string").map((e) => e.toLowerCase()));
}

/** What to answer Outlook: let the email go, or hold it and offer the IM. */
export async function decide(office: OfficeLike, now: number): Promise<Record<string, unknown>> {
  const send = { allowEvent: true };
  const settings = office.context.roamingSettings.get("settings") as { sendAsIm?: boolean; sendAsImMaxBytes?: number } | undefined;
  if (!settings?.sendAsIm) return send;
  const online = onlineNow(office.context.roamingSettings.get(ONLINE_KEY), now);
  if (!online?.size) return send;
  const item = office.context.mailbox.item;
  if ((await call(item.getAttachmentsAsync.bind(item))).some((a) => !a.isInline)) return send;
  const text = (await call<string>((cb) => item.body.getAsync("text", cb))).trim();
  if (!text || utf8Bytes(text) > (settings.sendAsImMaxBytes ?? 2000)) return send;
  const lists = await Promise.all([item.to, item.cc, item.bcc].map((r) => call(r.getAsync.bind(r))));
  const to = lists.flat().map((r) => r.emailAddress.toLowerCase());
  if (!to.length || !to.every((e) => online.has(e))) return send;
  if (item.sessionData) await call<void>((cb) => item.sessionData!.setAsync(SESSION_KEY, JSON.stringify({ text, to }), cb));
  const held: Record<string, unknown> = { allowEvent: false, errorMessage: t("sendAsImOutlookAsk", to.join(", ")) };
  // Mailbox 1.14: the "Don't Send" button becomes "Send as IM" and opens the pane; PromptUser keeps "Send Anyway"
  if (office.context.requirements.isSetSupported("Mailbox", "1.14")) {
    Object.assign(held, {
      cancelLabel: t("sendAsImOutlookButton"),
      commandId: PANE_COMMAND,
      sendModeOverride: office.MailboxEnums?.SendModeOverride?.PromptUser ?? "promptUser",
    });
  }
  return held;
}

/** The handler named in manifest.xml (LaunchEvent FunctionName): every path calls completed(). */
export function onMessageSendHandler(event: SendEvent): void {
  const office = (globalThis as unknown as { Office: OfficeLike }).Office;
  decide(office, Date.now()).then(
    (r) => event.completed(r),
    () => event.completed({ allowEvent: true }),
  );
}

const office = (globalThis as unknown as { Office?: OfficeLike }).Office;
office?.actions?.associate("onMessageSendHandler", onMessageSendHandler);
