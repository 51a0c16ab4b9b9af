// What the IM window asks of its host, and what the host tells it. The same window serves
// Thunderbird (runtime messages to the background) and Outlook (the engine in the pane).

export type { ChatContext, ConversationLine, HistoryLine, SendOptions } from "../../engine/im-window";
import type { ChatContext, ConversationLine, SendOptions } from "../../engine/im-window";

/** XEP-0085 chat states, as the other side sends them. */
export type ChatState = "active" | "composing" | "paused" | "inactive" | "gone";

/** A host's errors keep their code (src/core/errors.ts): `open()` failing with "needs-account" makes the window ask for an account in place. */
export interface ChatBackend {
  open(): Promise<ChatContext>;
  send(text: string, options: SendOptions): Promise<ConversationLine>;
  decide(id: string, choice: "keep" | "cancel" | "convert"): Promise<ConversationLine>;
  correct(jid: string): Promise<ChatContext["to"]>;
  /** F9: the chat with this person becomes an email draft the host opens for editing. */
  replyByEmail(): Promise<void>;
  /** What the account form starts with, and which fields IT has locked (a preset server). */
  accountDefaults?(): Promise<{ service?: string; jid?: string; locked: string[] }>;
  /** Saves the XMPP account when none is set up yet (the window offers it in place). */
  configure(account: { service: string; jid: string; password: string }): Promise<void>;
  /** Live updates: a message's state, a new IM, the contact's presence, their typing (XEP-0085). */
  subscribe(fn: (e: { type: "line"; line: ConversationLine } | { type: "presence"; available: boolean } | { type: "typing"; state: ChatState }) => void): void;
  /** XEP-0085: tells the person that the user is typing ("composing"), stopped ("paused"), or is back to reading ("active"). */
  typing?(state: "composing" | "paused" | "active"): Promise<void>;
  /** F24: opens an email of the history (by its Message-ID) where the mail client shows mail. */
  openEmail?(messageId: string): Promise<void>;
  /** F26: asks the person again to share their presence (shown while it is unknown). */
  askPresence?(): Promise<void>;
  /** F16: an incoming message in the reader's language (settings); undefined when none is chosen. */
  translate?(text: string): Promise<{ text: string; problem?: string } | undefined>;
  /** Called unbound (`const t = backend.t`): a function property, not a method. */
  t: (key: string, ...subs: string[]) => string;
}
