// The one protocol between the Thunderbird pages (IM window, Options, the invitation popup, the
// contacts window, the message display scripts) and the background page, both ways: every
// command with its arguments and its result (`Commands`), every event the background tells the
// pages (`Events`), and what it asks of a draft's editor (`ComposeRequest`) — so each side's
// message is type-checked against the same table. A command nobody knows is refused with
// "unknown-command" (never a silent success); an event that is not in the table is not heard;
// errors cross as Problems and keep their code (src/core/errors.ts).
import { fromProblem, problemOf, UserFacingError, type Problem } from "../core/errors";
import type { ContactsView, Transcript } from "../engine/engine";
import type { ChatContext, ConversationLine, SendOptions } from "../engine/im-window";
import type { ChatState } from "./im-window/host";
import type { Diagnosis } from "../xmpp/doctor";
import type { T } from "./i18n";
import { said } from "./problem-text";
import type { Engine } from "../engine/engine";
import type { WebLink } from "../engine/host-backend";

/** What the IM window is opened on: an email (Reply via IM) or a person (an incoming IM). */
export interface ChatOn {
  messageId?: number;
  jid?: string;
}
export interface AccountInput {
  service: string;
  jid: string;
  password: string;
}
export type Invitation = Awaited<ReturnType<Engine["sessions"]["create"]>>;
/** The popup's invitation, with whether it carries a web link and, if not, why (F10). */
export type PreparedInvitation = Invitation & { webLink: WebLink; joinPage: string };
export type TranscriptWithLink = Transcript & { link: string };

type None = Record<never, never>;

export interface Commands {
  "chat:open": { args: ChatOn; result: ChatContext };
  "chat:send": { args: ChatOn & { text: string; options: SendOptions }; result: ConversationLine };
  "chat:decide": { args: ChatOn & { id: string; choice: "keep" | "cancel" | "convert" }; result: ConversationLine };
  "chat:reply-email": { args: ChatOn; result: void };
  "chat:seen": { args: { jid: string; visible: boolean }; result: void };
  "chat:ask-presence": { args: { jid: string }; result: void };
  /** XEP-0085: the user is typing to this person, stopped, or back to reading. */
  "chat:typing": { args: { jid: string; state: "composing" | "paused" | "active" }; result: void };
  "chat:window": { args: { jid: string }; result: void };
  "chat:translate": { args: { text: string }; result: { text: string; problem?: string } | undefined };
  "mapping:correct": { args: { email: string; jid: string }; result: ChatContext["to"] };
  "mapping:forget": { args: { email: string }; result: void };
  "account:set": { args: AccountInput; result: void };
  /** Opened on an email: the XMPP address is pre-filled from the identity it was sent to (F26). */
  "account:defaults": { args: ChatOn; result: { service?: string; jid?: string; locked: string[] } };
  "account:test": { args: AccountInput; result: Diagnosis };
  "invite:prepare": { args: { tabId: number }; result: PreparedInvitation };
  "invite:configure": { args: { session: string; membersOnly: boolean; password?: string }; result: Invitation };
  "invite:insert": { args: { tabId: number; html: string }; result: void };
  "options:data": { args: None; result: { mappings: { email: string; jid: string; source: string }[]; usage: Record<string, number> } };
  "usage:export": { args: None; result: string };
  "transcript:get": { args: { candidates: string[] }; result: TranscriptWithLink | null };
  "transcript:rejoin": { args: { link: string }; result: void };
  /** F24: the line above the email the asking tab shows — "3 IMs with Bob after this email" — or null when no IM followed it. */
  "mail:im-line": { args: None; result: { text: string; jid: string } | null };
  /** F24: the email a conversation started from, opened (its Message-ID). */
  "mail:open": { args: { headerMessageId: string }; result: void };
  "contacts:list": { args: None; result: ContactsView };
  "contacts:add": { args: { jid: string }; result: void };
  "contacts:remove": { args: { jid: string }; result: void };
  "contacts:accept": { args: { jid: string }; result: void };
  "contacts:refuse": { args: { jid: string }; result: void };
  status: { args: None; result: { online: boolean } };
}
export type CommandName = keyof Commands;

/** A command as it travels: its name in `command`, its arguments beside it. */
export type Command = { [K in CommandName]: { command: K } & Commands[K]["args"] }[CommandName];

export type Reply<K extends CommandName = CommandName> = { ok: true; value: Commands[K]["result"] } | { ok: false; problem: Problem };

/** Where a command came from: the tab of a message display or compose script (the pages have none). */
export interface Sender {
  tabId?: number;
}

/** The background's side: one handler per command (a missing one is a type error). */
export type Handlers = { [K in CommandName]: (args: Commands[K]["args"], from: Sender) => Promise<Commands[K]["result"]> | Commands[K]["result"] };

/** Whether a runtime message is a command at all (events and other messages are not). */
export function isCommand(msg: unknown): msg is { command: unknown } {
  return !!msg && typeof msg === "object" && "command" in msg;
}

