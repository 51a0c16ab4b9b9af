// Stops the run's servers (test/kit/global-setup.ts) by their PIDs, and removes their directories
// unless RVI_KEEP_XMPP is set.
import { stopEjabberd } from "../../scripts/ejabberd.mjs";
import { stopProsody } from "../../scripts/prosody.mjs";

const dirOf = (raw: string | undefined) => (raw ? (JSON.parse(raw) as { dir?: string }).dir : undefined);

export default async function globalTeardown() {
  const purge = !process.env.RVI_KEEP_XMPP;
  const dirs = [process.env.RVI_XMPP_SCRAM, process.env.RVI_XMPP].map(dirOf).filter((d): d is string => Boolean(d));
  const ejabberd = dirOf(process.env.RVI_XMPP_EJABBERD);
  await Promise.all([
    ...dirs.map((dir) => stopProsody(dir, { purge })),
    // thrown away: no need for ejabberdctl stop (an Erlang VM of its own, a second) before the PIDs
    ...(ejabberd ? [stopEjabberd(ejabberd, purge ? { purge, graceMs: 0 } : {})] : []),
  ]);
}
