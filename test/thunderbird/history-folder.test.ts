// F24/F25 end to end in real Thunderbird (the built XPI in a fresh profile under Xvfb, the run's
// Prosody, bob as an engine in Node): the conversation after Reply via IM is saved in the
// Conversation History folder, threaded with the email and found by Thunderbird's search; a
// restart of Thunderbird leaves one copy; the email shows the IMs that followed it; retention
// deletes only what the add-in wrote, in the folder it made; "Send as IM instead" sends a short
// email to bob (online) as an IM once the person accepts, and carol's (offline) as an email.
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { buildToTemp, ROOT } from "../kit/build";
import type { IncomingIm } from "../../src/engine/engine";
import { stopEngines, testEngine } from "../kit/engine";
import { keys, mbox, person, rfc822, startThunderbird, type Thunderbird } from "../../scripts/lib/thunderbird";
import { server, until, users } from "../kit/xmpp";
import type { Account } from "../../src/xmpp/connection";
import {
  ADD_MESSAGES,
  fullTextSearch,
  historyMessages,
  IM_LINE,
  OUTBOX,
  SEND_LATER,
  SHOW_SAVED,
  SHOW_THREAD,
  SUBJECTS,
  type SavedConversation,
} from "./history-kit";

let out: string;
let tb: Thunderbird | undefined;

beforeAll(async () => {
  ({ out } = await buildToTemp());
  await mkdir(join(ROOT, "artifacts"), { recursive: true });
}, 60_000);
afterEach(async () => {
  await tb?.stop();
  tb = undefined;
  await stopEngines();
});
afterAll(() => rm(out, { recursive: true, force: true }));

const mailbox = (alice: Account, bob: Account) =>
  mbox([
    rfc822({
      from: `Bob Builder <${bob.jid}>`,
      to: alice.jid,
      subject: "Budget draft",
      id: "b26@mail.example.org",
      date: "Mon, 26 Oct 2026 09:00:00 +0000",
      body: "Here is a first draft.",
    }),
    rfc822({
      from: `Bob Builder <${bob.jid}>`,
      to: alice.jid,
      subject: "Budget 2027",
      id: "b27@mail.example.org",
      date: "Mon, 2 Nov 2026 09:00:00 +0000",
      body: "The numbers are attached.",
      headers: { References: "<b26@mail.example.org>" },
    }),
  ]);
const xpi = () => join(out, "reply-via-im-0.1.0.xpi");
// IT presets the server (so the form asks for the address and the password only)
const preset = (extra: Record<string, unknown> = {}) => ({ service: server().service, ...extra });
const logTail = () =>
  tb!
    .log()
    .split("\n")
    .filter((l) => /Reply via IM|error/i.test(l))
    .slice(-15)
    .join("\n");

/** Shows an email once the add-on's button on it is labelled (the add-on may still be starting on a busy machine). */
const showEmail = (me: ReturnType<typeof person>, id: string) =>
  until(async () => (await me.showMessage(id)) === "Reply via IM", `the email ${id} with the Reply via IM button`, 60_000);

/** Reply via IM on bob's email, the account given once, the IM typed and delivered. */
async function replyViaIm(me: ReturnType<typeof person>, alice: Account, bob: Account, text: string) {
  await showEmail(me, "b27@mail.example.org");
  expect(await me.pressReplyViaIm()).toBe(true);
  await me.waitTitle("^Your XMPP account$", 20_000);
  // the address is already there, from the mail identity the email was sent to: the password only
  await me.type([{ text: alice.password ?? "" }, keys.enter]);
  await me.waitTitle("^IM to Bob Builder$", 30_000).catch(async (e: Error) => {
    await me.pictureOfImWindow(join(ROOT, "artifacts", "history-folder-sign-in.png"));
    throw new Error(`${e.message} (the window: artifacts/history-folder-sign-in.png)\n${logTail()}`);
  });
  await me.type([{ text }, keys.ctrlEnter]);
  await me.waitTitle("— Delivered$", 20_000);
}

/** Waits until the history folder holds what `ready` wants; returns it and how long that took. */
async function folderUntil(ready: (saved: SavedConversation[]) => boolean, what: string, ms = 20_000) {
  const t0 = Date.now();
  let saved: SavedConversation[] = [];
  await until(async () => ready((saved = await historyMessages(tb!))), what, ms).catch((e: Error) => {
    throw new Error(`${e.message}; the folder holds ${JSON.stringify(saved)}\n${logTail()}`);
  });
  return { saved, ms: Date.now() - t0 };
}

