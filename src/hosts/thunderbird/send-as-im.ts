// F25 "Send as IM instead" (opt-in, off by default): when the person sends a short email (no
// attachments, text under the size in Options) whose every recipient is an IM contact online
// now, the send is held and a notice offers the IM: a click on it sends the text as IMs with the
// thread's history and closes the draft; pressing Send again sends the email as it is. If any IM
// fails, nothing is lost: the draft stays open, a notice says why, and Send sends it as email.
// (Thunderbird's notifications have no buttons, so the notice itself is "Send as IM" and the
// draft's own Send button is "Send as email".)
import { byteLength, CLAIMED_SOURCES, htmlToText, nameFromHeader, normaliseEmail, type EmailInput, type Settings } from "../../core";
import type { Engine } from "../../engine/engine";
import type { EngineHolder } from "../../engine/holder";
import { readMessage } from "./mail";
import { problemText } from "../../ui/problem-text";

interface Details {
  to?: unknown[];
  cc?: unknown[];
  bcc?: unknown[];
  subject?: string;
  body?: string;
  plainTextBody?: string;
  isPlainText?: boolean;
  relatedMessageId?: number;
}
interface Offer {
  tabId: number;
  text: string;
  recipients: string[];
  names: string[];
  original?: EmailInput & { references?: string[] };
}

/** The new text of a reply: what comes before the quoted email. */
export function ownText(d: Details): string {
  if (d.isPlainText || d.body === undefined) return (d.plainTextBody ?? "").split(/\n(?:On .* wrote:\n)?>/)[0]!.trim();
  const before = d.body.split(/<div class="moz-cite-prefix"|<blockquote/i)[0]!;
  return htmlToText(before).trim();
}

const addresses = (list: unknown[] | undefined) => (list ?? []).map((r) => (typeof r === "string" ? r : ""));

export function sendAsImInstead(deps: {
  holder: EngineHolder;
  settings: () => Promise<Settings>;
  t: (key: string, ...subs: string[]) => string;
  notify: (id: string, title: string, message: string) => unknown;
}) {
  const { t } = deps;
  /** Drafts whose next Send goes as email: the person pressed Send again, or an IM failed. */
  const asEmail = new Set<number>();
  const offers = new Map<string, Offer>();
  const api = messenger;

  /** Whom the IMs go to, when every recipient is an IM contact online now; else undefined (it goes as email). */
  async function onlineRecipients(e: Engine, d: Details): Promise<{ emails: string[]; names: string[] } | undefined> {
    const all = [...addresses(d.to), ...addresses(d.cc), ...addresses(d.bcc)];
    if (!all.length || all.some((a) => !a)) return undefined; // a mailing list or an address-book list: email
    const out = { emails: [] as string[], names: [] as string[] };
    for (const a of all) {
      let email: string;
      try {
        email = normaliseEmail(a);
      } catch {
        return undefined; // an address the mail client takes but we cannot read: email
      }
      const mapping = await e.mapper.resolve(email);
      if (mapping.needsConfirmation && CLAIMED_SOURCES.has(mapping.source)) return undefined; // a mail's claim, not confirmed: email
      if (!e.features.presence.isAvailable(mapping.jid)) return undefined;
      out.emails.push(email);
      out.names.push(nameFromHeader(a) ?? email);
    }
    return out;
  }

  async function offer(tabId: number, d: Details, s: Settings): Promise<Offer | undefined> {
    const e = deps.holder.current;
    if (!e?.connection || e.connection.xmpp.status !== "online") return undefined; // not connected: nobody is online for us
    if ((await api.compose.listAttachments(tabId)).length) return undefined;
    const text = ownText(d);
    if (!text || byteLength(text) > s.sendAsImMaxBytes) return undefined;
    const online = await onlineRecipients(e, d);
    if (!online) return undefined;
    // the thread's email: the history goes with the IM and the IM is linked to it (F24)
    const original = d.relatedMessageId ? await readMessage(d.relatedMessageId).catch(() => undefined) : undefined;
    return { tabId, text, recipients: online.emails, names: online.names, original };
  }

  async function accept(id: string, o: Offer) {
    offers.delete(id);
    const e = await deps.holder.get();
    const failed: string[] = [];
    for (const to of o.recipients) {
      const threadOriginal = o.original && normaliseEmail(o.original.from) === to ? o.original : undefined;
      const out = await e
        .replyViaIm(o.text, { to, original: threadOriginal, whenUnavailable: "cancel" })
        .catch((err: Error) => ({ state: "failed", reason: err.message }));
      if (out.state !== "sent" && out.state !== "delivered") failed.push(`${to}: ${out.reason ?? out.state}`);
    }
    if (failed.length) {
      deps.notify(`send-as-im-failed:${o.tabId}`, t("sendAsImFailedTitle"), t("sendAsImFailed", failed.join("; ")));
      return; // the draft stays; asEmail still holds it, so Send sends the email
    }
    asEmail.delete(o.tabId);
    await api.tabs.remove(o.tabId);
    deps.notify(`send-as-im-sent:${o.tabId}`, t("sendAsImSentTitle"), t("sendAsImSent", o.names.join(", ")));
  }

  api.compose.onBeforeSend.addListener(async (tab, d) => {
    if (asEmail.delete(tab.id)) return undefined; // the person's second Send: as email
    const s = await deps.settings();
    if (!s.sendAsIm) return undefined;
    // anything that cannot be checked sends the email as the person asked
    const o = await offer(tab.id, d, s).catch((err: Error) => void console.warn("Reply via IM: Send as IM instead:", err.message));
    if (!o) return undefined;
    const id = `send-as-im:${tab.id}`;
    offers.set(id, o);
    asEmail.add(tab.id);
    deps.notify(id, t("sendAsImTitle"), t("sendAsImAsk", o.names.join(", ")));
    return { cancel: true };
  });

  api.notifications.onClicked.addListener((id) => {
    const o = offers.get(id);
    if (o)
      void accept(id, o).catch((err: unknown) =>
        deps.notify(`send-as-im-failed:${o.tabId}`, t("sendAsImFailedTitle"), t("sendAsImFailed", problemText(err, t))),
      );
  });
}
