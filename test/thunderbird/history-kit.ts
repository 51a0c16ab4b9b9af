// For the F24/F25 end-to-end tests: what a support engineer would read in Thunderbird (started,
// and restarted on the same profile, by scripts/lib/thunderbird.ts) — the Conversation History
// folder's messages and a full-text search, asked through the add-on's own messenger.* in its
// background page.
import { ADDON_ID } from "../../scripts/lib/thunderbird-profile";
import type { Thunderbird } from "../../scripts/lib/thunderbird";

/**
 * Runs one of the operations below with the add-on's own messenger.* in its background page (a
 * frame script loaded into it, as scripts/lib/thunderbird-scripts-addon.ts reads its storage).
 * args: [add-on id, operation, its argument]; answers JSON text.
 */
const IN_ADDON = `
  const { ExtensionParent } = ChromeUtils.importESModule("resource://gre/modules/ExtensionParent.sys.mjs");
  let browser;
  for (let i = 0; i < 200 && !browser; i++) {
    browser = [...(ExtensionParent.GlobalManager.getExtension(args[0])?.views ?? [])].find((v) => v.viewType === "background")?.xulBrowser;
    if (!browser) await new Promise(r => setTimeout(r, 100));
  }
  if (!browser) return done({ __error: "the add-on's background page is not open" });
  const name = "rvi-in-addon-" + Math.random().toString(36).slice(2);
  const mm = browser.messageManager;
  const answer = new Promise((ok) => mm.addMessageListener(name, function heard(m) { mm.removeMessageListener(name, heard); ok(m.data); }));
  const inPage = async (name, op, arg) => {
    const page = content.wrappedJSObject;
    const m = page.messenger;
    const text = (part) => (part.contentType === "text/plain" && part.body) || [...(part.parts || [])].map(text).find(Boolean) || "";
    try {
      let out;
      if (op === "folder") {
        const local = [...(await m.accounts.list(false))].find((a) => a.type === "none");
        const folder = [...(await m.folders.getSubFolders(local.rootFolder.id, false))].find((f) => f.name === arg);
        out = [];
        if (folder) {
          for (const h of [...(await m.messages.query(Cu.cloneInto({ folderId: folder.id }, page))).messages]) {
            // replaced while being read (the add-on updates the copy): the next read sees the new one
            const full = await m.messages.getFull(h.id).catch(() => null);
            if (!full) continue;
            out.push({ messageId: h.headerMessageId, subject: h.subject, author: h.author, references: String(full.headers.references || ""), inReplyTo: String(full.headers["in-reply-to"] || ""), text: text(full) });
          }
        }
      } else if (op === "fullText") {
        out = [...(await m.messages.query(Cu.cloneInto({ fullText: arg }, page))).messages].map((h) => ({ subject: h.subject, folder: h.folder.name }));
      }
      sendAsyncMessage(name, JSON.stringify(out));
    } catch (e) {
      sendAsyncMessage(name, JSON.stringify({ error: String(e) }));
    }
  };
  mm.loadFrameScript("data:application/javascript," + encodeURIComponent("(" + inPage.toString() + ")(" + JSON.stringify(name) + "," + JSON.stringify(args[1]) + "," + JSON.stringify(args[2]) + ")"), false);
  const got = await Promise.race([answer, new Promise((r) => setTimeout(() => r(null), 20000))]);
  done(got ?? { __error: "the add-on's background page did not answer" });
`;

export interface SavedConversation {
  messageId: string;
  subject: string;
  author: string;
  references: string;
  inReplyTo: string;
  text: string;
}

async function inAddon<T>(tb: Thunderbird, op: string, arg: string): Promise<T> {
  const r = JSON.parse(await tb.chrome<string>(IN_ADDON, [ADDON_ID, op, arg], 40_000)) as T & { error?: string };
  if (r && typeof r === "object" && "error" in r && r.error) throw new Error(`the add-on's messenger.* failed: ${r.error}`);
  return r;
}

/** The messages in Local Folders' history folder, as the add-on's messages API reads them. */
export const historyMessages = (tb: Thunderbird, folder = "Conversation History") => inAddon<SavedConversation[]>(tb, "folder", folder);
/** Thunderbird's own search (messages.query fullText): subject and folder of each message found. */
export const fullTextSearch = (tb: Thunderbird, word: string) => inAddon<{ subject: string; folder: string }[]>(tb, "fullText", word);

/** The "IMs after this email" line above the displayed email (waits for it). */
export const IM_LINE = `
  const re = new RegExp(args[0]);
  let text = "";
  for (let i = 0; i < args[1] / 100; i++) {
    const about = Services.wm.getMostRecentWindow("mail:3pane").gTabmail.currentAbout3Pane.messageBrowser.contentWindow;
    const line = about.getMessagePaneBrowser().contentDocument?.getElementById("rvi-ims-after");
    text = line ? line.textContent.trim() : "";
    if (re.test(text)) return done(text);
    await new Promise(r => setTimeout(r, 100));
  }
  done({ __error: "no IMs-after-this-email line like " + args[0] + "; it says: " + JSON.stringify(text) });
`;

