// The command line the private test servers share (scripts/prosody.mjs, ejabberd.mjs,
// ejabberd-cluster.mjs): `start DIR [user:pw …] [--cert FILE --key FILE] [flags…]` prints the
// server's endpoints as JSON; `stop DIR [--purge]` stops it by its PIDs. Run only when the module
// is the program itself: imported (tests, bench) or bundled, it does nothing.
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * `moduleUrl`: the server script's import.meta.url; `name`: its file name; `flags`: its own
 * on/off options; `start({ dir, users, tls, flags })` returns what to print; `stop(dir, { purge })`.
 */
export function serverCli(moduleUrl, { name, flags = [], defaultUsers, start, stop }) {
  const self = typeof moduleUrl === "string" ? fileURLToPath(moduleUrl) : "";
  if (!self.endsWith(name) || !process.argv[1] || resolve(process.argv[1]) !== self) return;
  const usage = `usage: ${name} start DIR [user:pw …] [--cert FILE --key FILE]${flags.map((f) => ` [${f}]`).join("")} | stop DIR [--purge]`;
  main().catch((err) => {
    console.error(err.message);
    process.exit(1);
  });

  async function main() {
    const [cmd, dir, ...rest] = process.argv.slice(2);
    const flag = (f) => rest.includes(f) && rest.splice(rest.indexOf(f), 1).length > 0;
    if (cmd === "start" && dir) {
      const opt = (f) => (rest.includes(f) ? rest.splice(rest.indexOf(f), 2)[1] : undefined);
      const cert = opt("--cert");
      const key = opt("--key");
      if (Boolean(cert) !== Boolean(key)) throw new Error("--cert and --key go together (PEM files, e.g. from scripts/test-ca.mjs)");
      const set = Object.fromEntries(flags.map((f) => [f, flag(f)]));
      const users = rest.length ? Object.fromEntries(rest.map((u) => u.split(":"))) : defaultUsers;
      console.log(JSON.stringify(await start({ dir, users, tls: cert ? { cert, key } : undefined, flags: set })));
    } else if (cmd === "stop" && dir) {
      await stop(dir, { purge: flag("--purge") });
    } else {
      console.error(usage);
      process.exit(2);
    }
  }
}
