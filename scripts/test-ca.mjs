#!/usr/bin/env node
// A throw-away certificate authority for one test run, made with openssl: the run's Prosody
// serves its WebSocket over TLS with a certificate it issues, and Node (NODE_EXTRA_CA_CERTS),
// Chromium and Thunderbird (their own NSS databases) trust it — verification stays on. The CA
// may only vouch for localhost and 127.0.0.1 (name constraints), so its key, were it to leak,
// could not impersonate any other server. Also the bad certificates the tests must refuse: an
// expired one, a self-signed one, one for another name.
//   node scripts/test-ca.mjs DIR   makes the CA in DIR (keeps one still valid for a day) and prints ca.pem's path
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";

const run = promisify(execFile);
const CA_DAYS = 30;
const CERT_DAYS = 7;
// EC keys: generated in milliseconds, where RSA 2048 takes up to a second on a busy machine
const KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];

const caFiles = (dir) => ({ caCert: join(dir, "ca.pem"), caKey: join(dir, "ca.key") });

async function stillValid(cert, seconds) {
  try {
    await run("openssl", ["x509", "-checkend", String(seconds), "-noout", "-in", cert]);
    return true;
  } catch {
    return false; // expires within `seconds`, or no readable certificate: make a new one
  }
}

/**
 * The CA in `dir` ({ caCert, caKey }: PEM file paths): kept when one is there and valid for at
 * least another day, else made anew. Runs started at once may share `dir`: each makes its CA
 * aside and moves the whole directory into place; the first one there wins and the others use it.
 */
export async function makeCa(dir) {
  dir = resolve(dir);
  const files = caFiles(dir);
  if (existsSync(files.caKey) && (await stillValid(files.caCert, 86_400))) return files;
  await mkdir(dirname(dir), { recursive: true });
  const aside = await mkdtemp(join(dirname(dir), `.${basename(dir)}-`));
  const made = caFiles(aside);
  await run("openssl", [
    "req",
    "-x509",
    ...KEY,
    "-days",
    String(CA_DAYS),
    "-subj",
    "/O=Reply via IM tests/CN=Reply via IM throw-away test CA",
    "-addext",
    "basicConstraints=critical,CA:TRUE,pathlen:0",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
    "-addext",
    "nameConstraints=critical,permitted;DNS:localhost,permitted;IP:127.0.0.1/255.255.255.255",
    "-keyout",
    made.caKey,
    "-out",
    made.caCert,
  ]);
  await chmod(made.caKey, 0o600);
  const valid = async () => existsSync(files.caKey) && (await stillValid(files.caCert, 86_400));
  // an old or broken CA is moved out of the way first (a rename onto a directory that is not empty
  // fails), unless another run has put a valid one there meanwhile: that one is then kept
  if (existsSync(dir) && !(await valid())) await rename(dir, `${aside}-old`).catch(() => {}); // another run moved it already: fine
  await rename(aside, dir).catch(() => {}); // another run's CA got there first: it is as good as ours
  await rm(aside, { recursive: true, force: true });
  await rm(`${aside}-old`, { recursive: true, force: true });
  if (!existsSync(files.caKey)) throw new Error(`No test CA in ${dir} after making one: is the directory writable?`);
  return files;
}

/** openssl ca's smallest configuration: any subject, our extensions only, a random serial. */
function caConfig(dir) {
  return `[ ca ]
default_ca = test
[ test ]
database = ${join(dir, "index.txt")}
serial = ${join(dir, "serial")}
new_certs_dir = ${dir}
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[ any ]
commonName = supplied
`;
}

/**
 * Issues a server certificate for `names` (DNS) and `ips` in the subjectAltName (Node and
 * browsers ignore the CN). `expired`: valid for one day in 2020 — openssl x509 of OpenSSL 3.0
 * cannot back-date, openssl ca can (-startdate/-enddate). `selfSigned`: signed by its own key,
 * not by the CA. Returns the PEM file paths { cert, key } in `dir`.
 */
export async function issueCert(ca, dir, { names = ["localhost"], ips = ["127.0.0.1"], expired = false, selfSigned = false, name } = {}) {
  dir = resolve(dir);
  await mkdir(dir, { recursive: true });
  const stem = join(dir, name ?? [names[0] ?? ips[0] ?? "server", expired && "expired", selfSigned && "self-signed"].filter(Boolean).join("-"));
  const out = { cert: `${stem}.pem`, key: `${stem}.key` };
  const san = [...names.map((n) => `DNS:${n}`), ...ips.map((ip) => `IP:${ip}`)].join(",");
  if (!san) throw new Error("issueCert needs at least one name or IP address for the subjectAltName");
  const subject = `/CN=${names[0] ?? ips[0]}`;
  const ext = [
    "basicConstraints=critical,CA:FALSE",
    "keyUsage=critical,digitalSignature,keyEncipherment",
    "extendedKeyUsage=serverAuth",
    `subjectAltName=${san}`,
  ];
  if (selfSigned) {
    await run("openssl", [
      "req",
      "-x509",
      ...KEY,
      "-days",
      String(CERT_DAYS),
      "-subj",
      subject,
      ...ext.flatMap((e) => ["-addext", e]),
      "-keyout",
      out.key,
      "-out",
      out.cert,
    ]);
  } else {
    await run("openssl", ["req", ...KEY, "-subj", subject, "-keyout", out.key, "-out", `${stem}.csr`]);
    const work = await mkdtemp(join(dir, ".ca-"));
    try {
      await writeFile(join(work, "index.txt"), "");
      await writeFile(join(work, "serial"), `${randomBytes(16).toString("hex").replace(/^./, "4")}\n`); // positive, never reused
      await writeFile(join(work, "ca.cnf"), caConfig(work));
      await writeFile(join(work, "ext.cnf"), ext.join("\n") + "\n");
      const dates = expired ? ["-startdate", "20200101000000Z", "-enddate", "20200102000000Z"] : ["-days", String(CERT_DAYS)];
      await run("openssl", [
        "ca",
        "-batch",
        "-notext",
        "-config",
        join(work, "ca.cnf"),
        "-cert",
        ca.caCert,
        "-keyfile",
        ca.caKey,
        "-extfile",
        join(work, "ext.cnf"),
        ...dates,
        "-in",
        `${stem}.csr`,
        "-out",
        out.cert,
      ]);
    } finally {
      await rm(work, { recursive: true, force: true });
      await rm(`${stem}.csr`, { force: true });
    }
  }
  await chmod(out.key, 0o600);
  return out;
}

async function main() {
  const [dir] = process.argv.slice(2);
  if (!dir || dir.startsWith("-")) {
    console.error("usage: test-ca.mjs DIR   (makes a throw-away test CA in DIR, or keeps a valid one, and prints its ca.pem)");
    process.exit(2);
  }
  console.log((await makeCa(dir)).caCert);
}

const self = typeof import.meta.url === "string" ? fileURLToPath(import.meta.url) : "";
if (self.endsWith("test-ca.mjs") && process.argv[1] && resolve(process.argv[1]) === self) {
  main().catch((err) => {
    console.error(`test-ca: ${err.stderr || err.message}`);
    process.exit(1);
  });
}
