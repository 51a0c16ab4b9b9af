// End to end in real Thunderbird: the built XPI, unchanged, in a fresh profile under Xvfb, with
// the run's Prosody; the test presses the real toolbar button and types in the IM window, as a
// person would. The other side is an engine in Node.
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { buildToTemp, ROOT } from "../kit/build";
import type { IncomingIm } from "../../src/engine/engine";
import { stopEngines, testEngine } from "../kit/engine";
import { BUTTON_ID, COMPOSE_BUTTON_ID, mbox, startThunderbird, type Thunderbird } from "../kit/thunderbird";
import { until, users } from "../kit/xmpp";
import type { Account } from "../../src/xmpp/connection";

const ARTIFACTS = join(ROOT, "artifacts");
let out: string;
let tb: Thunderbird | undefined;

beforeAll(async () => {
  ({ out } = await buildToTemp());
  await mkdir(ARTIFACTS, { recursive: true });
}, 60_000);
afterEach(async () => {
  await tb?.stop();
  tb = undefined;
  await stopEngines();
});
afterAll(() => rm(out, { recursive: true, force: true }));

const rfc822 = (m: { from: string; to: string; subject: string; id: string; date: string; body: string }) =>
  `From: ${m.from}\nTo: ${m.to}\nSubject: ${m.subject}\nMessage-ID: <${m.id}>\nDate: ${m.date}\nContent-Type: text/plain; charset=utf-8\n\n${m.body}\n`;

/** The mailbox: two earlier emails between alice and bob (both ways), one with carol, and bob's latest. */
const mailbox = (alice: Account, bob: Account) => mbox([
  rfc822({ from: `Bob <${bob.jid}>`, to: alice.jid, subject: "Budget draft", id: "b26@mail.example.org", date: "Mon, 26 Oct 2026 09:00:00 +0000", body: "Here is a first draft." }),
  rfc822({ from: `Alice <${alice.jid}>`, to: bob.jid, subject: "Re: Budget draft", id: "a27@mail.example.org", date: "Tue, 27 Oct 2026 10:00:00 +0000", body: "Travel looks high." }),
  rfc822({ from: `Carol <carol@example.org>`, to: alice.jid, subject: "Lunch", id: "c28@mail.example.org", date: "Wed, 28 Oct 2026 11:00:00 +0000", body: "Lunch on Friday?" }),
  rfc822({ from: `Bob <${bob.jid}>`, to: alice.jid, subject: "Budget 2027", id: "b27@mail.example.org", date: "Mon, 2 Nov 2026 09:00:00 +0000", body: "The numbers are attached." }),
]);

/** Opens Local Folders' Inbox and shows the message with the given Message-ID, as a person would. */
const SHOW_MESSAGE = `
  const { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
  const { MailUtils } = ChromeUtils.importESModule("resource:///modules/MailUtils.sys.mjs");
  for (let i = 0; i < 100 && !Services.wm.getMostRecentWindow("mail:3pane")?.gTabmail; i++) await new Promise(r => setTimeout(r, 100));
  const folder = MailServices.accounts.localFoldersServer.rootFolder.getChildNamed("Inbox");
  const win = Services.wm.getMostRecentWindow("mail:3pane");
  win.gTabmail.currentAbout3Pane.displayFolder(folder.URI);
  let hdr;
  for (let i = 0; i < 100 && !hdr; i++) {
    await new Promise(r => setTimeout(r, 100));
    try { hdr = [...folder.messages].find(h => h.messageId === args[0]); } catch {} // still being indexed
  }
  MailUtils.displayMessageInFolderTab(hdr);
  let btn;
  for (let i = 0; i < 100 && !btn; i++) {
    await new Promise(r => setTimeout(r, 100));
    btn = win.gTabmail.currentAbout3Pane?.messageBrowser?.contentWindow?.document.getElementById(args[1]);
  }
  done(btn ? btn.label : null);
`;

