// What a server offers that the add-in needs (F20): one login, then service discovery. Shared by
// the command line (`reply-via-im doctor`, for IT) and the Options page's Test button.
import { connect, type Account } from "./connection";
import { disco, type ServerSupport } from "./disco";
import { discover, type DiscoverOptions } from "./discovery";

export interface Check {
  what: string;
  ok: boolean;
  note: string;
}

export interface Diagnosis {
  usable: boolean;
  jid: string;
  /** The WebSocket endpoint, and how it was found: given (typed or preset) or discovered (XEP-0156). */
  endpoint: { service: string; how: "given" | "discovered"; from?: string };
  /** The SASL mechanism the login used. */
  mechanism?: string;
  support: ServerSupport;
  checks: Check[];
  missing: string[];
  /** Set when not usable: what to ask for. */
  advice?: string;
}

const REQUIRED = ["stream management (XEP-0198)", "message archive (XEP-0313)"];

/** The endpoint to test: the given one, else discovered — a failed discovery says what IT must publish. */
async function endpointOf(account: Omit<Account, "service"> & { service?: string }, discovery?: DiscoverOptions): Promise<Diagnosis["endpoint"]> {
  if (account.service) return { service: account.service, how: "given" };
  const domain = account.jid.slice(account.jid.lastIndexOf("@") + 1);
  const found = await discover(domain, discovery);
  return { service: found.service, how: "discovered", from: found.from };
}

export async function diagnose(account: Omit<Account, "service"> & { service?: string }, opts: { discovery?: DiscoverOptions } = {}): Promise<Diagnosis> {
  const endpoint = await endpointOf(account, opts.discovery);
  let mechanism: string | undefined;
  const conn = await connect({ account: { ...account, service: endpoint.service }, onLogin: (r) => (mechanism = r.mechanism) });
  try {
    const s = await disco({ xmpp: conn.xmpp }).support();
    const how = endpoint.how === "discovered" ? `found in ${endpoint.from}` : "as given (typed or preset)";
    const checks: Check[] = [
      { what: "WebSocket endpoint", ok: true, note: `${endpoint.service}, ${how}` },
      { what: "WebSocket login", ok: true, note: `as ${conn.jid} with ${mechanism ?? "?"}${mechanism === "PLAIN" ? " (the server offers no SCRAM: the password itself must be kept)" : ""}` },
      { what: "stream management (XEP-0198)", ok: s.streamManagement, note: "needed to know an IM was sent" },
      { what: "message archive (XEP-0313)", ok: s.mam, note: "needed to keep history across devices and restarts" },
      { what: "carbons (XEP-0280)", ok: s.carbons, note: "IMs sent from other devices join the history" },
      { what: "group chat (XEP-0045)", ok: Boolean(s.muc), note: s.muc ? `rooms on ${s.muc}` : "needed for IM invitations in emails" },
      { what: "file upload (XEP-0363)", ok: Boolean(s.upload), note: s.upload ? `${s.upload.jid}, up to ${s.upload.maxSize ?? "?"} bytes` : "needed to send attachments with the history" },
    ];
    const missing = checks.filter((c) => !c.ok).map((c) => c.what);
    const lacking = missing.filter((m) => REQUIRED.includes(m));
    return {
      usable: lacking.length === 0, jid: conn.jid, endpoint, mechanism, support: s, checks, missing,
      advice: lacking.length ? `The server lacks ${lacking.join(" and ")}. Ask your XMPP administrator to enable it.` : undefined,
    };
  } finally {
    await conn.stop();
  }
}
