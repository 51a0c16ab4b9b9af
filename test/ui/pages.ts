// What the test pages of test/ui expose on `window`: the bundled view (bundleForPage's global)
// and the stand-in host's record of calls (types: page.evaluate() callbacks run in the browser,
// where they may name these types but use no value from Node); then the gallery of every page.
import { mountChat } from "../../src/ui/im-window/view";
import type { ChatBackend } from "../../src/ui/im-window/host";
import { mountOptions } from "../../src/ui/options/view";
import { mountContacts } from "../../src/ui/contacts/view";
import { mountAccess } from "../../src/ui/invite-access";
import { renderTranscript, transcriptBox, type TranscriptView } from "../../src/ui/transcript";
import { mountJoin } from "../../src/ui/join/join";
import { openRoom } from "../../src/hosts/web/room";
import { applyOfficeTheme } from "../../src/hosts/outlook/theme";
import english from "../../src/ui/_locales/en/messages.json";
import type { ChatContext, ConversationLine } from "../../src/ui/im-window/host";

/** What a view asked of its host, in order: the call's name and its arguments. */
export type Calls = [string, ...unknown[]][];

export type ChatUpdate = Parameters<Parameters<ChatBackend["subscribe"]>[0]>[0];

export interface ChatPage {
  RVIChat: { mountChat: typeof mountChat };
  calls: Calls;
  /** open() fails with needs-account until configure() is called. */
  needsAccount: boolean;
  /** What configure() fails with, one failure per call, in order (a code and the host's text), before it succeeds. */
  configureFails?: { code: string; message: string }[];
  /** Hands the window a live update, as the host's subscription would. */
  push: (e: ChatUpdate) => void;
  /** send() waits for release() (an IM still on its way), then fails when sendFails is set. */
  hold?: boolean;
  sendFails?: boolean;
  release?: () => void;
}

export interface OptionsPage {
  RVIOptions: { mountOptions: typeof mountOptions };
  calls: Calls;
  /** What test() fails with, once (a code and the host's text). */
  testFails?: { code: string; message: string };
}

// ---------------------------------------------------------------------------------------------
// The gallery: each page of the add-in mounted on a stand-in host with a person's usual day in it
// (test/ui/axe.test.ts checks each with axe-core, and with RVI_PICTURES=1 photographs it). This
// part is bundled for the page (test/kit/axe.ts) and runs in the browser.

/** The English strings, as the hosts read them ($1… filled in); the key itself when one is missing. */
const messages = english as Record<string, { message: string }>;
const t = (key: string, ...subs: string[]) => messages[key]?.message.replace(/\$(\d)/g, (_, n: string) => subs[Number(n) - 1] ?? "") ?? key;
const app = () => document.getElementById("app")!;
const day = (daysAgo: number, h: number, m: number) => {
  const d = new Date();
  d.setDate(d.getDate() - daysAgo);
  d.setHours(h, m, 0, 0);
  return d.getTime();
};

/** Bob Builder's conversation: yesterday's and today's IMs, the earlier emails, one IM not delivered. */
export function chatContext(extra: ConversationLine[] = [], picture?: string): ChatContext {
  const to = {
    email: "bob@example.org",
    jid: "bob@example.org",
    name: "Bob Builder",
    source: "convention",
    needsConfirmation: true,
    ...(picture ? { avatar: picture } : {}),
  };
  return {
    subject: "Budget 2027",
    to,
    available: true,
    history: [
      {
        kind: "email",
        direction: "in",
        at: day(3, 9, 12),
        from: "bob@example.org",
        fromName: "Bob Builder",
        subject: "Budget 2027",
        text: "Hi Alice,\nthe numbers for next year are attached. Travel is up 12 %, the rest is flat.\nBob",
        attachments: [{ name: "budget.xlsx", size: 20_480 }],
        theirs: false,
      },
      {
        kind: "email",
        direction: "out",
        at: day(2, 16, 40),
        from: "alice@example.org",
        subject: "Re: Budget 2027",
        text: "Thanks Bob — can we go through travel on Thursday?",
        attachments: [],
        theirs: false,
      },
    ] as ChatContext["history"],
    conversation: [
      { id: "c1", direction: "out", text: "Bob, do you have a minute for the budget?", at: day(1, 10, 2), state: "delivered" },
      { id: "c2", direction: "in", text: "Sure — after lunch?", at: day(1, 10, 3) },
      { id: "c3", direction: "in", text: "I will bring the travel numbers.", at: day(1, 10, 3) },
      { id: "c4", direction: "out", text: "Perfect, 14:00 then.", at: day(1, 10, 5), state: "delivered" },
      {
        id: "c5",
        direction: "out",
        text: "The room changed: we are in B.2.14.",
        at: day(0, 13, 51),
        state: "failed",
        reason: "The XMPP server did not confirm the IM in time.",
      },
      { id: "c6", direction: "out", text: "Are you on your way?", at: day(0, 13, 55), state: "sent" },
      ...extra,
    ],
  };
}

