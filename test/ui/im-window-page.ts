// The IM window's page for the tests in Chromium (test/ui/im-window.test.ts, account-form.test.ts):
// the built view on a stand-in host that records what the page asked of it (window.calls).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import type { ChatBackend } from "../../src/ui/im-window/host";
import { bundleForPage, launchChromium } from "../kit/browser";
import type { ChatPage } from "./pages";

export type Defaults = Awaited<ReturnType<NonNullable<ChatBackend["accountDefaults"]>>>;

/**
 * The IM window (the page bundle `bundle`, src/ui/im-window/view.ts) in a new page of `browser`, on a
 * host that answers like the background page does: the contact is online unless told not to.
 */
export async function openChatWindow(
  browser: Browser,
  bundle: string,
  available: boolean,
  needsAccount = false,
  defaults: Defaults = { locked: [] },
): Promise<Page> {
  const page = await browser.newPage();
  await page.setContent(
    `<!DOCTYPE html><html lang="en"><head><style>${readFileSync(join(__dirname, "../../src/ui/im-window/chat.css"), "utf8")}</style></head><body><main id="app"></main></body></html>`,
  );
  await page.addScriptTag({ content: bundle });
  await page.evaluate(
    ([online, needsAccount, defaults]) => {
      const w = window as unknown as ChatPage;
      w.calls = [];
      w.needsAccount = needsAccount;
      let listener: (e: Parameters<ChatPage["push"]>[0]) => void = () => {};
      w.push = (e) => listener(e);
      const backend: ChatBackend = {
        // the host's error as call.ts rebuilds it: a code, and the host's own text
        open: async () =>
          w.needsAccount
            ? Promise.reject(Object.assign(new Error("No XMPP account is set up."), { code: "needs-account" }))
            : {
                subject: "Budget 2027",
                to: { email: "bob@example.org", jid: "bob@example.org", source: "convention", needsConfirmation: true },
                available: online,
                history: [
                  {
                    kind: "email",
                    direction: "in",
                    at: Date.UTC(2026, 10, 2),
                    from: "bob@example.org",
                    messageId: "b27@mail.example.org",
                    subject: "Budget 2027",
                    text: "<b>numbers</b> attached",
                    attachments: [{ name: "budget.xlsx", size: 1000 }],
                    theirs: false,
                  },
                ],
                conversation: [],
              },
        send: async (text, options) => {
          w.calls.push(["send", text, options]);
          if (w.hold) await new Promise<void>((release) => (w.release = release)); // a send still on its way
          if (w.sendFails) throw new Error("The XMPP server cannot be reached — check the network, then send again.");
          return { id: "im-1", direction: "out", text, at: Date.now(), state: online ? "sent" : "asked" };
        },
        decide: async (id, choice) => {
          w.calls.push(["decide", id, choice]);
          return { id, direction: "out", text: "x", at: Date.now(), state: choice === "convert" ? "converted" : choice === "keep" ? "queued" : "cancelled" };
        },
        replyByEmail: async () => {
          w.calls.push(["replyByEmail"]);
        },
        openEmail: async (messageId) => {
          w.calls.push(["openEmail", messageId]);
        },
        correct: async (jid) => ({ email: "bob@example.org", jid, source: "user", needsConfirmation: false }),
        accountDefaults: async () => defaults,
        configure: async (account) => {
          w.calls.push(["configure", account]);
          const failure = w.configureFails?.shift();
          if (failure) throw Object.assign(new Error(failure.message), { code: failure.code });
          w.needsAccount = false;
        },
        subscribe: (fn) => void (listener = fn),
        t: (key, ...subs) => `${key}${subs.length ? `(${subs.join(",")})` : ""}`,
      };
      return w.RVIChat.mountChat(document.getElementById("app")!, backend);
    },
    [available, needsAccount, defaults] as const,
  );
  return page;
}

/**
 * A suite's Chromium and the window's bundle, made once before its tests and closed after them
 * (the hooks are registered in the calling suite). `open(...)` is openChatWindow on them.
 */
export function chatWindowSuite() {
  let browser: Browser | undefined;
  let bundle = "";
  beforeAll(async () => {
    browser = await launchChromium();
    bundle = await bundleForPage(join(__dirname, "../../src/ui/im-window/view.ts"), "RVIChat");
  }, 30_000);
  afterAll(() => browser?.close());
  type OpenArgs = Parameters<typeof openChatWindow> extends [unknown, unknown, ...infer R] ? R : never;
  return {
    browser: () => browser!,
    open: (...args: OpenArgs) => openChatWindow(browser!, bundle, ...args),
  };
}
