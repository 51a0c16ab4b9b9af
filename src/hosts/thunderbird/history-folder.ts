// F24 in Thunderbird: each IM conversation saved as a message in a "Conversation History" folder
// (the name is a setting) of the account the email it started from belongs to — Local Folders
// when it started from no email — threaded under that email, found by Thunderbird's own search.
// Written when the conversation has its first IM and again within seconds of each IM (debounced
// per person). messages.import() refuses a Message-ID the folder already holds, so an update
// deletes the old copy and imports the new one, one conversation at a time: never two copies, and
// a restart that finds the copy up to date (same revision header) leaves it alone. The IMs
// themselves stay in the add-in's store, so a copy lost between the two steps is written again
// at the next IM. Also: retention for the folder, and the "IMs after this email" line's answers.
// Retention deletes only what the add-in wrote: messages carrying its own header, in a folder it
// made itself (remembered by id when made). A folder of that name it did not make — Exchange's
// "Conversation History" of Skype and Teams chats over IMAP, or any name a person types, "Inbox"
// even — may receive conversations but is never purged.
import { conversationEml } from "../../core/conversation-eml";
import { conversationMessageId, conversationRevision, type Conversation } from "../../core/conversations";
import { normaliseEmail, type Settings } from "../../core";
import { conversationsWith, imsAfterEmail, personName } from "../../engine/kept-conversations";
import type { Store } from "../../store";

type Folder = messenger.folders.MailFolder;
type Header = messenger.messages.MessageHeader;
const api = messenger;

/** The folders the add-in made (store.state), the only ones retention may purge. */
export const MADE_FOLDERS = "historyFolder.made";
interface MadeFolder {
  id: string;
  accountId: string;
  path: string;
}
/** The header every saved conversation carries (src/core/conversation-eml.ts), as getFull names it. */
const OWN_HEADER = "x-reply-via-im-conversation";
/** The Message-ID every saved conversation has (conversationMessageId). */
const OWN_MESSAGE_ID = /^conversation\.[^@]+@reply-via-im\.org$/;

/** How long after an IM its conversation is written (more IMs in between: written once). */
export const WRITE_DELAY_MS = 1500;

export interface HistoryFolderDeps {
  store: Store;
  settings: () => Promise<Settings>;
  /** The user's own address and name (To of the saved messages). */
  me: () => Promise<{ address: string; name?: string }>;
  /** Local time as the person reads it in the message. */
  time?: (ms: number) => string;
}

/** Every page of a query's answer (Thunderbird pages long lists). */
async function queryAll(q: Record<string, unknown>): Promise<Header[]> {
  let page = await api.messages.query(q);
  const out = [...page.messages];
  while (page.id) {
    page = await api.messages.continueList(page.id);
    out.push(...page.messages);
  }
  return out;
}

