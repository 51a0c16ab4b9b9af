import { stopProsody } from "../../scripts/prosody.mjs";

export default async function globalTeardown() {
  const info = process.env.RVI_XMPP ? (JSON.parse(process.env.RVI_XMPP) as { dir?: string }) : undefined;
  if (info?.dir) await stopProsody(info.dir, { purge: !process.env.RVI_KEEP_XMPP });
}
