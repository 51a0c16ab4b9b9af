// What the add-on itself keeps and sees, read from outside as a person's support engineer would
// (chrome scripts, as in thunderbird-scripts-mail.ts): `args` in, `done(value)` out.

/**
 * Everything in the add-on's storage.local and storage.managed, as its own
 * `messenger.storage.*.get()` answer them: asked in the add-on's background page (args[0]: the
 * add-on's id), which runs in the extensions' process, through a frame script loaded into it.
 */
export const ADDON_STORAGE = `
  const { ExtensionParent } = ChromeUtils.importESModule("resource://gre/modules/ExtensionParent.sys.mjs");
  const ext = ExtensionParent.GlobalManager.getExtension(args[0]);
  if (!ext) return done({ __error: "the add-on " + args[0] + " is not running" });
  let browser;
  for (let i = 0; i < 100 && !browser; i++) {
    browser = [...ext.views].find((v) => v.viewType === "background")?.xulBrowser;
    if (!browser) await new Promise(r => setTimeout(r, 100));
  }
  if (!browser) return done({ __error: "the add-on's background page is not open" });
  const name = "rvi-addon-storage-" + Math.random().toString(36).slice(2);
  const mm = browser.messageManager;
  const answer = new Promise((ok) => mm.addMessageListener(name, function heard(m) { mm.removeMessageListener(name, heard); ok(m.data); }));
  const inPage = async (name) => {
    const page = content.wrappedJSObject;
    const read = (area) => page.messenger.storage[area].get().then((v) => page.JSON.stringify(v), (e) => JSON.stringify({ error: String(e) }));
    sendAsyncMessage(name, { local: await read("local"), managed: await read("managed") });
  };
  mm.loadFrameScript("data:application/javascript," + encodeURIComponent("(" + inPage.toString() + ")(" + JSON.stringify(name) + ")"), false);
  const got = await Promise.race([answer, new Promise((r) => setTimeout(() => r(null), 10000))]);
  if (!got) return done({ __error: "the add-on's background page did not answer" });
  done({ local: JSON.parse(got.local), managed: JSON.parse(got.managed), manifests: Services.dirsvc.get("XREUserNativeManifests", Ci.nsIFile).path });
`;
