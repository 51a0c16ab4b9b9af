// reply-via-im: the engine from the command line (F20 for IT, and scripting).
// Passwords are read only from the environment variable named by --password-env, never from
// the command line, where other users could read them in the process list.
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { installWebSocket } from "../node/websocket";
import { IDBFactory, IDBKeyRange } from "fake-indexeddb";
import { createEngine, type Outcome } from "../engine/engine";
import { parseEml, UserFacingError, isEmail } from "../core";
import { openStore } from "../store";
import type { EngineOptions } from "../engine/engine";
import { ConnectionError } from "../xmpp/connection";
import { DiscoveryError } from "../xmpp/discovery";
import { diagnose } from "../xmpp/doctor";

installWebSocket();

const USAGE = `usage:
  reply-via-im doctor [--service URL] --jid JID --password-env VAR [--origin ORIGIN] [--guest-domain DOMAIN]
  reply-via-im send   [--service URL] --jid JID --password-env VAR --to ADDRESS --text TEXT [--eml FILE]… [--wait SECONDS] [--when-offline keep|cancel|convert]
  reply-via-im listen [--service URL] --jid JID --password-env VAR [--for SECONDS] [--answer TEXT] [--contact JID]…
      --service is found from the address's domain when not given (XEP-0156 host-meta over HTTPS);
      --host-meta ORIGIN reads host-meta from another HTTPS origin than https://<domain>
      --origin: the add-in's origin (the Outlook pages' https://host, Thunderbird's moz-extension://…),
        for which the doctor asks the upload service's CORS preflight; --guest-domain: the join
        page's anonymous host (default guest.<domain>)
      --answer replies to every IM with TEXT ({text} stands for the IM received): a test contact for IT and the demo
      --contact JID: someone this account talks with (accepted as a contact at start): their IMs get
        receipts and their history is kept; anyone else is a stranger (no receipt until answered)`;

class UsageError extends UserFacingError {
  constructor(message: string) {
    super("usage", message);
  }
}

type CliAccount = EngineOptions["account"];
const discovery = (values: Record<string, unknown>) => (values["host-meta"] ? { origin: values["host-meta"] as string } : undefined);

function account(values: Record<string, unknown>): CliAccount {
  const service = values.service as string | undefined;
  const jid = values.jid as string | undefined;
  const envName = values["password-env"] as string | undefined;
  if (!jid) throw new UsageError("--jid is required");
  if (!envName) throw new UsageError("--password-env VAR is required: put the password in that environment variable");
  const password = process.env[envName];
  if (password === undefined) throw new UsageError(`the environment variable ${envName} (named by --password-env) is not set`);
  return { service, jid, password, resource: `cli-${process.pid}` };
}

const print = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);

async function doctor(values: Record<string, unknown>): Promise<number> {
  const origin = values.origin as string | undefined;
  if (origin !== undefined && !/^[a-z][a-z0-9+.-]*:\/\/[^/]+$/i.test(origin))
    throw new UsageError(`--origin takes an origin such as https://addin.example.org or moz-extension://<uuid> (no path), not "${origin}"`);
  const d = await diagnose(account(values), { discovery: discovery(values), origin, guestDomain: values["guest-domain"] as string | undefined });
  for (const c of d.checks) {
    process.stderr.write(`${c.ok ? "ok     " : "MISSING"} ${c.what}: ${c.note}\n`);
    if (c.ask) process.stderr.write(`        ask IT for: ${c.ask}\n`);
  }
  print({
    usable: d.usable,
    jid: d.jid,
    endpoint: d.endpoint,
    mechanism: d.mechanism,
    support: d.support,
    guest: d.guest,
    uploadCors: d.uploadCors,
    missing: d.missing,
  });
  process.stderr.write(
    d.usable
      ? `Usable${d.missing.length ? `; the add-in works without ${d.missing.join(", ")}` : ", with everything"}.\n`
      : `Not usable: ${d.advice?.replace(/^The server lacks/, "the server lacks") ?? "see above"}\n`,
  );
  return d.usable ? 0 : 3;
}

function engineFor(acc: CliAccount, approve: (bare: string) => boolean, values: Record<string, unknown>) {
  // The CLI keeps its store in memory: it lives as long as the command.
  const store = openStore({ name: "cli", indexedDB: new IDBFactory(), IDBKeyRange });
  return createEngine({
    account: acc,
    discovery: discovery(values),
    me: acc.jid,
    store,
    approveSubscription: approve,
    outboxTickMs: 1000,
    retry: { baseMs: 1000, capMs: 5000, maxAttempts: 1000 },
  });
}

