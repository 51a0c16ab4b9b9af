// The windows' one way to ask the background page: `call("chat:open", { jid })`, type-checked
// against the shared command table (src/ui/protocol.ts); the background's errors come back with
// their code (`isProblem(err, "needs-account")`).
import { caller } from "../../ui/protocol";

export const call = caller(
  (msg) => messenger.runtime.sendMessage(msg),
  (key, ...subs) => messenger.i18n.getMessage(key, subs),
);
