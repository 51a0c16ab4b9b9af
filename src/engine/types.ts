// The engine's public shapes: what hosts give it (EngineOptions), what it answers (Outcome,
// Transcript, ContactsView, IncomingIm) and what it tells (Events). Shared by its parts.
import type { ChatState } from "../xmpp/chat";
import type { Clock, EmailDraft, EmailInput, Exchange, HistoryOptions, MappingSources, OutboxItem, Resolution, RetryPolicy } from "../core";
import type { Store } from "../store";
import type { Account, ConnectionError } from "../xmpp/connection";
import type { LoginResult } from "../xmpp/sasl";
import type { DiscoverOptions } from "../xmpp/discovery";
import type { UploadFile } from "../xmpp/upload";

export interface EngineOptions {
  /** The account; without a `service` the WebSocket endpoint is discovered from the address's domain (XEP-0156). */
  account: Omit<Account, "service"> & { service?: string };
  /** Where discovery reads host-meta (IT's override, or a test's server); https://<domain> by default. */
  discovery?: DiscoverOptions;
  /** The user's own email address (history and drafts name it). */
  me: string;
  store: Store;
  clock?: Clock;
  random?: () => number;
  retry?: RetryPolicy;
  lookups?: Pick<MappingSources, "cards" | "mailsFrom">;
  /** Who may see the user's presence (F14). Default: people the user has a mapping or history with. */
  approveSubscription?: (bare: string) => boolean | Promise<boolean>;
  /** How long to wait to learn a contact's presence before calling them unavailable. */
  presenceWaitMs?: number;
  /** Backoff between reconnection attempts (1 s doubling to 60 s by default). */
  reconnect?: { baseMs: number; capMs: number };
  /** How long replyViaIm waits for the contact's receipt before settling for "sent". */
  receiptWaitMs?: number;
  /** How often the outbox looks for due items. */
  outboxTickMs?: number;
  /** Largest IM (text + history) the engine will send. */
  maxMessageBytes?: number;
}

export type Choice = "keep" | "cancel" | "convert";

export interface Outcome {
  id: string;
  state: OutboxItem["state"];
  to: string;
  counterpart: string;
  mapping?: Resolution;
  reason?: string;
  draft?: EmailDraft;
  historyItems?: number;
}

export interface ReplyOptions {
  /** The email being answered: its sender is the recipient, and it threads a converted email. */
  original?: EmailInput & { references?: string[] };
  /** Overrides the mapping (a JID or an email address). */
  to?: string;
  /** History to attach; false for none. */
  history?: HistoryOptions | false;
  attachments?: UploadFile[];
  /** What to do when the contact is unavailable; default "ask" (return and let the user decide). */
  whenUnavailable?: "ask" | Choice;
}

/** F13: a session's transcript, for the banner beside the email that carries its invitation. */
export interface Transcript {
  session: string;
  room: string;
  /** The user made this session (its audience is known). */
  own: boolean;
  /** The room is gone (or its archive is closed to this user). */
  ended: boolean;
  /** The server could not be asked (offline, or it did not answer): what is shown is what was kept here. */
  unreachable?: boolean;
  /**
   * The room is on a server the user has not chosen (not their own server's, not their own
   * session): nothing was asked of it, since a request would tell whoever sent the email that
   * and when it was read. Joining is the user's choice.
   */
  elsewhere?: boolean;
  subject: string;
  /** Who made the session, when this add-in knows it (the user's own); a link's claim is not shown. */
  inviter: string;
  invited: string[];
  audience: { who: string; joinedAt: number }[];
  records: { at: number; from: string; text: string; id: string }[];
}

export interface IncomingIm {
  id: string;
  from: string;
  /** How the person is called (F26), when known: show it instead of `from`. */
  name?: string;
  counterpart: string;
  text: string;
  at: number;
  /** `yours`: items that claimed to be the user's own words, left out. */
  history: { stored: number; items: Exchange[]; omitted: number; rejected?: string; yours?: number };
  known: boolean;
}

export type Events = {
  state: [OutboxItem];
  message: [IncomingIm];
  presence: [string, boolean];
  /** XEP-0085: what a person is doing in the conversation (their bare JID; composing, paused, active…). */
  typing: [string, ChatState];
  status: ["online" | "offline" | "reconnecting", ConnectionError | undefined];
  request: [string];
  /** An IM from someone not known arrived and waits in the requests list (F14). */
  "request-im": [string];
  /** The contacts or the requests changed (F17): a view showing them reads them again. */
  contacts: [];
  /** A login succeeded: the mechanism used and, for SCRAM, the keys to keep instead of the password (F21). */
  login: [LoginResult];
  /** Something went wrong in the background (an outbox round, a stanza handler): reported, not thrown. */
  problem: [string, unknown];
};

/** F17: the contacts view — the roster with presence and subscription, and the requests. */
export interface ContactsView {
  contacts: { jid: string; name?: string; online: boolean; subscription: "none" | "to" | "from" | "both"; waiting: boolean }[];
  requests: { from: string; name?: string; text: string; count: number; at?: number }[];
  /** How many of the oldest requests were dropped to keep the list bounded (said, not hidden). */
  dropped?: number;
}

export const MAX_MESSAGE_BYTES = 100_000;
