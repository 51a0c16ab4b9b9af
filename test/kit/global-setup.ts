// One private Prosody for the whole jest run (fresh directory, free ports), its endpoints
// passed to the test workers in RVI_XMPP. Tests that kill or restart a server start their own.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startProsody } from "../../scripts/prosody.mjs";

export default async function globalSetup() {
  const dir = await mkdtemp(join(tmpdir(), "rvi-xmpp-"));
  const server = await startProsody({ dir });
  const { stop, ...info } = server;
  process.env.RVI_XMPP = JSON.stringify(info);
  (globalThis as Record<string, unknown>).__rviProsody = server;
}