/** Answers one command: the handler's value, or its error as a Problem; an unknown command is refused. */
export async function dispatch(handlers: Handlers, msg: { command: unknown }, from: Sender = {}): Promise<Reply> {
  const name = msg.command;
  if (typeof name !== "string" || !Object.prototype.hasOwnProperty.call(handlers, name)) {
    const err = new UserFacingError(
      "unknown-command",
      `Reply via IM's background page does not know the command "${String(name)}".`,
      "Reload the add-in (Add-ons Manager → Reply via IM → disable and enable) so its windows and background page are the same version.",
    );
    return { ok: false, problem: problemOf(err) };
  }
  const { command: _, ...args } = msg as Command;
  try {
    const handler = handlers[name as CommandName] as (a: unknown, from: Sender) => unknown;
    return { ok: true, value: (await handler(args, from)) as Commands[CommandName]["result"] };
  } catch (err) {
    return { ok: false, problem: problemOf(err) };
  }
}

/** Arguments may be left out for a command that takes none. */
type ArgsOf<K extends CommandName> = None extends Commands[K]["args"] ? [args?: Commands[K]["args"]] : [args: Commands[K]["args"]];
export type Call = <K extends CommandName>(command: K, ...args: ArgsOf<K>) => Promise<Commands[K]["result"]>;

/**
 * The pages' side: `call("chat:open", { jid })` sends the command and returns its result, or
 * throws the background's error rebuilt (`isProblem(err, "needs-account")` works on it).
 */
export function caller(send: (msg: Command) => Promise<unknown>, t: T): Call {
  return async (command, ...[args]) => {
    const r = (await send({ command, ...(args ?? {}) } as Command)) as Reply | undefined;
    if (!r || typeof r !== "object" || !("ok" in r)) throw said(t, "host", t("noBackground"));
    if (!r.ok) throw fromProblem(r.problem);
    return r.value;
  };
}

/** What the background tells every page, unasked; each page takes what concerns it. */
export interface Events {
  /** An IM of the conversation with `with`: a new one, or a new state of one. */
  line: { with: string; line: ConversationLine };
  presence: { with: string; available: boolean };
  /** XEP-0085: what `with` is doing in the conversation. */
  typing: { with: string; state: ChatState };
  /** The contacts or the requests changed. */
  contacts: None;
}
export type EventName = keyof Events;
/** An event as it travels, inside `{ event }` (never mistaken for a command). */
export type Event = { [K in EventName]: { type: K } & Events[K] }[EventName];
export type EventHandlers = { [K in EventName]?: (e: Events[K]) => void };

const CHAT_STATES: ReadonlySet<string> = new Set<ChatState>(["active", "composing", "paused", "inactive", "gone"]);
const isLine = (l: unknown): l is ConversationLine => {
  const x = l as Partial<ConversationLine> | null;
  return (
    !!x &&
    typeof x === "object" &&
    typeof x.id === "string" &&
    (x.direction === "in" || x.direction === "out") &&
    typeof x.text === "string" &&
    typeof x.at === "number"
  );
};

/** The event a runtime message carries, checked against the table; undefined for anything else. */
export function eventOf(msg: unknown): Event | undefined {
  const e = (msg as { event?: Partial<Record<string, unknown>> } | null)?.event;
  if (!e || typeof e !== "object") return undefined;
  if (e.type === "contacts") return { type: "contacts" };
  if (typeof e.with !== "string") return undefined;
  if (e.type === "line" && isLine(e.line)) return { type: "line", with: e.with, line: e.line };
  if (e.type === "presence" && typeof e.available === "boolean") return { type: "presence", with: e.with, available: e.available };
  if (e.type === "typing" && typeof e.state === "string" && CHAT_STATES.has(e.state)) return { type: "typing", with: e.with, state: e.state as ChatState };
  return undefined;
}

/** A page's one listener: `listener({ line: (e) => …, presence: (e) => … })`, for runtime.onMessage. */
export function listener(on: EventHandlers): (msg: unknown) => undefined {
  return (msg) => {
    const e = eventOf(msg);
    if (e) (on[e.type] as ((x: Event) => void) | undefined)?.(e);
    return undefined; // never an answer: commands are the background's to answer
  };
}

/** The background's side: `emit("presence", { with, available })` tells every open page. */
export function emitter(send: (msg: { event: Event }) => Promise<unknown>) {
  return <K extends EventName>(type: K, ...[data]: None extends Events[K] ? [data?: Events[K]] : [data: Events[K]]): Promise<void> =>
    send({ event: { type, ...(data ?? {}) } as Event }).then(
      () => undefined,
      () => undefined,
    ); // no page open to hear it: fine
}

/** What the background asks of a draft's editor (the compose script), by tabs.sendMessage. */
export interface ComposeRequest {
  compose: "insert";
  html: string;
}
export function composeRequestOf(msg: unknown): ComposeRequest | undefined {
  const m = msg as Partial<ComposeRequest> | null;
  return m && typeof m === "object" && m.compose === "insert" && typeof m.html === "string" ? { compose: "insert", html: m.html } : undefined;
}
