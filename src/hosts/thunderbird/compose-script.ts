// Runs in the draft's editor: puts the invitation at the caret when the background asks.
(globalThis as unknown as { browser: typeof messenger }).browser.runtime.onMessage.addListener((msg) => {
  const m = msg as { insertInvitation?: string };
  if (typeof m?.insertInvitation !== "string") return undefined;
  document.execCommand("insertHTML", false, m.insertInvitation);
  return Promise.resolve(true);
});
