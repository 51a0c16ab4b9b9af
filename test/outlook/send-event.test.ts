// F25 in Outlook: the Smart Alerts handler (src/hosts/outlook/send-event.ts), bundled as the build
// would bundle it for Outlook on Windows (classic) — one script, no modules — and run where that
// runtime runs it: a JavaScript context with no DOM, no localStorage, no TextEncoder, only Office.
// The Office object is a stand-in following Office.js's documented behaviour for OnMessageSend:
// Office.actions.associate(name, fn); callbacks get { status, value } asynchronously;
// isSetSupported compares Mailbox versions; item.sessionData exists from Mailbox 1.11; the
// event ends with event.completed({ allowEvent, errorMessage, cancelLabel, commandId,
// sendModeOverride }) (1.12, the last three 1.14). The manifest's LaunchEvent is checked offline.
import { build } from "esbuild";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createContext, Script } from "node:vm";
import { ROOT } from "../kit/build";
import { validateOutlookManifest } from "../../scripts/validate-outlook-manifest.mjs";

let bundle = "";
beforeAll(async () => {
  const out = await build({
    entryPoints: [join(ROOT, "src/hosts/outlook/send-event.ts")],
    bundle: true,
    format: "iife",
    platform: "browser",
    target: ["chrome110"],
    minify: true,
    write: false,
  });
  bundle = out.outputFiles[0]!.text;
}, 30_000);

interface Draft {
  to: string[];
  cc?: string[];
  body: string;
  attachments?: { isInline: boolean }[];
  failBody?: boolean;
}
const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);

/** Runs the bundled handler in a bare context on one draft; returns what it completed with and the item's sessionData. */
async function send(draft: Draft, o: { mailbox?: string; settings?: unknown; online?: unknown } = {}) {
  const mailbox = o.mailbox ?? "1.14";
  const atLeast = (v: string) => {
    const [a, b] = v.split(".").map(Number);
    const [x, y] = mailbox.split(".").map(Number);
    return x! > a! || (x === a && y! >= b!);
  };
  const answer =
    <T>(value: T, failed = false) =>
    (cb: (r: unknown) => void) =>
      void setTimeout(() => cb(failed ? { status: "failed", error: { message: "The item could not be read." } } : { status: "succeeded", value }), 0);
  const people = (list: string[] = []) => ({ getAsync: answer(list.map((emailAddress) => ({ emailAddress, displayName: "" }))) });
  const session: Record<string, string> = {};
  const associated: Record<string, (e: unknown) => void> = {};
  const roaming: Record<string, unknown> = {
    settings: o.settings ?? { sendAsIm: true, sendAsImMaxBytes: 2000 },
    "rvi-online": o.online ?? { at: NOW - 30_000, emails: ["bob@example.org", "dave@example.org"] },
  };
  const Office = {
    context: {
      mailbox: {
        item: {
          to: people(draft.to),
          cc: people(draft.cc),
          bcc: people([]),
          body: { getAsync: (type: string, cb: (r: unknown) => void) => answer(type === "text" ? draft.body : `<p>${draft.body}</p>`, draft.failBody)(cb) },
          getAttachmentsAsync: answer(draft.attachments ?? []),
          ...(atLeast("1.11")
            ? { sessionData: { setAsync: (k: string, v: string, cb: (r: unknown) => void) => ((session[k] = v), answer(undefined)(cb)) } }
            : {}),
        },
      },
      roamingSettings: { get: (k: string) => roaming[k] },
      requirements: { isSetSupported: (name: string, v: string) => name === "Mailbox" && atLeast(v) },
    },
    actions: { associate: (name: string, fn: (e: unknown) => void) => void (associated[name] = fn) },
    MailboxEnums: atLeast("1.14") ? { SendModeOverride: { PromptUser: "promptUser" } } : {},
  };
  // the classic runtime's globals: Office, timers, the language's own objects — no window, document, localStorage
  const context = createContext({
    Office,
    setTimeout,
    Date: class extends Date {
      static override now() {
        return NOW;
      }
    },
  });
  new Script(bundle).runInContext(context);
  expect(Object.keys(associated)).toEqual(["onMessageSendHandler"]);
  const done = await new Promise<Record<string, unknown>>((ok) => associated.onMessageSendHandler!({ completed: ok }));
  return { done, session };
}

