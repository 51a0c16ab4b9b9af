// What the Options view asks of a host, the same in both (Thunderbird's Options page, Outlook's
// Settings in the pane): the address table and the usage figures from the host's store, forgetting
// a mapping, the usage export, and the account test — the doctor's checks, with the server found
// from the domain as the engine would (F23, with IT's host-meta origin when it set one).
import { createUsage, normaliseEmail, type Settings } from "../core";
import type { Store } from "../store";
import { checkService } from "../xmpp/connection";
import type { DiscoverOptions } from "../xmpp/discovery";
import { diagnose } from "../xmpp/doctor";

/** F23: where host-meta is read — IT's origin when the domain's own web server cannot publish it. */
export const discoveryOf = (s: Settings): DiscoverOptions | undefined => (s.hostMetaOrigin ? { origin: s.hostMetaOrigin } : undefined);

export function optionsBackend({ store, settings }: { store: Store; settings: () => Promise<Settings> }) {
  const usage = createUsage(store.usage);
  return {
    data: async () => {
      const mappings = (await store.mappings.all()).map((m) => ({ email: m.email, jid: m.jid, source: m.source }));
      return { mappings, usage: await usage.figures() };
    },
    forgetMapping: (email: string) => store.mappings.remove(normaliseEmail(email)),
    exportUsage: () => usage.exportCsv(),
    /** The account test; `resource` names the host's test login (it never takes the host's own resource). */
    testAccount: async (a: { service: string; jid: string; password: string }, resource: string) => {
      if (a.service) checkService(a.service); // none: found from the domain, as the engine would
      // no endpoint for the domain: DiscoveryError, code no-endpoint, as the engine's own start
      return diagnose({ service: a.service || undefined, jid: a.jid, password: a.password, resource }, { discovery: discoveryOf(await settings()) });
    },
  };
}
export type OptionsBackend = ReturnType<typeof optionsBackend>;
