// What the test pages of test/ui expose on `window`: the bundled view (bundleForPage's global)
// and the stand-in host's record of calls. Types only — page.evaluate() callbacks run in the
// browser, where they may name these types but use no value from Node.
import type { mountChat } from "../../src/ui/chat/view";
import type { ChatBackend } from "../../src/ui/chat/protocol";
import type { mountOptions } from "../../src/ui/options/view";

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