/** Shows the history folder's message in the main window (for the picture). */
export const SHOW_SAVED = `
  const { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
  const { MailUtils } = ChromeUtils.importESModule("resource:///modules/MailUtils.sys.mjs");
  const folder = MailServices.accounts.localFoldersServer.rootFolder.getChildNamed(args[0]);
  const win = Services.wm.getMostRecentWindow("mail:3pane");
  win.gTabmail.currentAbout3Pane.displayFolder(folder.URI);
  const hdr = [...folder.messages][0];
  MailUtils.displayMessageInFolderTab(hdr);
  await new Promise(r => setTimeout(r, 1500));
  done(true);
`;

/** Sends the open draft later (into Local Folders' Unsent Messages: the tests have no SMTP server). */
export const SEND_LATER = `
  const w = Services.wm.getMostRecentWindow("msgcompose");
  w.goDoCommand("cmd_sendLater");
  done(true);
`;

/** How many drafts are open, and the subjects in Unsent Messages (what went as email), after `args[0]` ms. */
export const OUTBOX = `
  const { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
  await new Promise(r => setTimeout(r, args[0]));
  const root = MailServices.accounts.localFoldersServer.rootFolder;
  const outbox = [...root.subFolders].find((f) => f.getFlag(Ci.nsMsgFolderFlags.Queue));
  const drafts = [...Services.wm.getEnumerator("msgcompose")].filter((w) => !w.closed).length;
  done({ drafts, unsent: outbox ? [...outbox.messages].map((h) => h.mime2DecodedSubject) : [] });
`;

/**
 * For the picture of the thread: a saved search over the Inbox and the history folder (args[0])
 * for the subject args[1], shown threaded, the newest message selected — the email and the
 * conversation that followed it in one thread, as Thunderbird threads them by References.
 */
export const SHOW_THREAD = `
  const { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
  const { VirtualFolderHelper } = ChromeUtils.importESModule("resource:///modules/VirtualFolderWrapper.sys.mjs");
  const root = MailServices.accounts.localFoldersServer.rootFolder;
  const folders = [root.getChildNamed("Inbox"), root.getChildNamed(args[0])];
  const session = Cc["@mozilla.org/messenger/searchSession;1"].createInstance(Ci.nsIMsgSearchSession);
  const term = session.createTerm();
  term.attrib = Ci.nsMsgSearchAttrib.Subject;
  term.op = Ci.nsMsgSearchOp.Contains;
  const value = term.value;
  value.attrib = term.attrib;
  value.str = args[1];
  term.value = value;
  term.booleanAnd = true;
  const saved = VirtualFolderHelper.createNewVirtualFolder("Thread: " + args[1], root, folders, [term], false);
  const about = Services.wm.getMostRecentWindow("mail:3pane").gTabmail.currentAbout3Pane;
  about.displayFolder(saved.virtualFolder.URI);
  for (let i = 0; i < 50 && !about.gViewWrapper?.dbView; i++) await new Promise(r => setTimeout(r, 100));
  await new Promise(r => setTimeout(r, 1500)); // the search over both folders
  about.gViewWrapper.showThreaded = true;
  about.gDBView.doCommand(Ci.nsMsgViewCommandType.expandAll);
  await new Promise(r => setTimeout(r, 500));
  about.threadTree.selectedIndex = about.gDBView.rowCount - 1;
  await new Promise(r => setTimeout(r, 1500));
  done(about.gDBView.rowCount);
`;

/**
 * Puts whole RFC 822 messages (args[2]) into the folder args[1] under the root of args[0]
 * ("local" for Local Folders, else an account's key such as "account1"), making the folder when
 * missing — as another program (Exchange's Skype history over IMAP, a filter, the person) would.
 */
export const ADD_MESSAGES = `
  const { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
  const root = args[0] === "local" ? MailServices.accounts.localFoldersServer.rootFolder : MailServices.accounts.getAccount(args[0]).incomingServer.rootFolder;
  if (!root.containsChildNamed(args[1])) root.createSubfolder(args[1], null);
  const folder = root.getChildNamed(args[1]).QueryInterface(Ci.nsIMsgLocalMailFolder);
  for (const m of args[2]) folder.addMessage("From - Mon Jan 06 09:00:00 2020\\n" + m.replace(/\\r\\n/g, "\\n"));
  done(true);
`;

/** The subjects in the folder args[1] under the root of args[0] (as ADD_MESSAGES names it), sorted; null when there is no such folder. */
export const SUBJECTS = `
  const { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
  const root = args[0] === "local" ? MailServices.accounts.localFoldersServer.rootFolder : MailServices.accounts.getAccount(args[0]).incomingServer.rootFolder;
  if (!root.containsChildNamed(args[1])) return done(null);
  done([...root.getChildNamed(args[1]).messages].map((h) => h.mime2DecodedSubject).sort());
`;
