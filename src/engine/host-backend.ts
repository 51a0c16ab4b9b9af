// What both hosts do alike around the engine, written once: the IM window's commands (open,
// send — with the "delivered" notice —, the offline choices with convert-to-email, correcting
// an address, the chat as an email), the reader's language (F16), the transcript beside an email
// and its link (F13), the contacts (F17), and saving a new account. Each host passes in only
// what touches its own API (`host`: its notices and its drafts); nothing here knows messenger.*,
// Office.* or the DOM. `T` is what the host's window is opened on (an email id, a read item…).
import {
  findInvitation,
  forReader,
  invitationLink,
  invitationUri,
  libreTranslate,
  parseInvitationUri,
  UserFacingError,
  type EmailDraft,
  type EmailInput,
  type Settings,
} from "../core";
import { checkService } from "../xmpp/connection";
import { decideFromChat, openChatContext, sendFromChat, type ChatContext, type ChatTarget, type ConversationLine, type SendOptions } from "./im-window";
import type { Choice, Transcript } from "./engine";
import type { EngineHolder } from "./holder";
import { optionsBackend } from "./options-backend";
import type { Store } from "../store";
import type { ChatState } from "../xmpp/chat";

export interface HostSide<T> {
  /** What the engine needs of the window's target (the host reads the email when it is one). */
  target: (on: T) => Promise<ChatTarget>;
  /** F3: the earlier emails with this person the host can find. */
  earlierEmails?: (email: string, on: T) => Promise<EmailInput[]>;
  /** A draft opened for editing: a reply to the window's email (`replyTo`), else a new email; `id` names it for a "sent" notice. */
  openDraft: (draft: EmailDraft, o: { replyTo?: T; id: string }) => Promise<void> | void;
  /** Tells the user an IM was delivered. */
  /** `name`: how the person is called, when known (F26). */
  notifyDelivered: (o: { id: string; to: string; name?: string }) => void;
  /** Keeps the XMPP account where the host keeps settings. */
  saveAccount: (account: { service: string; jid: string; password: string }) => Promise<void>;
}

export interface BackendInputs<T> {
  engine: EngineHolder;
  host: HostSide<T>;
  settings: () => Promise<Settings>;
  /** The host's store: what the Options view reads of it (the address table, the usage figures). */
  store: Store;
}

/** Whether an invitation can carry a web link: a join page set up and answering, or why not. */
export type WebLink = "ok" | "not-set" | "unreachable";
const reachable = new Map<string, { at: number; ok: boolean }>();

/**
 * F10: the join page answers (any HTTPS answer; the page's content is not read, so no CORS is
 * needed) within 4 s; remembered for 5 minutes. "" (not set up) is "not-set".
 */
export async function checkJoinPage(url: string, fetcher: typeof fetch = fetch): Promise<WebLink> {
  if (!url) return "not-set";
  const known = reachable.get(url);
  if (known && Date.now() - known.at < 300_000) return known.ok ? "ok" : "unreachable";
  const ok = await fetcher(url, { mode: "no-cors", cache: "no-store", signal: AbortSignal.timeout(4000) }).then(
    () => true,
    () => false,
  ); // any failure: not reachable from here
  reachable.set(url, { at: Date.now(), ok });
  return ok ? "ok" : "unreachable";
}

/** Most candidates a page hands over to look for an invitation in, and most characters of each. */
const MAX_PIECES = 500;
const MAX_PIECE = 200_000;

/** The typing states a window tells (XEP-0085); "inactive" and "gone" are the engine's own. */
const TYPING = new Set<string>(["composing", "paused", "active"]);

