// What a person does in Thunderbird's main window, the email shown, the IM window (the add-in's
// popup) and notifications, as chrome scripts: privileged JS run by Thunderbird.chrome(), which
// receives `args` and ends with `done(value)`; `done({ __error })` fails the call with that text.
// Each script waits for what it expects, so the tests never sleep.

export const POPUP = `let popup; for (const w of Services.wm.getEnumerator(null)) if (w.location.href.includes("extensionPopup")) popup = w;`;

/** Opens Local Folders' Inbox and shows the message with the given Message-ID. */
export const SHOW_MESSAGE = `
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

/** Presses the message's toolbar button and waits for the IM window (a popup window). */
export const PRESS_BUTTON = `
  const win = Services.wm.getMostRecentWindow("mail:3pane");
  win.gTabmail.currentAbout3Pane.messageBrowser.contentWindow.document.getElementById(args[0]).click();
  for (let i = 0; i < 500; i++) {
    await new Promise(r => setTimeout(r, 20));
    ${POPUP}
    if (popup) return done(true);
  }
  done(false);
`;

/** Types into whatever has focus in the IM window, through the real input path (TextInputProcessor). */
export const TYPE = `
  ${POPUP}
  popup.focus();
  const tip = Cc["@mozilla.org/text-input-processor;1"].createInstance(Ci.nsITextInputProcessor);
  tip.beginInputTransactionForTests(popup);
  for (const step of args[0]) {
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
export const WAIT_TITLE = `
  const re = new RegExp(args[0]);
  let title = "";
  for (let i = 0; i < args[1] / 10; i++) {
    ${POPUP}
    title = popup ? (popup.document.querySelector("browser")?.contentTitle || popup.document.title) : "";
    if (re.test(title)) return done(title);
    await new Promise(r => setTimeout(r, 10));
  }
  done({ __error: "title stayed " + JSON.stringify(title) });
`;

export const CANVAS = `
  const canvas = doc.createElementNS("http://www.w3.org/1999/xhtml", "canvas");
  canvas.width = snap.width; canvas.height = snap.height;
  canvas.getContext("2d").drawImage(snap, 0, 0);
  done(canvas.toDataURL("image/png"));
`;

/** A picture of the IM window's page, as the person sees it. */
export const SNAPSHOT_POPUP = `
  ${POPUP}
  const doc = popup.document;
  const snap = await doc.querySelector("browser").browsingContext.currentWindowGlobal.drawSnapshot(null, 1, "white");
  ${CANVAS}
`;

/** A picture of a whole window: the draft ("msgcompose") or the main window ("mail:3pane"). */
export const SNAPSHOT_WINDOW = `
  const w = Services.wm.getMostRecentWindow(args[0]);
  const doc = w.document;
  const snap = await w.browsingContext.currentWindowGlobal.drawSnapshot(null, 1, "white");
  ${CANVAS}
`;

/** The Reply via IM button's badge (the unread count), waiting until it reads as expected. */
export const BUTTON_BADGE = `
  let badge = null;
  for (let i = 0; i < args[2] / 100; i++) {
    const doc = Services.wm.getMostRecentWindow("mail:3pane").gTabmail.currentAbout3Pane?.messageBrowser?.contentWindow?.document;
    badge = doc?.getElementById(args[0])?.getAttribute("badge") ?? "";
    if (badge === args[1]) return done(badge);
    await new Promise(r => setTimeout(r, 100));
  }
  done({ __error: "the button's badge says " + JSON.stringify(badge) + ", not " + JSON.stringify(args[1]) });
`;

/** The displayed email's document (about:message's message pane), as the person reads it. */
export const MESSAGE_DOC = `
  const about = Services.wm.getMostRecentWindow("mail:3pane").gTabmail.currentAbout3Pane.messageBrowser.contentWindow;
  const doc = about.getMessagePaneBrowser().contentDocument;
`;

/** Waits for the transcript banner above the displayed email to match, and returns its text. */
export const MESSAGE_BANNER = `
  const re = new RegExp(args[0]);
  let text = "";
  for (let i = 0; i < args[1] / 100; i++) {
    ${MESSAGE_DOC}
    const b = doc?.getElementById("rvi-transcript");
    text = b ? b.innerText.trim() : "";
    if (re.test(text)) return done(text);
    await new Promise(r => setTimeout(r, 100));
  }
  done({ __error: "no transcript banner like " + args[0] + "; it says: " + JSON.stringify(text) });
`;

/** Clicks a button in the displayed email (the banner's), as a person would. */
export const CLICK_IN_MESSAGE = `
  ${MESSAGE_DOC}
  const b = doc.getElementById(args[0]);
  if (!b) return done(false);
  b.click();
  done(true);
`;

/** A picture of the message pane (the banner and the start of the email). */
export const SNAPSHOT_MESSAGE = `
  const about = Services.wm.getMostRecentWindow("mail:3pane").gTabmail.currentAbout3Pane.messageBrowser.contentWindow;
  const browser = about.getMessagePaneBrowser();
  const doc = about.document;
  const snap = await browser.browsingContext.currentWindowGlobal.drawSnapshot(null, 1, "white");
  ${CANVAS}
`;

export const CLOSE_POPUP = `
  ${POPUP}
  popup?.close();
  done(true);
`;

/** Waits for a notification (Thunderbird's alert window), returns its text, and clicks it if asked. */
export const NOTIFICATION = `
  const re = new RegExp(args[0]);
  const seen = [];
  for (let i = 0; i < args[1] / 100; i++) {
    for (const w of Services.wm.getEnumerator("alert:alert")) {
      const read = (id) => { const e = w.document.getElementById(id); return (e?.value || e?.textContent || "").trim(); };
      const text = read("alertTitleLabel") + " — " + read("alertTextLabel");
      if (!seen.includes(text)) seen.push(text);
      if (re.test(text)) {
        // a click before the alert window has loaded its handlers is lost (seen under load):
        // click once it has loaded, again while it stays open; the add-in acts on the first click only
        for (let c = 0; args[2] && c < 5 && !w.closed; c++) {
          while (w.document.readyState !== "complete") await new Promise(r => setTimeout(r, 50));
          w.document.getElementById("alertBox").click();
          for (let k = 0; k < 20 && !w.closed; k++) await new Promise(r => setTimeout(r, 100));
        }
        return done(text);
      }
    }
    await new Promise(r => setTimeout(r, 100));
  }
  done({ __error: "no notification like " + args[0] + "; seen: " + JSON.stringify(seen) });
`;

/**
 * For the benchmark: presses a button in the message header and measures, in Thunderbird's own
 * clock, until what it opens is usable — the IM window showing its title (history loaded), or
 * (the baseline) Thunderbird's own Reply: a compose window with its editor. Closes it after.
 */
export const TIMED_PRESS = `
  const win = Services.wm.getMostRecentWindow("mail:3pane");
  const doc = win.gTabmail.currentAbout3Pane.messageBrowser.contentWindow.document;
  const re = new RegExp(args[1]);
  const t0 = win.performance.now();
  doc.getElementById(args[0]).click();
  for (;;) {
    if (args[2] === "im") {
      ${POPUP}
      const title = popup?.document.querySelector("browser")?.contentTitle ?? "";
      if (re.test(title)) { const ms = win.performance.now() - t0; popup.close(); return done(ms); }
    } else {
      const w = Services.wm.getMostRecentWindow("msgcompose");
      if (w?.gMsgCompose && w.GetCurrentEditor?.() && w.gMsgCompose.compFields.subject) {
        const ms = win.performance.now() - t0; w.close(); return done(ms);
      }
    }
    if (win.performance.now() - t0 > 30000) return done({ __error: "nothing opened within 30 s" });
    await new Promise(r => setTimeout(r, 2));
  }
`;

/** Adds a contact to the personal address book from a vCard, as an import would. */
export const ADD_CONTACT = `
  const { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
  const { VCardUtils } = ChromeUtils.importESModule("resource:///modules/VCardUtils.sys.mjs");
  const book = MailServices.ab.getDirectory("jsaddrbook://abook.sqlite");
  book.addCard(VCardUtils.vCardToAbCard(args[0]));
  done(true);
`;

/**
 * Runs `inPage(args)` in the IM window's page (in the extensions' process: a frame script loaded
 * into the popup's browser, as thunderbird-scripts-addon.ts reads the background page) and gives
 * `answer` what it sent back, or null when the page did not answer in 5 s.
 */
const IN_IM_PAGE = (inPage: string) => `
  const inPage = ${inPage};
  const ask = async () => {
    ${POPUP}
    const mm = popup?.document.querySelector("browser")?.messageManager;
    if (!mm) return null;
    const name = "rvi-im-page-" + Math.random().toString(36).slice(2);
    const heard = new Promise((ok) => mm.addMessageListener(name, function once(m) { mm.removeMessageListener(name, once); ok(m.data); }));
    mm.loadFrameScript("data:application/javascript," + encodeURIComponent("sendAsyncMessage(" + JSON.stringify(name) + ", (" + inPage.toString() + ")(content.document, " + JSON.stringify(args) + "))"), false);
    return Promise.race([heard, new Promise((r) => setTimeout(() => r(null), 5000))]);
  };
`;

/** Waits until the IM window's element with this id is shown and its text matches the pattern; returns the text. */
export const IM_WINDOW_TEXT = `
  ${IN_IM_PAGE(`(doc, args) => { const e = doc.getElementById(args[0]); return !e ? { missing: true } : { text: e.closest("[hidden]") ? "" : e.textContent.trim() }; }`)}
  const re = new RegExp(args[1]);
  let got = null;
  for (let i = 0; i < args[2] / 100; i++) {
    got = await ask();
    if (got && re.test(got.text ?? "")) return done(got.text);
    await new Promise(r => setTimeout(r, 100));
  }
  const state = !got ? " (the IM window's page did not answer)" : got.missing ? " (no such element)" : "";
  done({ __error: "#" + args[0] + " in the IM window says " + JSON.stringify(got?.text ?? "") + ", not like " + args[1] + state });
`;

/** Clicks a button of the IM window, as a person would; false when it is not there, hidden or disabled. */
export const CLICK_IN_IM_WINDOW = `
  ${IN_IM_PAGE(`(doc, args) => { const b = doc.getElementById(args[0]); if (!b || b.closest("[hidden]") || b.disabled) return false; b.click(); return true; }`)}
  done((await ask()) === true);
`;