describe("F24 the conversation lives with the email, in real Thunderbird", () => {
  it("after Reply via IM and bob's answer: one message in Conversation History with both IMs, threaded under the email, found by Thunderbird's search; the email shows the IMs after it; a restart leaves one copy", async () => {
    const { alice, bob } = await users("alice", "bob");
    const b = testEngine(bob);
    await b.start();
    const restartable = await startThunderbird({ xpi: xpi(), me: alice.jid, folders: { Inbox: mailbox(alice, bob) }, preset: preset() });
    tb = restartable;
    const me = person(tb);
    await replyViaIm(me, alice, bob, "Can we go through the budget today?");
    // written as soon as the conversation has its first IM
    const first = await folderUntil((s) => s.length === 1, "the conversation's first IM in the folder");
    expect(first.saved[0]!.text).toContain("Can we go through the budget today?");

    expect((await b.replyViaIm("Yes, the flamingo figures are final", { to: alice.jid })).state).toBe("delivered");
    const updated = await folderUntil((s) => s.some((m) => m.text.includes("flamingo")), "bob's IM in the saved conversation");
    console.log(`F24 figure: bob's IM delivered → the folder's copy updated in ${updated.ms} ms (write delay 1500 ms)`);
    expect(updated.ms).toBeLessThan(10_000);
    const [saved] = updated.saved;
    expect(updated.saved).toHaveLength(1); // replaced in place, never a second copy
    expect(saved).toMatchObject({ subject: "IM with Bob Builder: Budget 2027", author: `Bob Builder <${bob.jid}>`, inReplyTo: "<b27@mail.example.org>" });
    expect(saved!.references).toContain("<b27@mail.example.org>");
    expect(saved!.text.indexOf("Can we go through the budget today?")).toBeLessThan(saved!.text.indexOf("Yes, the flamingo figures are final"));
    expect(saved!.text).toMatch(/\] Test User: Can we go through the budget today\?/);
    expect(saved!.text).toMatch(/\] Bob Builder: Yes, the flamingo figures are final/);
    // Thunderbird's own search finds a word only bob said, in the saved conversation
    expect(await fullTextSearch(tb, "flamingo")).toEqual([{ subject: "IM with Bob Builder: Budget 2027", folder: "Conversation History" }]);

    // linked both ways: the email says what followed it (when the person comes back to it)
    await showEmail(me, "b26@mail.example.org");
    await showEmail(me, "b27@mail.example.org");
    const line = await tb.chrome<string>(IM_LINE, ["^💬 2 IMs with Bob Builder after this email$", 20_000], 30_000).catch((e: Error) => {
      throw new Error(`${e.message}\n${logTail()}`);
    });
    expect(line).toBe("💬 2 IMs with Bob Builder after this email");
    await me.pictureOfMessage(join(ROOT, "artifacts", "ims-after-email.png"));
    await tb.chrome(SHOW_SAVED, ["Conversation History"]);
    await me.pictureOfWindow("mail:3pane", join(ROOT, "artifacts", "conversation-saved.png"));
    // the thread: the email and the conversation after it, threaded by References in a saved search over both folders
    expect(await tb.chrome<number>(SHOW_THREAD, ["Conversation History", "Budget 2027"], 30_000)).toBe(2);
    await me.pictureOfWindow("mail:3pane", join(ROOT, "artifacts", "conversation-thread.png"));

    // Thunderbird quits and starts again on the same profile: still one copy, and the next IM updates it
    await restartable.restart();
    await until(() => b.features.presence.isAvailable(alice.jid), "alice back online after the restart", 60_000);
    await new Promise((r) => setTimeout(r, 4000)); // longer than the write delay: any write at start-up would have happened
    expect((await historyMessages(tb)).length).toBe(1);
    expect((await b.replyViaIm("And the hotel is booked", { to: alice.jid })).state).toBe("delivered");
    const after = await folderUntil((s) => s.some((m) => m.text.includes("hotel")), "the IM after the restart in the saved conversation");
    expect(after.saved).toHaveLength(1);
    expect(after.saved[0]!.text).toContain("Yes, the flamingo figures are final");
  }, 240_000);
});