export function hostBackend<T>({ engine: holder, host, settings, store }: BackendInputs<T>) {
  const engine = () => holder.get();
  const earlier = host.earlierEmails;
  return {
    open: async (on: T): Promise<ChatContext> => openChatContext(await engine(), await host.target(on), earlier && ((email) => earlier(email, on))),

    send: async (on: T, text: string, options: SendOptions): Promise<ConversationLine> => {
      const { line, outcome } = await sendFromChat(await engine(), await host.target(on), text, options);
      if (outcome.state === "delivered") {
        const name = (await (await engine()).people.nameOf({ email: outcome.counterpart, jid: outcome.to }).catch(() => undefined))?.name; // unnamed: the address
        host.notifyDelivered({ id: outcome.id, to: outcome.to, ...(name ? { name } : {}) });
      }
      return line;
    },

    /** F6: keep, cancel, or convert — the email draft opens as a reply to the window's email. */
    decide: async (on: T, id: string, choice: Choice): Promise<ConversationLine> => {
      const { line, outcome } = await decideFromChat(await engine(), id, choice);
      if (choice === "convert" && outcome.draft) await host.openDraft(outcome.draft, { replyTo: on, id: outcome.id });
      return line;
    },

    /** F9: the chat with this person as a new email (the chat's own thread). */
    replyByEmail: async (jid: string): Promise<void> => {
      if (!jid) throw new UserFacingError("no-recipient", "There is nobody to write to yet.", "Open the chat on an email or a person first.");
      await host.openDraft(await (await engine()).replyByEmail(jid), { id: `chat:${jid}` });
    },

    /** F26: asks again to see their presence (RFC 6121 subscription); the email is the permission (F14). */
    askPresence: async (jid: string): Promise<void> => {
      if (!jid) throw new UserFacingError("no-recipient", "There is nobody to ask yet.", "Open the chat on an email or a person first.");
      await (await engine()).features.presence.subscribe(jid);
    },

    /** The user's address for this person wins over what was guessed. */
    correct: async (email: string, jid: string): Promise<ChatContext["to"]> => {
      const m = await (await engine()).mapper.correct(email, jid);
      return { email: m.email, jid: m.jid, source: "user", needsConfirmation: false };
    },

    /** F16: an incoming IM in the reader's language; undefined when none is chosen or there is no server. */
    translate: async (text: string): Promise<{ text: string; problem?: string } | undefined> => {
      const s = await settings();
      if (!s.language || !s.translateUrl || typeof text !== "string") return undefined;
      return forReader(libreTranslate({ url: s.translateUrl }), text, { language: s.language });
    },

    /** F13: the transcript of the session an email's links and text invite to, with its join link; null when none. */
    transcript: async (pieces: unknown): Promise<(Transcript & { link: string }) | null> => {
      const found = Array.isArray(pieces)
        ? pieces
            .slice(0, MAX_PIECES)
            .filter((c): c is string => typeof c === "string")
            .map((c) => c.slice(0, MAX_PIECE))
        : [];
      const inv = findInvitation(found);
      if (!inv) return null;
      const tr = await (await engine()).sessions.transcript(inv);
      const joinPage = (await settings()).joinPage;
      return { ...tr, link: inv.link ?? (joinPage ? invitationLink(joinPage, inv) : invitationUri(inv)) };
    },

    /** The join link a Rejoin opens: a web page, or an XMPP app by the room's xmpp: URI. */
    joinLink(link: string): string {
      if (/^xmpp:/i.test(link)) return invitationUri(parseInvitationUri(link)); // checked: a room of a session, nothing else
      const url = new URL(link);
      if (url.protocol !== "https:" && url.protocol !== "http:")
        throw new UserFacingError("invalid-invitation", `${link} is not a join page.`, "Open the invitation's link from the email.");
      return url.toString();
    },

    /** XEP-0085: the user typing, told to known people while connected (the engine decides); nothing waits for it. */
    typing: async (jid: string, state: string): Promise<void> => {
      if (jid && TYPING.has(state)) await holder.current?.tellTyping(jid, state as ChatState);
    },

    /** The Options view's data and account test (src/engine/options-backend.ts). */
    options: optionsBackend({ store, settings }),

    /** F17: the contacts view's actions, and its updates across engine restarts (new settings). */
    contacts: {
      list: async () => (await engine()).contacts.list(),
      add: async (address: string) => void (await (await engine()).contacts.add(address)),
      remove: async (jid: string) => (await engine()).contacts.remove(jid),
      accept: async (jid: string) => (await engine()).contacts.accept(jid),
      refuse: async (jid: string) => (await engine()).contacts.refuse(jid),
      onChange(fn: () => void) {
        holder.on("contacts", fn);
        holder.on("presence", fn);
      },
    },

    /**
     * A new XMPP account: checked, kept, and connected now so a wrong password or a dead server is
     * reported to the form. No server address: it is found from the domain (F23).
     */
    setAccount: async (account: { service: string; jid: string; password: string }): Promise<void> => {
      if (account.service) checkService(account.service);
      await holder.restart();
      await host.saveAccount(account);
      await engine();
    },
  };
}
export type HostBackend<T> = ReturnType<typeof hostBackend<T>>;
