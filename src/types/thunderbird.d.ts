// Minimal typings for the Thunderbird MailExtension APIs the add-in uses (messenger.*).
// Only src/hosts/thunderbird may use them (test/boundaries.test.ts).
declare namespace messenger {
  type Listener<A extends unknown[]> = { addListener(fn: (...args: A) => unknown): void; removeListener(fn: (...args: A) => unknown): void };
  namespace messages {
    interface MessageHeader {
      id: number; date: Date; author: string; recipients: string[]; ccList: string[]; subject: string;
      headerMessageId: string; folder?: unknown;
    }
    interface MessagePart { contentType?: string; body?: string; parts?: MessagePart[]; headers?: Record<string, string[]>; name?: string; size?: number }
    function get(id: number): Promise<MessageHeader>;
    function getFull(id: number): Promise<MessagePart>;
    function query(q: Record<string, unknown>): Promise<{ id: string | null; messages: MessageHeader[] }>;
    function listAttachments(id: number): Promise<{ name: string; size: number; contentType: string; partName: string }[]>;
  }
  namespace messageDisplay {
    function getDisplayedMessage(tabId: number): Promise<messages.MessageHeader | null>;
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
    interface ComposeDetails { to?: string[]; subject?: string; body?: string; plainTextBody?: string; isPlainText?: boolean }
    function beginReply(messageId: number, replyType?: "replyToSender" | "replyToList" | "replyToAll", details?: ComposeDetails): Promise<{ id: number }>;
    function beginNew(messageId?: number | ComposeDetails, details?: ComposeDetails): Promise<{ id: number }>;
    function getComposeDetails(tabId: number): Promise<ComposeDetails>;
    const onAfterSend: Listener<[{ id: number }, { mode: string; messages: messages.MessageHeader[]; error?: string }]>;
  }
  namespace windows {
    function create(o: { type?: "popup" | "normal"; url?: string; width?: number; height?: number; allowScriptsToClose?: boolean }): Promise<{ id: number }>;
  }
  namespace notifications {
    function create(id: string, o: { type: "basic"; title: string; message: string; iconUrl?: string }): Promise<string>;
    const onClicked: Listener<[string]>;
  }
  namespace runtime {
    const onMessage: Listener<[unknown, unknown]>;
    function sendMessage(m: unknown): Promise<unknown>;
    function getURL(p: string): string;
    function openOptionsPage(): Promise<void>;
  }
  namespace storage {
    const local: { get(k?: string | string[]): Promise<Record<string, unknown>>; set(v: Record<string, unknown>): Promise<void> };
    const managed: { get(k?: string | string[]): Promise<Record<string, unknown>> };
  }
  namespace i18n {
    function getMessage(name: string, subs?: string | string[]): string;
  }
  namespace accounts {
    function list(includeFolders?: boolean): Promise<{ id: string; identities: { email: string; name: string }[] }[]>;
  }
  namespace identities {
    function getDefault(accountId: string): Promise<{ email: string } | null>;
  }
}
