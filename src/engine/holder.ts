// One engine per host page (Thunderbird's background, an Outlook pane), started on first use:
// callers during a start share it, a failed start reaches them all and the next call tries
// again, and the retention setting is applied once it is up. Both hosts decide "is there an
// account" here, the same way (`requireAccount`). Listeners given to the holder (`on`) follow
// every engine it starts: new settings restart the engine, and a view listening to the first
// one would otherwise stop updating.
import { UserFacingError, type Settings } from "../core";
import type { Emitter } from "../core/emitter";
import type { ScramKeys } from "../xmpp/scram";
import { afterLogin, type CredentialStore } from "./credentials";
import type { Engine } from "./engine";

type AccountFields = Pick<Settings, "jid"> & { service?: string; password?: string; scram?: ScramKeys; learnSalt?: boolean; allowPlainAfterScram?: boolean };

/**
 * The XMPP account in these settings — an address, and a password or the SCRAM keys kept from a
 * login; the server's address is optional (found from the domain, XEP-0156) — or a
 * "needs-account" error with the host's localised text.
 */
export function requireAccount(settings: AccountFields, needsAccountText: string, language = ""): AccountFields {
  if (!settings.jid || (!settings.password && !settings.scram)) throw new UserFacingError("needs-account", needsAccountText, "", language ? { language } : {});
  return { service: settings.service || undefined, jid: settings.jid, password: settings.password || undefined, scram: settings.scram };
}

type EventsOf<T> = T extends Emitter<infer E> ? E : never;
export type EngineEvents = EventsOf<Engine["events"]>;

export interface HolderInputs {
  /** The settings to start with (read afresh on every start). */
  settings(): Promise<Settings>;
  /** The localised text of the "needs-account" error (the pages ask for an account in place). */
  needsAccount(): string;
  /** The language the host's texts are in (its "@@ui_locale"): a page shows such a text as it is. */
  locale?(): string;
  /** The engine for this account (not started: the holder starts it). */
  create(account: AccountFields, settings: Settings): Engine | Promise<Engine>;
  /** Where the SCRAM keys are kept (F21); without one the password is what logs in. */
  credentials?: CredentialStore;
}

export type EngineHolder = ReturnType<typeof engineHolder>;

export function engineHolder(inputs: HolderInputs) {
  let engine: Engine | undefined;
  let starting: Promise<Engine> | undefined;
  /** The engine being started or running: a listener added during a start joins it too. */
  let latest: Engine | undefined;
  const listeners: ((e: Engine) => void)[] = [];
  return {
    get(): Promise<Engine> {
      if (engine) return Promise.resolve(engine);
      starting ??= (async () => {
        const settings = await inputs.settings();
        let stored = await inputs.credentials?.load();
        const account = {
          ...requireAccount({ ...settings, scram: stored?.keys }, inputs.needsAccount(), inputs.locale?.()),
          // a login with the password decides whether keys can replace it: it learns whether they will last
          learnSalt: !!inputs.credentials && !!settings.password,
          allowPlainAfterScram: settings.allowPlainAfterScram,
        };
        const e = await inputs.create(account, settings);
        latest = e;
        for (const attach of listeners) attach(e);
        const remember = async (r: Parameters<typeof afterLogin>[1]) => {
          if (!inputs.credentials) return;
          const { keep, dropPassword } = afterLogin(stored, r);
          stored = keep;
          await inputs.credentials.save(keep);
          if (dropPassword && settings.password) await inputs.credentials.forgetPassword();
        };
        e.events.on("login", (r) => void remember(r).catch((err) => e.events.emit("problem", "keeping the login keys", err)));
        // its errors carry the codes the account form knows (src/core/errors.ts): the kept keys no
        // longer fit (needs-password), no server address found for the domain (no-endpoint) or one
        // on another domain (endpoint-elsewhere), PLAIN offered after SCRAM (plain-after-scram)
        await e.start();
        engine = e;
        void e.forgetOlderThan(settings.retentionDays).catch(() => 0); // 0 keeps everything
        return e;
      })().finally(() => (starting = undefined));
      return starting;
    },
    /** Listens to this event of every engine the holder starts, the running one and the next ones. */
    on<K extends keyof EngineEvents>(event: K, fn: (...args: EngineEvents[K]) => void): void {
      const attach = (e: Engine) => void e.events.on(event, fn);
      listeners.push(attach);
      if (latest) attach(latest);
    },
    /** The running engine, if any (nothing is started). */
    get current(): Engine | undefined {
      return engine;
    },
    get starting(): boolean {
      return starting !== undefined;
    },
    /** New settings: the running engine stops; the next get() starts one with them. */
    async restart(): Promise<void> {
      const old = engine;
      engine = undefined;
      latest = undefined;
      await old?.stop();
    },
  };
}