export function historyFolder(deps: HistoryFolderDeps) {
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  let queue: Promise<unknown> = Promise.resolve();
  /** The last write (for the tests and the figures): what, and how long after the IM it was done. */
  const written: { id: string; at: number; ims: number }[] = [];

  /** The folder named in the settings under the account's root, made when missing. */
  async function folderIn(accountId: string | undefined, name: string): Promise<Folder> {
    const accounts = await api.accounts.list(false);
    const account = accounts.find((a) => a.id === accountId) ?? accounts.find((a) => a.type === "none");
    if (!account) throw new Error("There is no Local Folders account to keep the conversation in: restore Local Folders in Thunderbird's account settings.");
    const root = account.rootFolder ?? (await api.accounts.get(account.id, false))?.rootFolder;
    if (!root) throw new Error(`The account "${account.name}" has no folders to keep the conversation in.`);
    const found = (await api.folders.getSubFolders(root.id, false)).find((f) => f.name === name);
    if (found) return found;
    const made = await api.folders.create(root.id, name);
    // remembered before anything is written into it: retention may purge only this one
    const list = await madeFolders();
    await deps.store.state.set(MADE_FOLDERS, [...list, { id: made.id, accountId: made.accountId, path: made.path }]);
    return made;
  }

  const madeFolders = async () => (await deps.store.state.get<MadeFolder[]>(MADE_FOLDERS)) ?? [];
  const isMade = (f: Folder, list: MadeFolder[]) => list.some((m) => m.id === f.id || (m.accountId === f.accountId && m.path === f.path));

  /** Whether the add-in wrote this message: its Message-ID and its header, both. */
  async function ownMessage(m: Header): Promise<boolean> {
    if (!OWN_MESSAGE_ID.test(m.headerMessageId.replace(/^<|>$/g, ""))) return false;
    const full = await api.messages.getFull(m.id).catch(() => undefined); // gone meanwhile: not deleted here
    return !!full?.headers?.[OWN_HEADER]?.[0];
  }

  /** The account of the email the conversation started from (undefined: none, or it is gone). */
  async function accountOf(c: Conversation): Promise<string | undefined> {
    if (!c.origin) return undefined;
    // a folder that cannot be searched: the conversation goes to Local Folders instead
    const found = await queryAll({ headerMessageId: c.origin.messageId }).catch(() => []);
    return found.find((m) => m.folder)?.folder?.accountId;
  }

  async function write(c: Conversation, s: Settings): Promise<"written" | "unchanged"> {
    const folder = await folderIn(await accountOf(c), s.historyFolderName);
    const messageId = conversationMessageId(c.id);
    const old = await queryAll({ headerMessageId: messageId, folderId: folder.id });
    const revision = conversationRevision(c);
    if (old.length === 1) {
      const kept = (await api.messages.getFull(old[0]!.id)).headers?.["x-reply-via-im-revision"]?.[0];
      if (kept === revision) return "unchanged";
    }
    const { store } = deps;
    const other = { address: c.counterpart.replace(/^xmpp:/, ""), name: await personName(store, c.counterpart) };
    const eml = conversationEml({ conversation: c, me: await deps.me(), other, time: deps.time });
    if (old.length)
      await api.messages.delete(
        old.map((m) => m.id),
        { deletePermanently: true },
      );
    await api.messages.import(new File([eml], `${c.id}.eml`, { type: "message/rfc822" }), folder.id, { read: true });
    return "written";
  }

  /** Writes the person's latest conversation now (one write at a time, in order). */
  function writeLatest(counterpart: string): Promise<void> {
    const run = async () => {
      const s = await deps.settings();
      if (!s.historyFolder) return;
      const all = await conversationsWith(deps.store, counterpart, s.quietMinutes * 60_000);
      const latest = all[all.length - 1];
      if (!latest) return;
      if ((await write(latest, s)) === "written") written.push({ id: latest.id, at: Date.now(), ims: latest.ims.length });
    };
    const next = queue.then(run);
    queue = next.catch((err: Error) => console.warn(`Reply via IM: saving the conversation with ${counterpart} in the history folder failed: ${err.message}`));
    return next;
  }

  return {
    written,
    /** An IM was sent or received: its conversation is written shortly (once for a burst). */
    changed(counterpart: string) {
      let who = counterpart;
      try {
        who = normaliseEmail(counterpart);
      } catch {
        // a person known by their JID only ("xmpp:…"): the store keys them so, kept as is
      }
      clearTimeout(timers.get(who));
      timers.set(
        who,
        setTimeout(() => {
          timers.delete(who);
          void writeLatest(who).catch(() => undefined); // reported by the queue
        }, WRITE_DELAY_MS),
      );
    },
    writeLatest,
    /**
     * Retention: the conversations the add-in saved, older than `days`, are deleted (0 keeps
     * everything) — only in the folders it made, only the messages it wrote.
     */
    async forgetOlderThan(days: number): Promise<number> {
      const s = await deps.settings();
      if (days <= 0) return 0;
      const before = new Date(Date.now() - days * 86_400_000);
      const made = await madeFolders();
      let gone = 0;
      for (const a of await api.accounts.list(false)) {
        const root = a.rootFolder ?? (await api.accounts.get(a.id, false))?.rootFolder;
        const folder = root && (await api.folders.getSubFolders(root.id, false)).find((f) => f.name === s.historyFolderName);
        if (!folder || !isMade(folder, made)) continue;
        const old: number[] = [];
        for (const m of await queryAll({ folderId: folder.id, toDate: before })) if (await ownMessage(m)) old.push(m.id);
        if (old.length) await api.messages.delete(old, { deletePermanently: true });
        gone += old.length;
      }
      return gone;
    },
    /** The "IMs after this email" line for a displayed email. */
    async imsAfter(headerMessageId: string) {
      const s = await deps.settings();
      return imsAfterEmail(deps.store, headerMessageId, s.quietMinutes * 60_000);
    },
  };
}
export type HistoryFolder = ReturnType<typeof historyFolder>;
