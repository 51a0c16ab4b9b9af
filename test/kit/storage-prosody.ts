// A Prosody of a test's own, with the password storage it names: the run's servers are one of
// each kind today (the hardened one happens to store passwords in clear), and a test about what
// the storage does must not change meaning when they change. Over TLS with the run's certificate,
// shaped as the run's servers are (XmppServer), so usersOn() registers users on it.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startProsody, type ProsodyServer } from "../../scripts/prosody.mjs";
import { server, type XmppServer } from "./xmpp";

export async function prosodyStoring(authentication: "internal_hashed" | "internal_plain"): Promise<{ info: XmppServer; stop: () => Promise<void> }> {
  const p: ProsodyServer = await startProsody({ dir: await mkdtemp(join(tmpdir(), `rvi-${authentication}-`)), users: {}, tls: server().tls, authentication });
  const info: XmppServer = { ...p, kind: "prosody", service: p.secureService!, plainService: p.service };
  return { info, stop: () => p.stop({ purge: true }) };
}