export const gallery = {
  chat(lines: ConversationLine[] = [], picture?: string) {
    const w = window as unknown as { push?: (e: unknown) => void; typed: string[] };
    w.typed = [];
    return mountChat(app(), {
      open: async () => chatContext(lines, picture),
      send: async (text) => ({ id: `s${Date.now()}`, direction: "out", text, at: Date.now(), state: "sending" as ConversationLine["state"] }),
      decide: async (id) => ({ id, direction: "out", text: "", at: Date.now(), state: "queued" }),
      correct: async (jid) => ({ ...chatContext().to, jid, source: "user", needsConfirmation: false }),
      replyByEmail: async () => undefined,
      configure: async () => undefined,
      subscribe: (fn) => void (w.push = fn as (e: unknown) => void),
      typing: async (state) => void w.typed.push(state),
      t,
    });
  },
  options() {
    return mountOptions(app(), {
      load: async () => ({
        settings: {
          service: "wss://chat.example.org/xmpp-websocket",
          jid: "alice@example.org",
          password: "",
          historyLimit: 20,
          retentionDays: 0,
          joinPage: "https://addins.example.org/web/join.html",
        },
        locked: [],
        mappings: [
          { email: "bob@example.org", jid: "bob@chat.example.org", source: "user" },
          { email: "carol@example.org", jid: "carol@example.org", source: "convention" },
        ],
        usage: { imsSent: 12, imsDelivered: 11 },
      }),
      save: async () => undefined,
      test: async () => ({ usable: true, checks: [] }),
      forgetMapping: async () => undefined,
      exportUsage: async () => "",
      t,
    });
  },
  contacts(extra: { jid: string; name?: string }[] = []) {
    return mountContacts(app(), {
      list: async () => ({
        requests: [{ from: "dave@example.net", text: "Hello, we met at the fair", count: 1 }],
        contacts: [
          ...extra.map((c) => ({ ...c, online: true, subscription: "both" as const, waiting: false })),
          { jid: "bob@example.org", name: "Bob Builder", online: true, subscription: "both", waiting: false },
          { jid: "carol@example.org", name: "Carol Diaz", online: false, subscription: "to", waiting: false },
          { jid: "erin@example.org", online: false, subscription: "none", waiting: true },
        ],
      }),
      add: async () => undefined,
      remove: async () => undefined,
      accept: async () => undefined,
      refuse: async () => undefined,
      chat: () => undefined,
      subscribe: () => undefined,
      t,
    });
  },
  /** Thunderbird's popup of the compose button, ready (what src/hosts/thunderbird/invite.ts fills in). */
  invite() {
    (document.getElementById("icon") as HTMLImageElement).alt = t("inviteIconAlt");
    const insert = document.getElementById("insert") as HTMLButtonElement;
    insert.textContent = t("inviteInsert");
    insert.disabled = false;
    document.getElementById("hint")!.textContent = t("inviteReady");
    mountAccess(document.querySelector("main")!, t, async () => undefined).enable();
  },
  /** Outlook's compose pane, ready (src/hosts/outlook/compose.ts). */
  compose() {
    (document.getElementById("icon") as HTMLImageElement).alt = t("inviteIconAlt");
    const insert = document.getElementById("insert") as HTMLButtonElement;
    insert.textContent = t("inviteInsert");
    insert.disabled = false;
    document.getElementById("retry")!.textContent = t("tryAgain");
    document.getElementById("hint")!.textContent = t("inviteReady");
    document.getElementById("invited")!.textContent = t("invitedList", "bob@example.org, carol@example.org");
    mountAccess(document.getElementById("options")!, t, async () => undefined).enable();
  },
  /** The banner above an email that carries an invitation (in Thunderbird: inside the message display). */
  transcript(records: TranscriptView["records"] = []) {
    const view: TranscriptView = {
      ended: false,
      own: true,
      subject: "Budget review",
      inviter: "alice@example.org",
      invited: ["bob@example.org", "carol@example.org"],
      audience: [{ who: "Bob Builder", joinedAt: day(0, 9, 1) }],
      records: [
        { at: day(0, 9, 2), from: "alice", text: "Welcome — the agenda is in the email", id: "r1" },
        { at: day(0, 9, 3), from: "Bob Builder", text: "Hi all, I am here", id: "r2" },
        ...records,
      ],
      link: "https://addins.example.org/web/join.html#s=…",
    };
    const place = document.getElementById("transcript") ?? document.body;
    renderTranscript(
      transcriptBox(document, (b) => place.prepend(b), t),
      view,
      t,
      { rejoin: () => undefined, refresh: () => undefined },
    );
  },
  /** The Outlook task pane: notice, transcript, the IM window, the contacts panel (src/hosts/outlook/taskpane.ts). */
  async taskpane(officeTheme?: Parameters<typeof applyOfficeTheme>[0]) {
    if (officeTheme) applyOfficeTheme(officeTheme);
    document.getElementById("pane-notice")!.textContent = t("paneNotice");
    document.querySelector("#contacts-panel summary")!.textContent = t("contactsOpen");
    await gallery.chat();
    gallery.transcript();
  },
  join(link: string, service: string, guestDomain?: string) {
    return mountJoin(app(), link, async () => ({ service, guestDomain }), openRoom);
  },
};
