// The add-in's cost to Thunderbird's start: the same profile started with the add-in enabled and
// disabled (AddonManager, as a person does in Add-ons Manager), alternating, each start's own
// figures from Thunderbird (nsIAppStartup.getStartupInfo: process start → main window painted,
// → session restored, i.e. the main window ready).
import { ADDON_ID, type Thunderbird } from "../scripts/lib/thunderbird";
import { percentiles, table } from "./kit";

type Start = { painted: number; ready: number };

async function setEnabled(tb: Thunderbird, on: boolean): Promise<void> {
  await tb.chrome(
    `const { AddonManager } = ChromeUtils.importESModule("resource://gre/modules/AddonManager.sys.mjs");
     const addon = await AddonManager.getAddonByID(args[0]);
     if (!addon) throw new Error("the add-in is not installed");
     await (args[1] ? addon.enable() : addon.disable());
     done(true);`,
    [ADDON_ID, on],
  );
}

async function thisStart(tb: Thunderbird, on: boolean): Promise<Start> {
  // the figures are set as the start goes on: wait until the session is restored (the main window ready)
  const s = await tb.chrome<Start & { active: boolean }>(
    `const { AddonManager } = ChromeUtils.importESModule("resource://gre/modules/AddonManager.sys.mjs");
     for (let i = 0; i < 300; i++) {
       const s = Services.startup.getStartupInfo();
       if (s.sessionRestored && s.firstPaint) {
         const active = (await AddonManager.getAddonByID(args[0]))?.isActive ?? false;
         return done({ painted: s.firstPaint - s.process, ready: s.sessionRestored - s.process, active });
       }
       await new Promise((r) => setTimeout(r, 100));
     }
     throw new Error("Thunderbird did not say that its session was restored within 30 s");`,
    [ADDON_ID],
  );
  // a start that did not have the add-in as asked measures nothing: said, not counted
  if (s.active !== on) throw new Error(`MISMATCH: the add-in was ${s.active ? "active" : "inactive"} in a start meant ${on ? "with" : "without"} it`);
  return s;
}

export async function benchStartCost(tb: Thunderbird, runs: number): Promise<void> {
  const with_: Start[] = [];
  const without: Start[] = [];
  for (let i = 0; i < runs * 2; i++) {
    const on = i % 2 === 0;
    await setEnabled(tb, on);
    await tb.restart();
    (on ? with_ : without).push(await thisStart(tb, on));
  }
  await setEnabled(tb, true);
  const row = (name: string, xs: Start[], k: keyof Start) => {
    const p = percentiles(xs.map((x) => x[k]));
    return [name, p.p50, p.p95];
  };
  const p = (xs: Start[], k: keyof Start) => percentiles(xs.map((x) => x[k])).p50;
  table(
    `Thunderbird start, the same profile, ${runs} starts each, alternating (ms from the process's start)`,
    ["", "median", "p95"],
    [
      row("with the add-in: main window painted", with_, "painted"),
      row("baseline, add-in disabled: main window painted", without, "painted"),
      row("with the add-in: main window ready (session restored)", with_, "ready"),
      row("baseline, add-in disabled: main window ready (session restored)", without, "ready"),
      ["the add-in's cost to the start (median, ready)", p(with_, "ready") - p(without, "ready"), ""],
    ],
  );
}