describe("F24 retention deletes only what the add-in wrote, in real Thunderbird", () => {
  it("older than the retention: the add-in's own saved conversation is purged; a message without its header in its folder, and a folder of the same name it did not make, are left alone", async () => {
    const { alice, bob } = await users("alice", "bob");
    const b = testEngine(bob);
    await b.start();
    const restartable = await startThunderbird({ xpi: xpi(), me: alice.jid, folders: { Inbox: mailbox(alice, bob) }, preset: preset({ retentionDays: 30 }) });
    tb = restartable;
    const me = person(tb);
    await replyViaIm(me, alice, bob, "Shall we settle the budget?");
    await folderUntil((s) => s.length === 1, "the conversation in the folder the add-in made");

    const longAgo = "Mon, 6 Jan 2020 09:00:00 +0000";
    // as the add-in writes them (src/core/conversation-eml.ts): its Message-ID and its X-Reply-via-IM-* headers
    const ownOld = (id: string) =>
      rfc822({
        from: `Bob Builder <${bob.jid}>`,
        to: alice.jid,
        subject: "IM with Bob Builder: Old plans",
        id: `conversation.${id}@reply-via-im.org`,
        date: longAgo,
        body: "[6 Jan 2020] Bob Builder: the old plans",
        headers: { "X-Reply-via-IM-Conversation": id, "X-Reply-via-IM-Revision": `1-1578301200000-${id}` },
      });
    const skype = rfc822({
      from: `Carol <carol@corp.example>`,
      to: alice.jid,
      subject: "Skype call notes",
      id: "skype-1@corp.example",
      date: longAgo,
      body: "Notes of the call.",
    });
    // the folder the add-in made: a message someone else put there, and one of the add-in's own
    await tb.chrome(ADD_MESSAGES, ["local", "Conversation History", [skype, ownOld("00000000000000a1")]]);
    // a folder of the same name the add-in did not make (as Exchange's over IMAP): even its own kind of message stays
    await tb.chrome(ADD_MESSAGES, ["account1", "Conversation History", [skype, ownOld("00000000000000b2")]]);
    const current = "IM with Bob Builder: Budget 2027";
    expect(await tb.chrome(SUBJECTS, ["local", "Conversation History"])).toEqual([current, "IM with Bob Builder: Old plans", "Skype call notes"]);

    // retention runs when Thunderbird starts (and daily)
    await restartable.restart();
    const local = await until(
      async () => {
        const s = await tb!.chrome<string[] | null>(SUBJECTS, ["local", "Conversation History"]);
        return s && !s.includes("IM with Bob Builder: Old plans") && s;
      },
      "retention to purge the add-in's old conversation",
      60_000,
    ).catch((e: Error) => {
      throw new Error(`${e.message}\n${logTail()}`);
    });
    expect(local).toEqual([current, "Skype call notes"]);
    expect(await tb.chrome(SUBJECTS, ["account1", "Conversation History"])).toEqual(["IM with Bob Builder: Old plans", "Skype call notes"]);
  }, 240_000);
});

describe("F25 Send as IM instead, in real Thunderbird", () => {
  it("a short email to bob (online) goes as an IM once the person accepts, and the draft closes; to carol (offline) it goes as an email", async () => {
    const { alice, bob, carol } = await users("alice", "bob", "carol");
    const b = testEngine(bob);
    const got: IncomingIm[] = [];
    b.events.on("message", (m) => got.push(m));
    await b.start();
    tb = await startThunderbird({ xpi: xpi(), me: alice.jid, folders: { Inbox: mailbox(alice, bob) }, preset: preset({ sendAsIm: true }) });
    const me = person(tb);
    await replyViaIm(me, alice, bob, "Hello Bob");
    await me.closeImWindow();
    await until(() => got.length === 1, "bob to receive the first IM", 20_000);

    expect(await me.newDraft(bob.jid, "Quick one", "<p>Can you send the flamingo sheet?</p>")).toBe(true);
    await tb.chrome(SEND_LATER);
    const asked = await me.notification("Send as IM instead", true, 20_000).catch((e: Error) => {
      throw new Error(`${e.message}\n${logTail()}`);
    });
    expect(asked).toBe(
      `Send as IM instead? — Online now: ${bob.jid}. Click here to send it as an IM with the thread's history; press Send again to send it as an email.`,
    );
    await until(() => got.length === 2, "bob to receive the email as an IM", 20_000);
    expect(got[1]).toMatchObject({ from: alice.jid, text: "Can you send the flamingo sheet?" });
    expect(await tb.chrome(OUTBOX, [1500])).toEqual({ drafts: 0, unsent: [] });

    // carol is offline: her email goes as an email, nothing is offered
    expect(await me.newDraft(carol.jid, "Lunch", "<p>Friday works for me.</p>")).toBe(true);
    await tb.chrome(SEND_LATER);
    expect(await tb.chrome(OUTBOX, [4000], 20_000)).toEqual({ drafts: 0, unsent: ["Lunch"] });
    expect(got).toHaveLength(2);
  }, 180_000);
});
