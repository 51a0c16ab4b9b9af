import { benchHistory, benchOutbox } from "./core";
import { benchXmpp } from "./xmpp";
import { benchThunderbird } from "./thunderbird";

const only = process.argv[2];
const suites: Record<string, () => Promise<void>> = { history: benchHistory, outbox: benchOutbox, xmpp: benchXmpp, thunderbird: benchThunderbird };
for (const [name, run] of Object.entries(suites)) {
  if (only && only !== name) continue;
  await run();
}
