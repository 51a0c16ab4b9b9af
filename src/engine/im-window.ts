// The IM window's side of the engine, shared by both hosts: what the window shows when it is
// opened on an email or on a person, sending from it, and the offline choices — all as the
// lines the window draws (these types are the window's protocol: src/ui/im-window/host). Hosts bring the mail; nothing here touches them.
import { nameFromHeader, type DeliveryState, type EmailInput, type Evidence, type OutboxItem } from "../core";
import type { Choice, Engine, Outcome } from "./engine";
import { bareOf } from "../xmpp/jids";

export interface HistoryLine {
  kind: "email" | "im";
  direction: "in" | "out";
  at: number;
  from: string;
  /** The sender's name when known (the person's, or the one the header gives). */
  fromName?: string;
  /** An email's Message-ID (no angle brackets), so the window can open it (F24). */
  messageId?: string;
  subject?: string;
  text: string;
  attachments: { name: string; size: number }[];
  theirs: boolean;
}

export interface ChatContext {
  subject: string;
  /** `name`: how the person is called (email header, address book, roster); the address is under it. */
  /** `evidence`: for an address found in mail, which email said so (shown beside the source). */
  to: { email: string; jid: string; source: string; needsConfirmation: boolean; evidence?: Evidence; name?: string; avatar?: string };
  available: boolean;
  /** What is known of their presence: "unknown" when they do not share it with the user (not offline). */
  presence?: "online" | "offline" | "unknown";
  history: HistoryLine[];
  conversation: ConversationLine[];
}

export interface ConversationLine {
  id: string;
  direction: "in" | "out";
  text: string;
  at: number;
  state?: DeliveryState;
  reason?: string;
  /** The reason as a code (a bounce's stanza condition, "gave-up"): the page's words for it, else `reason`. */
  reasonCode?: string;
  /** Sent while their presence was unknown and not confirmed in time: the choices are about that, not about being offline. */
  unconfirmed?: boolean;
}

export interface SendOptions {
  includeHistory: boolean;
  historyDays: number; // 0 = all
  historyLimit: number;
}

export type Original = EmailInput & { references?: string[] };

/** What the window is opened on: an email (Reply via IM) or a person (an incoming IM). */
export interface ChatTarget {
  mail?: Original;
  jid?: string;
}

export function lineOf(item: OutboxItem): ConversationLine {
  const unconfirmed = item.state === "asked" && item.transitions.at(-2)?.state === "sent";
  return {
    id: item.id,
    direction: "out",
    text: item.text,
    at: item.createdAt,
    state: item.state,
    reason: item.reason,
    ...(item.reasonCode ? { reasonCode: item.reasonCode } : {}),
    ...(unconfirmed ? { unconfirmed } : {}),
  };
}

export async function lineFromOutcome(e: Engine, out: Outcome): Promise<ConversationLine> {
  const item = await e.item(out.id);
  return item ? lineOf(item) : { id: out.id, direction: "out", text: "", at: Date.now(), state: out.state, reason: out.reason };
}

/**
 * F1–F4: who the IM goes to (and where the address came from), presence, and the history —
 * the email itself and the earlier ones the host found (`earlier`), plus the stored IMs.
 */
export async function openChatContext(e: Engine, target: ChatTarget, earlier: (email: string) => Promise<EmailInput[]> = async () => []): Promise<ChatContext> {
  let to: ChatContext["to"];
  const record = async (email: string) => {
    // the host's earlier mails only add to the history: one it cannot read (or store) is said in
    // the console and the window opens with the rest
    const mails = await earlier(email).catch((err) => (console.warn("Reply via IM: earlier emails:", err), []));
    await Promise.all(mails.map((mail) => e.recordEmail(mail, email).catch((err) => console.warn("Reply via IM: an earlier email:", err))));
  };
  if (target.mail) {
    const mapping = await e.mapper.resolve(target.mail.from);
    await e.recordEmail(target.mail, mapping.email);
    await record(mapping.email);
    to = {
      email: mapping.email,
      jid: mapping.jid,
      source: mapping.source,
      needsConfirmation: mapping.needsConfirmation,
      ...(mapping.evidence ? { evidence: mapping.evidence } : {}),
    };
  } else if (target.jid) {
    const back = await e.mapper.reverse(target.jid);
    await record(back.email);
    to = { email: back.email, jid: target.jid, source: back.source, needsConfirmation: back.source === "convention" };
  } else {
    throw new Error("There is nothing to open: choose an email first.");
  }
  const name = (await e.people.nameOf({ email: to.email, jid: to.jid }))?.name;
  if (name) to.name = name;
  // their picture as kept (a data: URL); asked for again in the background, never waited for —
  // of a known person only: an address an email claims gets no request because of that email
  const avatar = await e.avatars.cached(to.jid);
  if (avatar) to.avatar = avatar;
  if (await e.contacts.isKnown(bareOf(to.jid))) void e.avatars.refresh(to.jid).catch((err) => console.warn("Reply via IM: a published picture:", err)); // no picture: initials
  const h = await e.history(to.email, { limit: 20 });
  // the user's own recent IMs to them (kept ones after a restart too) are in the conversation
  // with their state — queued, delivered, failed — not among the earlier exchanges
  const outgoing = (await e.outgoingTo(to.email)).map(lineOf);
  const own = new Set(outgoing.map((l) => l.id));
  const ims = h.items.filter((x) => x.kind === "im" && !own.has(x.key)).slice(-30);
  const chatSoFar = target.mail
    ? outgoing
    : [...ims.map((x): ConversationLine => ({ id: x.key, direction: x.direction, text: x.text, at: x.at })), ...outgoing];
  return {
    subject: target.mail?.subject ?? "",
    to,
    available: e.features.presence.isAvailable(to.jid),
    presence: e.features.presence.presenceOf(to.jid),
    history: h.items
      .filter((x) => !own.has(x.key))
      .map((x) => {
        const fromName = nameFromHeader(x.from) ?? (x.direction === "in" ? name : undefined);
        const messageId = x.kind === "email" && !x.key.startsWith("no-id:") ? x.key : undefined;
        return {
          kind: x.kind,
          direction: x.direction,
          at: x.at,
          from: x.from,
          ...(fromName ? { fromName } : {}),
          ...(messageId ? { messageId } : {}),
          subject: x.subject,
          text: x.text,
          attachments: x.attachments,
          theirs: x.origin === "theirs",
        };
      }),
    // opened on a person: the chat so far is the conversation; on an email, the IMs still on their way
    conversation: chatSoFar.sort((a, b) => a.at - b.at),
  };
}

/** Sends what the user wrote, with the history they chose; the line shows the IM's state. */
export async function sendFromChat(e: Engine, target: ChatTarget, text: string, o: SendOptions): Promise<{ line: ConversationLine; outcome: Outcome }> {
  const since = o.historyDays ? Date.now() - o.historyDays * 86_400_000 : 0;
  const outcome = await e.replyViaIm(text, {
    original: target.mail,
    to: target.mail ? undefined : target.jid,
    history: o.includeHistory ? { limit: o.historyLimit, since } : false,
  });
  return { line: await lineFromOutcome(e, outcome), outcome };
}

/** F6: keep and retry, cancel, or turn the IM into an email (the draft comes with the outcome). */
export async function decideFromChat(e: Engine, id: string, choice: Choice): Promise<{ line: ConversationLine; outcome: Outcome }> {
  const outcome = await e.decide(id, choice);
  return { line: await lineFromOutcome(e, outcome), outcome };
}