/** Presses the toolbar button and waits for the IM window (a popup window). */
const PRESS_BUTTON = `
  const win = Services.wm.getMostRecentWindow("mail:3pane");
  win.gTabmail.currentAbout3Pane.messageBrowser.contentWindow.document.getElementById(args[0]).click();
  let popup;
  for (let i = 0; i < 100 && !popup; i++) {
    await new Promise(r => setTimeout(r, 100));
    for (const w of Services.wm.getEnumerator(null)) if (w.location.href.includes("extensionPopup")) popup = w;
  }
  done(Boolean(popup));
`;

/** Types into whatever has focus in the IM window, through the real input path (TextInputProcessor). */
const TYPE = `
  let popup;
  for (const w of Services.wm.getEnumerator(null)) if (w.location.href.includes("extensionPopup")) popup = w;
  popup.focus();
  const tip = Cc["@mozilla.org/text-input-processor;1"].createInstance(Ci.nsITextInputProcessor);
  tip.beginInputTransactionForTests(popup);
  for (const step of args[0]) {
    if (step.wait) { await new Promise(r => setTimeout(r, step.wait)); continue; }
    if (step.key) {
      const mods = (step.mods || []).map(k => new popup.KeyboardEvent("", { key: k }));
      mods.forEach(e => tip.keydown(e));
      const e = new popup.KeyboardEvent("", { key: step.key, code: step.key, keyCode: step.keyCode });
      tip.keydown(e); tip.keyup(e);
      mods.reverse().forEach(e => tip.keyup(e));
      continue;
    }
    for (const ch of step.text) { const e = new popup.KeyboardEvent("", { key: ch }); tip.keydown(e); tip.keyup(e); }
  }
  done(true);
`;

/** Waits until the IM window's title (its page's title, shown by Thunderbird) matches. */
const WAIT_TITLE = `
  const re = new RegExp(args[0]);
  let title = "";
  for (let i = 0; i < args[1] / 100; i++) {
    let popup;
    for (const w of Services.wm.getEnumerator(null)) if (w.location.href.includes("extensionPopup")) popup = w;
    title = popup ? (popup.document.querySelector("browser")?.contentTitle || popup.document.title) : "";
    if (re.test(title)) return done(title);
    await new Promise(r => setTimeout(r, 100));
  }
  done({ __error: "title stayed " + JSON.stringify(title) });
`;

/** A picture of the IM window, as the person sees it. */
const SNAPSHOT = `
  let popup;
  for (const w of Services.wm.getEnumerator(null)) if (w.location.href.includes("extensionPopup")) popup = w;
  const browser = popup.document.querySelector("browser");
  const snap = await browser.browsingContext.currentWindowGlobal.drawSnapshot(null, 1, "white");
  const canvas = popup.document.createElementNS("http://www.w3.org/1999/xhtml", "canvas");
  canvas.width = snap.width; canvas.height = snap.height;
  canvas.getContext("2d").drawImage(snap, 0, 0);
  done(canvas.toDataURL("image/png"));
`;

/** A picture of the draft's window (chrome and editor), as the person sees it. */
const SNAPSHOT_DRAFT = `
  const w = Services.wm.getMostRecentWindow("msgcompose");
  const snap = await w.browsingContext.currentWindowGlobal.drawSnapshot(null, 1, "white");
  const canvas = w.document.createElementNS("http://www.w3.org/1999/xhtml", "canvas");
  canvas.width = snap.width; canvas.height = snap.height;
  canvas.getContext("2d").drawImage(snap, 0, 0);
  done(canvas.toDataURL("image/png"));
`;

async function snapshotDraft(name: string) {
  const url = await tb!.chrome<string>(SNAPSHOT_DRAFT);
  await writeFile(join(ARTIFACTS, name), Buffer.from(url.split(",")[1]!, "base64"));
}

async function snapshot(name: string) {
  const url = await tb!.chrome<string>(SNAPSHOT);
  await writeFile(join(ARTIFACTS, name), Buffer.from(url.split(",")[1]!, "base64"));
}

