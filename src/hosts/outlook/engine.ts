// The engine inside an Outlook pane: there is no background page, so it lives as long as the
// pane is open (or pinned), with its data in the pane origin's IndexedDB.
import { createEngine, type Engine, type EngineOptions } from "../../engine/engine";
import { openStore } from "../../store";
import { NEEDS_ACCOUNT } from "../../ui/chat/protocol";
import { getMessage as t } from "../../ui/i18n";
import { loadConfig } from "./config";
import { me } from "./office";

const store = openStore();
let engine: Engine | undefined;
let starting: Promise<Engine> | undefined;

export function paneEngine(resource: string, lookups?: EngineOptions["lookups"], onStart?: (e: Engine) => void): Promise<Engine> {
  if (engine) return Promise.resolve(engine);
  starting ??= (async () => {
    const { settings } = await loadConfig();
    if (!settings.service || !settings.jid || !settings.password) throw new Error(`${NEEDS_ACCOUNT}:${t("needAccountHere")}`);
    const e = createEngine({
      account: { service: settings.service, jid: settings.jid, password: settings.password, resource },
      me: me() || settings.jid, store, lookups,
    });
    onStart?.(e);
    await e.start();
    engine = e;
    void e.forgetOlderThan(settings.retentionDays).catch(() => 0); // the retention setting (0 keeps all)
    return e;
  })().finally(() => (starting = undefined));
  return starting;
}

/** New account settings: the next paneEngine() connects with them. */
export async function restartEngine(): Promise<void> {
  const old = engine;
  engine = undefined;
  await old?.stop();
}