async function send(values: Record<string, unknown>): Promise<number> {
  const acc = account(values);
  const to = values.to as string | undefined;
  const text = values.text as string | undefined;
  if (!to || text === undefined) throw new UsageError("--to and --text are required");
  const wait = Number(values.wait ?? 10);
  if (!Number.isFinite(wait) || wait < 0) throw new UsageError("--wait takes a number of seconds");
  const whenOffline = (values["when-offline"] as string | undefined) ?? "keep";
  if (!["keep", "cancel", "convert"].includes(whenOffline)) throw new UsageError("--when-offline is keep, cancel or convert");
  const emls = await Promise.all(
    ((values.eml as string[] | undefined) ?? []).map(async (f) => {
      try {
        return parseEml(await readFile(f, "utf8"));
      } catch (err) {
        throw new UsageError(`${f}: ${(err as Error).message}`);
      }
    }),
  );
  const engine = engineFor(acc, () => true, values);
  await engine.start();
  try {
    const target = isEmail(to) ? (await engine.mapper.resolve(to)).jid : to;
    for (const m of emls) await engine.recordEmail(m, (await engine.mapper.reverse(target)).email);
    let out: Outcome = await engine.replyViaIm(text, { to, whenUnavailable: whenOffline as "keep" });
    // queued: retried until delivered or --wait runs out; sent: waiting for the receipt
    const deadline = Date.now() + wait * 1000;
    while ((out.state === "queued" || out.state === "sent" || out.state === "sending") && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      const item = await engine.item(out.id);
      if (item) out = { ...out, state: item.state, reason: item.reason };
    }
    const { draft, ...rest } = out;
    print({
      outcome: rest.state,
      ...rest,
      ...(draft ? { draft: { to: draft.to, subject: draft.subject, inReplyTo: draft.inReplyTo, text: draft.text } } : {}),
    });
    return out.state === "failed" ? 4 : 0;
  } finally {
    await engine.stop();
  }
}

async function listen(values: Record<string, unknown>): Promise<number> {
  const acc = account(values);
  const seconds = values.for === undefined ? Infinity : Number(values.for);
  if (Number.isNaN(seconds) || seconds < 0) throw new UsageError("--for takes a number of seconds");
  const engine = engineFor(acc, () => true, values);
  const answer = values.answer as string | undefined;
  engine.events.on("message", (m) => {
    if (answer !== undefined) {
      void engine.replyViaIm(answer.replaceAll("{text}", m.text), { to: m.from, history: false }).then(
        (o) => process.stderr.write(`answered ${m.from}: ${o.state}\n`),
        (e: Error) => process.stderr.write(`could not answer ${m.from}: ${e.message}\n`),
      );
    }
    print({
      from: m.from,
      counterpart: m.counterpart,
      text: m.text,
      at: new Date(m.at).toISOString(),
      id: m.id,
      history: {
        items: m.history.items.map((x) => ({
          kind: x.kind,
          direction: x.direction,
          at: new Date(x.at).toISOString(),
          from: x.from,
          subject: x.subject,
          text: x.text,
          attachments: x.attachments,
        })),
        omitted: m.history.omitted,
        rejected: m.history.rejected,
        yours: m.history.yours,
      },
    });
  });
  await engine.start();
  for (const jid of (values.contact as string[] | undefined) ?? []) await engine.contacts.accept(jid);
  process.stderr.write(`listening as ${engine.connection?.jid}${Number.isFinite(seconds) ? ` for ${seconds} s` : ""}\n`);
  await new Promise<void>((resolve) => {
    if (Number.isFinite(seconds)) setTimeout(resolve, seconds * 1000);
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
  await engine.stop();
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: false,
      strict: true,
      options: {
        service: { type: "string" },
        "host-meta": { type: "string" },
        origin: { type: "string" },
        "guest-domain": { type: "string" },
        jid: { type: "string" },
        "password-env": { type: "string" },
        to: { type: "string" },
        text: { type: "string" },
        eml: { type: "string", multiple: true },
        wait: { type: "string" },
        "when-offline": { type: "string" },
        for: { type: "string" },
        password: { type: "string" },
        answer: { type: "string" },
        contact: { type: "string", multiple: true },
      },
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const values = parsed.values as Record<string, unknown>;
  try {
    if (values.password !== undefined)
      throw new UsageError(
        "--password is not accepted: other users can read command lines. Put the password in an environment variable and name it with --password-env.",
      );
    if (command === "doctor") return await doctor(values);
    if (command === "send") return await send(values);
    if (command === "listen") return await listen(values);
    throw new UsageError(command ? `unknown command "${command}"` : "no command given");
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n${USAGE}\n`);
      return 2;
    }
    const message =
      err instanceof ConnectionError || err instanceof UserFacingError || err instanceof DiscoveryError
        ? err.message
        : `unexpected error: ${(err as Error).message}`;
    if (command === "send") print({ outcome: "failed", reason: message });
    else process.stderr.write(`${message}\n`);
    return err instanceof ConnectionError ? 3 : 1;
  }
}