/** What a person does first: open bob's email, press Reply via IM, give the account once. */
async function openImWindow(alice: Account, bob: Account) {
  tb = await startThunderbird({ xpi: join(out, "reply-via-im-0.1.0.xpi"), me: alice.jid, folders: { Inbox: mailbox(alice, bob) } });
  const label = await tb.chrome<string | null>(SHOW_MESSAGE, ["b27@mail.example.org", BUTTON_ID], 60_000);
  expect(label).toBe("Reply via IM");
  expect(await tb.chrome<boolean>(PRESS_BUTTON, [BUTTON_ID])).toBe(true);
  // no account yet: the window asks for it in place
  await tb.chrome(WAIT_TITLE, ["^Your XMPP account$", 20_000]);
  await tb.chrome(TYPE, [[
    { text: alice.service }, { key: "Tab", keyCode: 9 }, { text: alice.jid }, { key: "Tab", keyCode: 9 }, { text: alice.password },
    { key: "Enter", keyCode: 13 },
  ]], 60_000);
  await tb.chrome(WAIT_TITLE, [`^IM to ${bob.jid}$`, 20_000], 30_000);
}

const logTail = () => tb!.log().split("\n").filter((l) => /Reply via IM|error/i.test(l)).slice(-15).join("\n");

/** Waits for a notification (Thunderbird's alert window), returns its text, and clicks it if asked. */
const NOTIFICATION = `
  const re = new RegExp(args[0]);
  const seen = [];
  for (let i = 0; i < args[1] / 100; i++) {
    for (const w of Services.wm.getEnumerator("alert:alert")) {
      const read = (id) => { const e = w.document.getElementById(id); return (e?.value || e?.textContent || "").trim(); };
      const text = read("alertTitleLabel") + " — " + read("alertTextLabel");
      if (!seen.includes(text)) seen.push(text);
      if (re.test(text)) {
        if (args[2]) w.document.getElementById("alertBox").click();
        return done(text);
      }
    }
    await new Promise(r => setTimeout(r, 100));
  }
  done({ __error: "no notification like " + args[0] + "; seen: " + JSON.stringify(seen) });
`;

const CLOSE_POPUP = `
  for (const w of Services.wm.getEnumerator(null)) if (w.location.href.includes("extensionPopup")) w.close();
  done(true);
`;

/** Opens a new HTML draft to the given people, as a person writing an email. */
const NEW_DRAFT = `
  const { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
  const params = Cc["@mozilla.org/messengercompose/composeparams;1"].createInstance(Ci.nsIMsgComposeParams);
  const fields = Cc["@mozilla.org/messengercompose/composefields;1"].createInstance(Ci.nsIMsgCompFields);
  fields.to = args[0]; fields.subject = args[1]; fields.body = "<p>See you there.</p>";
  params.composeFields = fields; params.format = Ci.nsIMsgCompFormat.HTML;
  MailServices.compose.OpenComposeWindowWithParams(null, params);
  let w;
  for (let i = 0; i < 100 && !w?.GetCurrentEditor?.(); i++) { await new Promise(r => setTimeout(r, 100)); w = Services.wm.getMostRecentWindow("msgcompose"); }
  for (let i = 0; i < 50 && !w.document.getElementById(args[2]); i++) await new Promise(r => setTimeout(r, 100));
  done(Boolean(w.document.getElementById(args[2])));
`;

