import { benchHistory, benchOutbox } from "./core";
import { benchXmpp } from "./xmpp";
import { benchEngine } from "./engine";
import { benchThunderbird } from "./thunderbird";
import { benchLogin } from "./login";
import { benchJoin } from "./join";
import { benchText } from "./text";
import { benchSoak } from "./soak";
import { benchOutlookPane } from "./outlook-pane";
import { inEndThread, serveEnd } from "./engine-worker";

// the engine bench's ends run in threads of this same bundle
if (inEndThread) await serveEnd();
else await main();

async function main() {
  // `npm run bench` runs every suite but Thunderbird's (real Thunderbird: `npm run bench:thunderbird`,
  // under the end-to-end lock); `npm run bench NAME` runs one.
  const only = process.argv[2];
  const suites: Record<string, () => Promise<void>> = {
    history: benchHistory,
    outbox: benchOutbox,
    xmpp: benchXmpp,
    login: benchLogin,
    join: benchJoin,
    pane: benchOutlookPane,
    text: benchText,
    soak: benchSoak,
    engine: benchEngine,
    thunderbird: benchThunderbird,
  };
  if (only && !suites[only]) {
    console.error(`There is no benchmark suite "${only}": choose one of ${Object.keys(suites).join(", ")}.`);
    process.exit(2);
  }
  for (const [name, run] of Object.entries(suites)) {
    if (only ? only !== name : name === "thunderbird") continue;
    console.log(`\n## ${name}`); // where each suite's figures begin (test/bench.test.ts reads it)
    const started = performance.now();
    await run();
    console.log(`(the ${name} suite ran for ${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
}
