// One engine per host page (Thunderbird's background, an Outlook pane), started on first use:
// callers during a start share it, a failed start reaches them all and the next call tries
// again, and the retention setting is applied once it is up.
import type { Engine } from "./engine";

export function engineHolder(create: () => Promise<{ engine: Engine; retentionDays: number }>) {
  let engine: Engine | undefined;
  let starting: Promise<Engine> | undefined;
  return {
    get(): Promise<Engine> {
      if (engine) return Promise.resolve(engine);
      starting ??= (async () => {
        const { engine: e, retentionDays } = await create();
        await e.start();
        engine = e;
        void e.forgetOlderThan(retentionDays).catch(() => 0); // 0 keeps everything
        return e;
      })().finally(() => (starting = undefined));
      return starting;
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
      await old?.stop();
    },
  };
}