/** Presses the draft's compose button (mouse down and up, as a pointer does) and waits for its popup's title. */
const PRESS_COMPOSE_BUTTON = `
  const w = Services.wm.getMostRecentWindow("msgcompose");
  const btn = w.document.getElementById(args[0]);
  const r = btn.getBoundingClientRect();
  w.synthesizeMouseEvent("mousedown", r.x + 5, r.y + 5, { button: 0, clickCount: 1 });
  w.synthesizeMouseEvent("mouseup", r.x + 5, r.y + 5, { button: 0, clickCount: 1 });
  const re = new RegExp(args[1]);
  let title = "";
  for (let i = 0; i < 200; i++) {
    const b = [...w.document.querySelectorAll("panel browser")].find(b => b.currentURI?.spec.endsWith("/invite.html"));
    title = b?.contentTitle ?? "";
    if (re.test(title)) return done(title);
    await new Promise(r => setTimeout(r, 100));
  }
  done({ __error: "popup title stayed " + JSON.stringify(title) });
`;

/** Presses a key in the compose button's popup (keyboard focus moves into it first, as Tab would). */
const KEY_IN_DRAFT = `
  const w = Services.wm.getMostRecentWindow("msgcompose");
  const popup = [...w.document.querySelectorAll("panel browser")].find(b => b.currentURI?.spec.endsWith("/invite.html"));
  Services.focus.setFocus(popup, Services.focus.FLAG_BYKEY);
  await new Promise(r => setTimeout(r, 200));
  const tip = Cc["@mozilla.org/text-input-processor;1"].createInstance(Ci.nsITextInputProcessor);
  tip.beginInputTransactionForTests(w);
  const e = new w.KeyboardEvent("", { key: args[0], code: args[0], keyCode: args[1] });
  tip.keydown(e); tip.keyup(e);
  done(true);
`;

/** The draft's body as HTML, once it contains the given text. */
const DRAFT_HTML = `
  const w = Services.wm.getMostRecentWindow("msgcompose");
  let html = "";
  for (let i = 0; i < 100; i++) {
    html = w.GetCurrentEditor().outputToString("text/html", 0);
    if (html.includes(args[0])) return done(html);
    await new Promise(r => setTimeout(r, 100));
  }
  const popups = [...w.document.querySelectorAll("panel")].filter(p => p.state !== "closed").map(p => p.id + ":" + [...p.querySelectorAll("browser")].map(b => b.contentTitle));
  done({ __error: "the draft never got " + args[0] + ": " + html.slice(0, 2000) + " popups: " + popups + " focus: " + Services.focus.focusedElement?.outerHTML?.slice(0, 200) });
`;

/** The open compose windows, as the person would read them. */
const COMPOSE_WINDOWS = `
  const out = [];
  for (let i = 0; i < 100 && !out.length; i++) {
    await new Promise(r => setTimeout(r, 100));
    for (const w of Services.wm.getEnumerator("msgcompose")) {
      if (!w.gMsgCompose || !w.GetCurrentEditor?.()) continue;
      // the add-on's details (addresses, body) are filled in once the window is ready
      // (the address pills are copied into compFields as Thunderbird does before sending)
      for (let j = 0; j < 50 && !w.gMsgCompose.compFields.to; j++) {
        await new Promise(r => setTimeout(r, 100));
        w.Recipients2CompFields?.(w.gMsgCompose.compFields);
      }
      await new Promise(r => setTimeout(r, 500));
      const fields = w.gMsgCompose.compFields;
      out.push({ to: fields.to, subject: fields.subject, body: w.GetCurrentEditor().outputToString("text/plain", 0) });
    }
  }
  for (const w of Services.wm.getEnumerator("msgcompose")) w.close();
  done(out);
`;

