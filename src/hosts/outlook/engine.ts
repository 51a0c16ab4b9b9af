// The engine inside an Outlook pane: there is no background page, so it lives as long as the
// pane is open (or pinned), with its data in the pane origin's IndexedDB.
import { createEngine, type Engine, type EngineOptions } from "../../engine/engine";
import { engineHolder } from "../../engine/holder";
import { openStore } from "../../store";
import { NEEDS_ACCOUNT } from "../../ui/chat/protocol";
import { getMessage as t } from "../../ui/i18n";
import { loadConfig } from "./config";
import { me } from "./office";

const store = openStore();
let wiring: { resource: string; lookups?: EngineOptions["lookups"]; onStart?: (e: Engine) => void } = { resource: "outlook" };

const holder = engineHolder(async () => {
  const { settings } = await loadConfig();
  if (!settings.service || !settings.jid || !settings.password) throw new Error(`${NEEDS_ACCOUNT}:${t("needAccountHere")}`);
  const engine = createEngine({
    account: { service: settings.service, jid: settings.jid, password: settings.password, resource: wiring.resource },
    me: me() || settings.jid, store, lookups: wiring.lookups,
  });
  wiring.onStart?.(engine);
  return { engine, retentionDays: settings.retentionDays };
});

export function paneEngine(resource: string, lookups?: EngineOptions["lookups"], onStart?: (e: Engine) => void): Promise<Engine> {
  wiring = { resource, lookups, onStart };
  return holder.get();
}

/** New account settings: the next paneEngine() connects with them. */
export const restartEngine = () => holder.restart();
