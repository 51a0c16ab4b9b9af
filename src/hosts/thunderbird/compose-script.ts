// Runs in the draft's editor: puts the invitation at the caret when the background asks
// (a ComposeRequest, src/ui/protocol.ts).
import { composeRequestOf } from "../../ui/protocol";

browser.runtime.onMessage.addListener((msg) => {
  const m = composeRequestOf(msg);
  if (!m) return undefined;
  document.execCommand("insertHTML", false, m.html);
  return Promise.resolve(true);
});