describe("F1–F5, F8 in real Thunderbird", () => {
  it("Reply via IM on an email from bob: the window asks for the account, bob gets the IM with the email as history, the window shows it delivered", async () => {
    const { alice, bob } = await users("alice", "bob");
    const b = testEngine(bob);
    const got: IncomingIm[] = [];
    b.events.on("message", (m) => got.push(m));
    await b.start();
    await openImWindow(alice, bob);
    await tb!.chrome(TYPE, [[{ text: "Can we go through the budget today?" }, { key: "Enter", keyCode: 13, mods: ["Control"] }]]);
    await until(() => got.length > 0, "bob to receive the IM", 20_000).catch((e) => {
      throw new Error(`${e.message}\n${logTail()}`);
    });
    expect(got[0]).toMatchObject({ from: alice.jid, text: "Can we go through the budget today?" });
    // the earlier emails with bob, both ways, oldest first; carol's is not bob's business
    expect(got[0]!.history.items.map((x) => [x.kind, x.subject, x.text])).toEqual([
      ["email", "Budget draft", "Here is a first draft."],
      ["email", "Re: Budget draft", "Travel looks high."],
      ["email", "Budget 2027", "The numbers are attached."],
    ]);
    expect(await tb!.chrome(WAIT_TITLE, ["— Delivered$", 10_000], 20_000)).toBe(`IM to ${bob.jid} — Delivered`);
    await snapshot("thunderbird-im-window.png");
    // F8: success is notified
    expect(await tb!.chrome(NOTIFICATION, ["IM delivered", 10_000, false], 20_000)).toBe(`IM delivered — Your IM reached ${bob.jid}.`);
  }, 150_000);

  it("F9: an IM from bob arrives — a notification; clicking it opens the chat; Reply by email opens a draft with the chat", async () => {
    const { alice, bob } = await users("alice", "bob");
    const b = testEngine(bob);
    await b.start();
    await openImWindow(alice, bob);
    await tb!.chrome(TYPE, [[{ text: "Are the numbers final?" }, { key: "Enter", keyCode: 13, mods: ["Control"] }]]);
    await tb!.chrome(WAIT_TITLE, ["— Delivered$", 15_000], 30_000);
    await tb!.chrome(CLOSE_POPUP);
    const answer = await b.replyViaIm("Nearly: travel is still open", { to: alice.jid });
    expect(answer.state).toBe("delivered");
    const text = await tb!.chrome<string>(NOTIFICATION, ["Nearly: travel is still open", 15_000, true], 30_000).catch((e) => {
      throw new Error(`${e.message}\n${logTail()}`);
    });
    expect(text).toBe(`IM from ${bob.jid} — Nearly: travel is still open`);
    // the click opened the chat with bob: both IMs are there; Reply by email is two Shift+Tabs away
    await tb!.chrome(WAIT_TITLE, [`^IM to ${bob.jid}$`, 15_000], 30_000);
    await snapshot("thunderbird-chat-from-notification.png");
    await tb!.chrome(TYPE, [[{ key: "Tab", keyCode: 9, mods: ["Shift"] }, { key: "Tab", keyCode: 9, mods: ["Shift"] }, { key: "Enter", keyCode: 13 }]]);
    const windows = await tb!.chrome<{ to: string; subject: string; body: string }[]>(COMPOSE_WINDOWS, [], 60_000);
    expect(windows).toHaveLength(1);
    expect(windows[0]!.to).toContain(bob.jid);
    expect(windows[0]!.subject).toBe("Re: Budget 2027");
    expect(windows[0]!.body).toContain("Are the numbers final?");
    expect(windows[0]!.body).toContain("Nearly: travel is still open");
  }, 150_000);

  it("F10: the embeddable-IM icon in a draft — Insert puts the invitation for a room made for the recipients", async () => {
    const { alice, bob, carol } = await users("alice", "bob", "carol");
    const b = testEngine(bob);
    const invited: string[] = [];
    await b.start();
    b.features.muc.onInvite((i) => invited.push(i.room));
    await openImWindow(alice, bob); // the account is set up once, in the IM window
    await tb!.chrome(CLOSE_POPUP);
    expect(await tb!.chrome(NEW_DRAFT, [`${bob.jid}, ${carol.jid}`, "Budget review", COMPOSE_BUTTON_ID], 30_000)).toBe(true);
    await tb!.chrome(PRESS_COMPOSE_BUTTON, [COMPOSE_BUTTON_ID, "— (ready|not ready)$"], 30_000).then((title) => {
      if (!String(title).endsWith("— ready")) throw new Error(`the popup says: ${title}\n${logTail()}`);
    });
    await tb!.chrome(KEY_IN_DRAFT, ["Enter", 13]); // Insert has the focus
    const html = await tb!.chrome<string>(DRAFT_HTML, ["join.html#s="], 30_000);
    const session = /join\.html#s=([0-9a-f-]{36})&amp;m=conference\.localhost&amp;f=([^"&]+)/.exec(html);
    expect(session).not.toBeNull();
    expect(decodeURIComponent(session![2]!)).toBe(alice.jid); // the return address
    expect(html).toContain(`xmpp:${session![1]}@conference.localhost?join`);
    expect(html).toContain("See you there."); // what the person wrote is still there
    expect(html).toMatch(/<img [^>]*src="data:image\/png;base64,iVBOR/); // the icon travels inside the email
    await until(() => invited.length > 0, "bob's invitation to the room");
    expect(invited).toEqual([`${session![1]}@conference.localhost`]);
    expect(await b.features.muc.join(invited[0]!, "Bob")).toEqual({ created: false }); // the room exists
    await snapshotDraft("thunderbird-draft-invitation.png");
  }, 150_000);

  it("F6: bob is offline — the window offers the three choices; Convert to email opens a reply to bob with the IM", async () => {
    const { alice, bob } = await users("alice", "bob"); // bob never logs in
    await openImWindow(alice, bob);
    await tb!.chrome(TYPE, [[
      { text: "Are you free at 3?" }, { key: "Enter", keyCode: 13, mods: ["Control"] },
    ]]);
    await tb!.chrome(WAIT_TITLE, ["— Contact offline$", 15_000], 30_000); // the choices, "Keep and retry" focused
    await snapshot("thunderbird-offline-choices.png");
    await tb!.chrome(TYPE, [[{ key: "Tab", keyCode: 9 }, { key: "Tab", keyCode: 9 }, { key: "Enter", keyCode: 13 }]]);
    const windows = await tb!.chrome<{ to: string; subject: string; body: string }[]>(COMPOSE_WINDOWS, [], 60_000).catch((e) => {
      throw new Error(`${e.message}\n${logTail()}`);
    });
    expect(windows).toHaveLength(1);
    expect(windows[0]!.to).toContain(bob.jid);
    expect(windows[0]!.subject).toBe("Re: Budget 2027");
    expect(windows[0]!.body).toContain("Are you free at 3?");
    expect(windows[0]!.body).toContain(`Sent as email by`);
    expect(windows[0]!.body).toContain("The numbers are attached.");
  }, 150_000);

  it("F6: keep and retry — bob logs in later and gets the IM exactly once", async () => {
    const { alice, bob } = await users("alice", "bob");
    await openImWindow(alice, bob);
    await tb!.chrome(TYPE, [[
      { text: "Call me when you are back" }, { key: "Enter", keyCode: 13, mods: ["Control"] },
    ]]);
    await tb!.chrome(WAIT_TITLE, ["— Contact offline$", 15_000], 30_000);
    await tb!.chrome(TYPE, [[{ key: "Enter", keyCode: 13 }]]); // "Keep and retry" has the focus
    await tb!.chrome(WAIT_TITLE, ["— Queued — will retry$", 10_000], 20_000);
    const b = testEngine(bob);
    const got: IncomingIm[] = [];
    b.events.on("message", (m) => got.push(m));
    await b.start();
    await until(() => got.length > 0, "the kept IM to arrive", 30_000).catch((e) => {
      throw new Error(`${e.message}\n${logTail()}`);
    });
    await new Promise((r) => setTimeout(r, 3000)); // time for a duplicate to show up, if there were one
    expect(got.map((m) => m.text)).toEqual(["Call me when you are back"]);
    await tb!.chrome(WAIT_TITLE, ["— Delivered$", 10_000], 20_000);
    await snapshot("thunderbird-kept-delivered.png");
  }, 150_000);
});
