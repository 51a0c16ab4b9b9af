// F25 in Outlook: while the pane is open or pinned, it keeps in roamingSettings the email
// addresses of the user's IM contacts who are online now, with the time — what the Smart Alerts
// handler (send-event.ts, no XMPP connection of its own) reads at Send. Only with "Send as IM
// instead" on; written when presence changes (at most every 15 s) and every minute, so the
// handler's two-minute trust never runs out while the pane is up.
import type { EngineHolder } from "../../engine/holder";
import { loadConfig } from "./settings-store";
import { officeAsync } from "./office";
import { ONLINE_KEY } from "./send-as-im-keys";

const MIN_GAP_MS = 15_000;
const REFRESH_MS = 60_000;

export function publishOnline(holder: EngineHolder): void {
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const write = async () => {
    timer = undefined;
    const { settings } = await loadConfig();
    const e = holder.current;
    if (!settings.sendAsIm || !e?.connection) return;
    const online = (await e.contacts.list()).contacts.filter((c) => c.online);
    const emails = await Promise.all(online.map(async (c) => (await e.mapper.reverse(c.jid)).email));
    last = Date.now();
    Office.context.roamingSettings.set(ONLINE_KEY, { at: last, emails: [...new Set(emails)] });
    await officeAsync<void>((cb) => Office.context.roamingSettings.saveAsync(cb));
  };
  const soon = () => {
    if (timer) return;
    timer = setTimeout(
      () => void write().catch((err) => console.warn("Reply via IM: who is online, for Send as IM:", err)),
      Math.max(0, last + MIN_GAP_MS - Date.now()),
    ); // not kept: the handler lets the email go as written
  };
  holder.on("presence", soon);
  holder.on("status", (s) => s === "online" && soon());
  setInterval(soon, REFRESH_MS);
}
