// The engine inside an Outlook pane: there is no background page, so it lives as long as the
// pane is open (or pinned), with its data in the pane origin's IndexedDB. The pane loads this
// module (and with it the engine: xmpp.js, Dexie) as a chunk of its own, after its first paint. The account check and
// the listeners that follow every restart are the shared holder's (src/engine/holder.ts).
import { createEngine, type EngineOptions } from "../../engine/engine";
import { engineHolder } from "../../engine/holder";
import { hostBackend, type HostBackend, type HostSide } from "../../engine/host-backend";
import type { ChatTarget } from "../../engine/im-window";
import { discoveryOf, optionsBackend } from "../../engine/options-backend";
import { openStore } from "../../store";
import { checkService } from "../../xmpp/connection";
import { getMessage as t } from "../../ui/i18n";
import { credentials, loadConfig } from "./settings-store";
import { me } from "./office";

const store = openStore();
let wiring: { resource: string; lookups?: EngineOptions["lookups"] } = { resource: "outlook" };

/** The pane's one engine holder: `paneHolder.on(...)` listens to every engine it starts. */
export const paneHolder = engineHolder({
  settings: async () => (await loadConfig()).settings,
  needsAccount: () => t("needAccountHere"),
  locale: () => t("@@ui_locale"),
  credentials,
  create: (account, settings) =>
    createEngine({
      account: { ...account, resource: wiring.resource },
      me: me() || account.jid,
      store,
      lookups: wiring.lookups,
      // F23: IT's host-meta origin (preset.json) when the domain's own web server cannot publish it
      discovery: discoveryOf(settings),
    }),
});

/**
 * A new account from the pane's form, connected now so a wrong password or a server not found is
 * said there: the backend's setAccount checks a server address given, keeps the account and starts
 * the engine with it (with no server address, the server is found from the domain, F23).
 */
export function signIn(backend: HostBackend<ChatTarget>, account: { service: string; jid: string; password: string }): Promise<void> {
  return backend.setAccount(account);
}

/** Which resource and lookups the pane's next engine starts with. */
export function paneEngineFor(resource: string, lookups?: EngineOptions["lookups"]): void {
  wiring = { resource, lookups };
}

export function paneEngine(resource: string, lookups?: EngineOptions["lookups"]) {
  paneEngineFor(resource, lookups);
  return paneHolder.get();
}

/** New account settings: the next paneEngine() connects with them. */
export const restartEngine = () => paneHolder.restart();

/** What both hosts do alike (src/engine/host-backend.ts) on the pane's engine, with the pane's own `host` side. */
export function paneBackend(host: HostSide<ChatTarget>): HostBackend<ChatTarget> {
  return hostBackend({ engine: paneHolder, host, store, settings: async () => (await loadConfig()).settings });
}

/**
 * The pane's Settings (the shared Options view): the address table and the usage figures from the
 * pane's own store, and the account test — the doctor's checks, as Thunderbird's Options run them
 * (src/engine/options-backend.ts, the same for both hosts).
 */
export const settingsSide = { ...optionsBackend({ store, settings: async () => (await loadConfig()).settings }), checkService };
