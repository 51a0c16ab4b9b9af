// Stops the run's servers (test/kit/global-setup.ts) by their PIDs, and removes their directories
// unless RVI_KEEP_XMPP is set.
import { stopProsody } from "../../scripts/prosody.mjs";

export default async function globalTeardown() {
  const dirs = [process.env.RVI_XMPP_SCRAM, process.env.RVI_XMPP]
    .map((raw) => (raw ? (JSON.parse(raw) as { dir?: string }).dir : undefined))
    .filter((d): d is string => Boolean(d));
  await Promise.all(dirs.map((dir) => stopProsody(dir, { purge: !process.env.RVI_KEEP_XMPP })));
}