describe("F25 Send as IM instead in Outlook (Smart Alerts, OnMessageSend)", () => {
  it("a short email to bob, online now: the send is held with the offer, 'Don't Send' renamed 'Send as IM' opening the pane, the IM left ready in sessionData", async () => {
    const { done, session } = await send({ to: ["Bob@example.org"], body: "Can you send the flamingo sheet?" });
    expect(done).toEqual({
      allowEvent: false,
      errorMessage: "Online now: bob@example.org. Send this as an IM with the thread's history instead? Send Anyway sends it as an email.",
      cancelLabel: "Send as IM",
      commandId: "rviInvitation",
      sendModeOverride: "promptUser",
    });
    expect(JSON.parse(session["rvi-send-as-im"]!)).toEqual({ text: "Can you send the flamingo sheet?", to: ["bob@example.org"] });
  });

  it("to carol, offline (not among the people online), it goes as an email; so with the setting off, an attachment, a long text, or a stale presence list", async () => {
    expect((await send({ to: ["carol@example.org"], body: "Lunch?" })).done).toEqual({ allowEvent: true });
    expect((await send({ to: ["bob@example.org", "carol@example.org"], body: "Lunch?" })).done).toEqual({ allowEvent: true });
    expect((await send({ to: ["bob@example.org"], body: "Lunch?" }, { settings: { sendAsIm: false } })).done).toEqual({ allowEvent: true });
    expect((await send({ to: ["bob@example.org"], body: "See attached", attachments: [{ isInline: false }] })).done).toEqual({ allowEvent: true });
    expect((await send({ to: ["bob@example.org"], body: "é".repeat(1001) })).done).toEqual({ allowEvent: true }); // 2002 bytes
    expect((await send({ to: ["bob@example.org"], body: "Lunch?" }, { online: { at: NOW - 180_000, emails: ["bob@example.org"] } })).done).toEqual({
      allowEvent: true,
    });
    // an inline image is part of the text, not an attachment
    expect((await send({ to: ["bob@example.org"], body: "Lunch?", attachments: [{ isInline: true }] })).done).toMatchObject({ allowEvent: false });
  });

  it("on Mailbox 1.12 the offer is the message alone (no renamed button before 1.14); an item that cannot be read lets the email go", async () => {
    const { done } = await send({ to: ["bob@example.org"], cc: ["dave@example.org"], body: "Lunch?" }, { mailbox: "1.12" });
    expect(done).toEqual({ allowEvent: false, errorMessage: expect.stringContaining("Online now: bob@example.org, dave@example.org.") as unknown });
    expect((await send({ to: ["bob@example.org"], body: "x", failBody: true })).done).toEqual({ allowEvent: true });
  });

  it("the manifest declares it offline-valid, and the built script associates the handler the manifest names", async () => {
    const dir = await mkdtemp(join(tmpdir(), "rvi-send-event-"));
    try {
      const xml = await readFile(join(ROOT, "manifest.xml"), "utf8");
      expect(xml).toMatch(/<LaunchEvent Type="OnMessageSend" FunctionName="onMessageSendHandler" SendMode="PromptUser"\/>/);
      await writeFile(join(dir, "send-event.js"), bundle);
      expect(await validateOutlookManifest(xml, { schemas: null, dir })).toMatchObject({ valid: true, problems: [] });
      await writeFile(join(dir, "send-event.js"), bundle.replaceAll("onMessageSendHandler", "somethingElse"));
      expect((await validateOutlookManifest(xml, { schemas: null, dir })).problems).toEqual([
        expect.stringContaining('does not associate "onMessageSendHandler"'),
      ]);
      const noRuntime = xml.replace('<SourceLocation resid="SendEvent.Url"/>', '<SourceLocation resid="Taskpane.Url"/>');
      expect((await validateOutlookManifest(noRuntime, { schemas: null, dir })).problems).toContain(
        "LaunchEvent: SourceLocation Taskpane.Url is not a Runtime's resid",
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
