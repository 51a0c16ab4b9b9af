// What a person does with a draft (the compose window and the add-in's compose button popup), as
// chrome scripts run by Thunderbird.chrome() (see thunderbird-scripts-mail.ts for the contract).

/** Opens a new HTML draft to the given people, as a person writing an email. */
export const NEW_DRAFT = `
  const { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
  const params = Cc["@mozilla.org/messengercompose/composeparams;1"].createInstance(Ci.nsIMsgComposeParams);
  const fields = Cc["@mozilla.org/messengercompose/composefields;1"].createInstance(Ci.nsIMsgCompFields);
  fields.to = args[0]; fields.subject = args[1]; fields.body = args[2];
  params.composeFields = fields; params.format = Ci.nsIMsgCompFormat.HTML;
  MailServices.compose.OpenComposeWindowWithParams(null, params);
  let w;
  for (let i = 0; i < 100 && !w?.GetCurrentEditor?.(); i++) { await new Promise(r => setTimeout(r, 100)); w = Services.wm.getMostRecentWindow("msgcompose"); }
  for (let i = 0; i < 50 && !w.document.getElementById(args[3]); i++) await new Promise(r => setTimeout(r, 100));
  done(Boolean(w.document.getElementById(args[3])));
`;

/** Presses the draft's compose button (mouse down and up, as a pointer does) and waits for its popup's title. */
export const PRESS_COMPOSE_BUTTON = `
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
  const seen = [...w.document.querySelectorAll("panel browser")].map(b => b.currentURI?.spec);
  done({ __error: "popup title stayed " + JSON.stringify(title) + " (popups: " + JSON.stringify(seen) + "; button at " + JSON.stringify([r.x, r.y, r.width, r.height]) + (btn.disabled ? ", disabled" : "") + ")" });
`;

/** Presses a key in the compose button's popup (keyboard focus moves into it first, as Tab would). */
export const KEY_IN_COMPOSE_POPUP = `
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
export const DRAFT_HTML = `
  const w = Services.wm.getMostRecentWindow("msgcompose");
  let html = "";
  for (let i = 0; i < 100; i++) {
    html = w.GetCurrentEditor().outputToString("text/html", 0);
    if (html.includes(args[0])) return done(html);
    await new Promise(r => setTimeout(r, 100));
  }
  done({ __error: "the draft never got " + args[0] + ": " + html.slice(0, 2000) });
`;

/** The open compose windows, as the person would read them; closes them if asked. */
export const COMPOSE_WINDOWS = `
  const out = [];
  for (let i = 0; i < 100 && !out.length; i++) {
    await new Promise(r => setTimeout(r, 100));
    for (const w of Services.wm.getEnumerator("msgcompose")) {
      if (!w.gMsgCompose || !w.GetCurrentEditor?.()) continue;
      // the add-on's details (addresses, body) are filled in once the window is ready;
      // the address pills are copied into compFields as Thunderbird does before sending
      for (let j = 0; j < 50 && !w.gMsgCompose.compFields.to; j++) {
        await new Promise(r => setTimeout(r, 100));
        w.Recipients2CompFields?.(w.gMsgCompose.compFields);
      }
      await new Promise(r => setTimeout(r, 500));
      const fields = w.gMsgCompose.compFields;
      out.push({ to: fields.to, subject: fields.subject, body: w.GetCurrentEditor().outputToString("text/plain", 0) });
    }
  }
  if (args[0]) for (const w of Services.wm.getEnumerator("msgcompose")) w.close();
  done(out);
`;
