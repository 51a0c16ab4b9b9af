// F24/F25 wired into Thunderbird's background page in one call: the engine's IMs (sent and
// received) keep the Conversation History folder up to date, the folder's retention follows the
// setting, the "IMs after this email" line is shown, and "Send as IM instead" listens at Send.
// Called once at top level (before any await), so no event is missed at start-up.
import type { Settings } from "../../core";
import type { EngineHolder } from "../../engine/holder";
import type { Store } from "../../store";
import { historyFolder } from "./history-folder";
import { imLine, showImLine } from "./im-line";
import { sendAsImInstead } from "./send-as-im";

/** The user as the saved messages address them: the first account's default identity. */
async function ownPerson(): Promise<{ address: string; name?: string }> {
  for (const a of await messenger.accounts.list(false)) {
    const id = await messenger.identities.getDefault(a.id).catch(() => null); // an account without identities (news, feeds)
    if (id?.email) return { address: id.email, name: id.name || undefined };
  }
  return { address: "me@localhost" };
}

const localTime = (ms: number) => new Date(ms).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });

export function conversationHistory(o: {
  store: Store;
  holder: EngineHolder;
  settings: () => Promise<Settings>;
  t: (key: string, ...subs: string[]) => string;
  notify: (id: string, title: string, message: string) => unknown;
}) {
  const history = historyFolder({ store: o.store, settings: o.settings, me: ownPerson, time: localTime });
  // F14: a stranger's IMs stay in Requests, out of the mailbox (the user's own reply puts the conversation there)
  o.holder.on("message", (m) => {
    if (m.known) history.changed(m.counterpart);
  });
  o.holder.on("state", (item) => {
    if (item.state === "sent" || item.state === "delivered") history.changed(item.counterpart);
  });
  void showImLine().catch((err: Error) => console.warn("Reply via IM: the IMs-after-this-email line:", err.message));
  sendAsImInstead({ holder: o.holder, settings: o.settings, t: o.t, notify: o.notify });
  // retention: at start and once a day, as the store's own
  const retain = () =>
    void o
      .settings()
      .then((s) => history.forgetOlderThan(s.retentionDays))
      .catch((err: Error) => console.warn("Reply via IM: retention in the history folder:", err.message));
  retain();
  setInterval(retain, 86_400_000);
  return { history, imLine: imLine(history, o.t) };
}
