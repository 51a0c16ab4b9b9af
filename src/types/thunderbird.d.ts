// Typings for the Thunderbird MailExtension APIs the add-in uses (messenger.*), as the
// WebExtension API reference gives them, for the members the add-in calls. Only
// src/hosts/thunderbird may use them (test/boundaries.test.ts). Content and message display
// scripts reach the same APIs as `browser` (declared below).
declare namespace messenger {
  type Listener<A extends unknown[]> = { addListener(fn: (...args: A) => unknown): void; removeListener(fn: (...args: A) => unknown): void };
  namespace folders {
    interface MailFolder {
      id: string;
      accountId: string;
      name: string;
      path: string;
    }
    function getSubFolders(id: string, includeSubFolders?: boolean): Promise<MailFolder[]>;
    function create(parentId: string, name: string): Promise<MailFolder>;
  }
  namespace messages {
    interface MessageHeader {
      id: number;
      date: Date;
      author: string;
      recipients: string[];
      ccList: string[];
      subject: string;
      headerMessageId: string;
      folder?: folders.MailFolder;
    }
    interface MessagePart {
      contentType?: string;
      body?: string;
      parts?: MessagePart[];
      headers?: Record<string, string[]>;
      name?: string;
      size?: number;
    }
    interface MessageList {
      id: string | null;
      messages: MessageHeader[];
    }
  }
  // an object, not a namespace: two of its members are named with reserved words
  const messages: {
    get(id: number): Promise<messages.MessageHeader>;
    getFull(id: number): Promise<messages.MessagePart>;
    query(q: Record<string, unknown>): Promise<messages.MessageList>;
    continueList(id: string): Promise<messages.MessageList>;
    listAttachments(id: number): Promise<{ name: string; size: number; contentType: string; partName: string }[]>;
    import(file: File, folderId: string, props?: { read?: boolean }): Promise<messages.MessageHeader>;
    delete(ids: number[], opts?: { deletePermanently?: boolean }): Promise<void>;
  };
  namespace messageDisplay {
    function getDisplayedMessage(tabId: number): Promise<messages.MessageHeader | null>;
    function open(o: { headerMessageId?: string; messageId?: number; location?: "tab" | "window" }): Promise<unknown>;
  }
  namespace messageDisplayScripts {
    function register(o: { js?: ({ file: string } | { code: string })[]; css?: { file: string }[] }): Promise<unknown>;
  }
  namespace messageDisplayAction {
    const onClicked: Listener<[{ id: number }, unknown?]>;
    function setBadgeText(details: { text: string | null; tabId?: number }): Promise<void>;
  }
  namespace browserAction {
    const onClicked: Listener<[{ id: number }, unknown?]>;
    function setBadgeText(details: { text: string | null }): Promise<void>;
  }
  namespace composeAction {
    const onClicked: Listener<[{ id: number }, unknown?]>;
  }
  namespace compose {
    interface ComposeDetails {
      to?: string[];
      cc?: string[];
      bcc?: string[];
      subject?: string;
      body?: string;
      plainTextBody?: string;
      isPlainText?: boolean;
      relatedMessageId?: number;
    }
    function beginReply(messageId: number, replyType?: "replyToSender" | "replyToList" | "replyToAll", details?: ComposeDetails): Promise<{ id: number }>;
    function beginNew(messageId?: number | ComposeDetails, details?: ComposeDetails): Promise<{ id: number }>;
    function getComposeDetails(tabId: number): Promise<ComposeDetails>;
    function listAttachments(tabId: number): Promise<unknown[]>;
    /** A listener's answer `{ cancel: true }` keeps the draft open; a Promise is waited for. */
    const onBeforeSend: { addListener(l: (tab: { id: number }, d: ComposeDetails) => Promise<{ cancel?: boolean } | undefined>): void };
    const onAfterSend: Listener<[{ id: number }, { mode: string; messages: messages.MessageHeader[]; error?: string }]>;
  }
  namespace tabs {
    function query(q: { active?: boolean; currentWindow?: boolean }): Promise<{ id: number }[]>;
    function executeScript(tabId: number, o: { file: string }): Promise<unknown>;
    function sendMessage(tabId: number, m: unknown): Promise<unknown>;
    function remove(tabId: number): Promise<void>;
  }
  namespace windows {
    interface Bounds {
      top: number;
      left: number;
      width: number;
      height: number;
    }
    function create(o: Partial<Bounds> & { type?: "popup" | "normal"; url?: string; allowScriptsToClose?: boolean }): Promise<{ id?: number }>;
    function get(id: number): Promise<Partial<Bounds>>;
    function openDefaultBrowser(url: string): Promise<void>;
    const onFocusChanged: Listener<[number]>;
    const onRemoved: Listener<[number]>;
  }
  namespace notifications {
    function create(id: string, o: { type: "basic"; title: string; message: string; iconUrl?: string }): Promise<string>;
    const onClicked: Listener<[string]>;
  }
  namespace runtime {
    interface MessageSender {
      tab?: { id?: number };
    }
    /** A listener's Promise is the answer to the sender; undefined leaves the message to others. */
    const onMessage: Listener<[unknown, MessageSender]>;
    function sendMessage(m: unknown): Promise<unknown>;
    function getURL(p: string): string;
    function openOptionsPage(): Promise<void>;
  }
  namespace storage {
    const local: { get(k?: string | string[]): Promise<Record<string, unknown>>; set(v: Record<string, unknown>): Promise<void> };
    const managed: { get(k?: string | string[]): Promise<Record<string, unknown>> };
    const onChanged: Listener<[Record<string, { oldValue?: unknown; newValue?: unknown }>, string]>;
  }
  namespace i18n {
    function getMessage(name: string, subs?: string | string[]): string;
  }
  namespace accounts {
    interface MailAccount {
      id: string;
      type: string;
      name: string;
      identities: { email: string; name: string }[];
      rootFolder?: folders.MailFolder;
    }
    function list(includeFolders?: boolean): Promise<MailAccount[]>;
    function get(id: string, includeFolders?: boolean): Promise<MailAccount | null>;
  }
  namespace identities {
    function getDefault(accountId: string): Promise<{ email: string; name?: string } | null>;
  }
  /** Manifest V2 keeps a card's vCard in `properties`; absent where the add-on lacks the permission. */
  const contacts: { quickSearch?(q: string): Promise<{ vCard?: string; properties?: { vCard?: string } }[]> } | undefined;
}

/** The same APIs in content and message display scripts. */
declare const browser: typeof messenger;
