// What a server offers that the add-in needs (F20, F23): one login, then service discovery, a
// guest login and an upload preflight. Shared by the command line (`reply-via-im doctor`, for IT)
// and Options' "Sign in and save" (when the account changed). Each piece is reported found or not; each missing one says
// what to ask IT for, naming the Prosody and ejabberd setting (docs/servers.md has the snippets).
import { connect, type Account } from "./connection";
import { disco, type ServerSupport } from "./disco";
import { NS_MAM } from "./mam";
import { discover, type DiscoverOptions } from "./discovery";
import { upload } from "./upload";

export interface Check {
  what: string;
  ok: boolean;
  note: string;
  /** For a missing piece: what to ask IT for. */
  ask?: string;
}

export interface Diagnosis {
  usable: boolean;
  jid: string;
  /** The WebSocket endpoint, and how it was found: given (typed or preset) or discovered (XEP-0156). */
  endpoint: { service: string; how: "given" | "discovered"; from?: string };
  /** The SASL mechanism the login used. */
  mechanism?: string;
  /** What the server offers; mucArchive: its group chat service archives rooms (XEP-0313 in its disco#info). */
  support: ServerSupport & { mucArchive?: boolean };
  /** The anonymous host tried for the join page's guests, and whether a guest could log in. */
  guest: { domain: string; ok: boolean };
  /** Whether the upload service lets the add-in's origin PUT (undefined: not checked). */
  uploadCors?: { origin: string; ok: boolean };
  checks: Check[];
  /** The checks not passed. */
  missing: string[];
  /** What to ask IT for, one line per missing piece. */
  asks: string[];
  /** Set when not usable: what to ask for. */
  advice?: string;
}

export interface DiagnoseOptions {
  discovery?: DiscoverOptions;
  /**
   * The add-in's origin (the Outlook pages' https://host, Thunderbird's moz-extension://…): the
   * upload service is asked whether that origin may PUT. The preflight carries this Origin itself,
   * which a browser forbids a page to set: hosts running in one leave it out, and the check says
   * how to make it from a computer (`reply-via-im doctor --origin`).
   */
  origin?: string;
  /** The anonymous host for the join page; default guest.<domain>. */
  guestDomain?: string;
  fetch?: typeof fetch;
}

const STREAM_MANAGEMENT = "stream management (XEP-0198)";
const ARCHIVE = "message archive (XEP-0313)";
const REQUIRED = [STREAM_MANAGEMENT, ARCHIVE];

/** The endpoint to test: the given one, else discovered — a failed discovery says what IT must publish. */
async function endpointOf(account: Omit<Account, "service"> & { service?: string }, discovery?: DiscoverOptions): Promise<Diagnosis["endpoint"]> {
  if (account.service) return { service: account.service, how: "given" };
  const domain = account.jid.slice(account.jid.lastIndexOf("@") + 1);
  const found = await discover(domain, discovery);
  return { service: found.service, how: "discovered", from: found.from };
}

const list = (header: string | null, lower: (s: string) => string) =>
  (header ?? "")
    .split(",")
    .map((s) => lower(s.trim()))
    .filter(Boolean);

/**
 * The CORS preflight a browser sends before the add-in's PUT (the same method and headers as
 * upload.ts), against a real slot's PUT URL; nothing is uploaded. Returns what is wrong, or "".
 */
export async function preflight(put: string, origin: string, headers: string[], f: typeof fetch = fetch): Promise<string> {
  let res: Response;
  try {
    res = await f(put, {
      method: "OPTIONS",
      redirect: "manual",
      headers: { Origin: origin, "Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": headers.join(", ") },
    });
  } catch (err) {
    return `the preflight to ${new URL(put).origin} failed (${(err as Error).message})`;
  }
  const problems: string[] = [];
  if (res.status < 200 || res.status > 299) problems.push(`it answered ${res.status}`);
  const allowed = res.headers.get("access-control-allow-origin");
  if (allowed !== origin && allowed !== "*") problems.push(allowed ? `it allows only ${allowed}` : "it sent no Access-Control-Allow-Origin");
  const methods = list(res.headers.get("access-control-allow-methods"), (s) => s.toUpperCase());
  if (!methods.includes("PUT") && !methods.includes("*"))
    problems.push(`it does not allow PUT (Access-Control-Allow-Methods: ${methods.join(", ") || "none"})`);
  const allowedHeaders = list(res.headers.get("access-control-allow-headers"), (s) => s.toLowerCase());
  const refused = headers.filter((h) => !allowedHeaders.includes(h) && !allowedHeaders.includes("*"));
  if (refused.length) problems.push(`it does not allow the header${refused.length > 1 ? "s" : ""} ${refused.join(", ")}`);
  return problems.join("; ");
}

/** Whether an anonymous (SASL ANONYMOUS) login works on the guest host, over the same endpoint. */
async function guestLogin(service: string, domain: string): Promise<Check> {
  const what = "guest host for the join page (anonymous login)";
  try {
    const guest = await connect({ account: { service, jid: domain }, timeoutMs: 10_000, smWaitMs: 0 });
    const jid = guest.jid;
    await guest.stop();
    return { what, ok: true, note: `a guest logged in as ${jid}` };
  } catch (err) {
    return {
      what,
      ok: false,
      note: `no guest login on ${domain}: ${(err as Error).message}`,
      ask: `An anonymous host ${domain} served on the same WebSocket, for the people invited by email (Prosody: VirtualHost "${domain}" with authentication = "anonymous"; ejabberd: a host with auth_method: anonymous and anonymous_protocol: both). Tell the add-in its name if it is another one.`,
    };
  }
}

async function uploadChecks(
  xmpp: Parameters<typeof upload>[0]["xmpp"],
  s: ServerSupport,
  opts: DiagnoseOptions,
): Promise<{ checks: Check[]; cors?: Diagnosis["uploadCors"] }> {
  const checks: Check[] = [];
  if (!s.upload) {
    checks.push({
      what: "file upload (XEP-0363)",
      ok: false,
      note: "needed to send attachments with the history",
      ask: 'HTTP file upload (XEP-0363) listed in the server\'s disco#items (Prosody: Component "upload.<domain>" "http_file_share"; ejabberd: mod_http_upload).',
    });
    return { checks };
  }
  checks.push({ what: "file upload (XEP-0363)", ok: true, note: `${s.upload.jid}, up to ${s.upload.maxSize ?? "?"} bytes` });
  const what = "upload from the add-in's pages (CORS)";
  if (!opts.origin) {
    checks.push({
      what,
      ok: false,
      note: "not checked here: a page cannot send a preflight for another origin. From a computer: reply-via-im doctor --origin <the add-in's origin>",
    });
    return { checks };
  }
  const origin = opts.origin;
  const ask = `The upload service must answer a CORS preflight from ${origin} for PUT with the header Content-Type (Prosody's http_file_share does unless http_cors_override or access_control_allow_origins limits it; ejabberd: mod_http_upload custom_headers with Access-Control-Allow-Origin, -Methods PUT, -Headers Content-Type).`;
  try {
    // a real slot for a 1-byte file: its PUT URL is what the add-in would use; nothing is put there
    const slot = await upload({ xmpp, service: s.upload }).slot({ name: "reply-via-im-doctor.txt", size: 1, contentType: "text/plain" });
    const wrong = await preflight(slot.put, origin, ["content-type", ...Object.keys(slot.headers).map((h) => h.toLowerCase())], opts.fetch);
    checks.push(
      wrong
        ? { what, ok: false, note: `${new URL(slot.put).origin} refuses a PUT from ${origin}: ${wrong}`, ask }
        : { what, ok: true, note: `${new URL(slot.put).origin} lets ${origin} PUT` },
    );
    return { checks, cors: { origin, ok: !wrong } };
  } catch (err) {
    checks.push({
      what,
      ok: false,
      note: `no upload slot to try: ${(err as Error).message}`,
      ask: `Upload slots for the account (XEP-0363: the service refused a 1-byte file). ${ask}`,
    });
    return { checks, cors: { origin, ok: false } };
  }
}

export async function diagnose(account: Omit<Account, "service"> & { service?: string }, opts: DiagnoseOptions = {}): Promise<Diagnosis> {
  const endpoint = await endpointOf(account, opts.discovery);
  let mechanism: string | undefined;
  const conn = await connect({ account: { ...account, service: endpoint.service }, onLogin: (r) => (mechanism = r.mechanism) });
  const domain = conn.bare.slice(conn.bare.lastIndexOf("@") + 1);
  try {
    const d = disco({ xmpp: conn.xmpp });
    const found = await d.support();
    // the rooms' archive is announced by the MUC service itself (Prosody's muc_mam, ejabberd's mod_mam)
    const s = { ...found, ...(found.muc ? { mucArchive: (await d.info(found.muc)).features.includes(NS_MAM) } : {}) };
    const how = endpoint.how === "discovered" ? `found in ${endpoint.from}` : "as given (typed or preset)";
    const tls = new URL(endpoint.service).protocol === "wss:";
    const scram = Boolean(mechanism?.startsWith("SCRAM-"));
    const checks: Check[] = [
      { what: "WebSocket endpoint", ok: true, note: `${endpoint.service}, ${how}` },
      tls
        ? { what: "TLS", ok: true, note: "wss://: the password and the IMs travel encrypted" }
        : {
            what: "TLS",
            ok: false,
            note: "ws:// on loopback: fine on this computer only",
            ask: "The WebSocket over TLS (wss://) with a certificate for its name, directly or behind an HTTPS reverse proxy.",
          },
      { what: "WebSocket login", ok: true, note: `as ${conn.jid} with ${mechanism ?? "?"}` },
      scram
        ? {
            what: "SCRAM login (the password is not kept)",
            ok: true,
            note:
              mechanism === "SCRAM-SHA-1"
                ? 'SCRAM-SHA-1; SCRAM-SHA-256 is not offered (Prosody\'s internal_hashed storage keeps SHA-1 keys unless password_hash = "SHA-256")'
                : `${mechanism}`,
          }
        : {
            what: "SCRAM login (the password is not kept)",
            ok: false,
            note: `${mechanism ?? "?"}: the server offers no SCRAM, so the add-in must keep the password itself`,
            ask: 'SASL SCRAM (SCRAM-SHA-256, or at least SCRAM-SHA-1), so the add-in keeps keys instead of the password (Prosody: authentication = "internal_hashed", password_hash = "SHA-256", no SCRAM in disable_sasl_mechanisms; ejabberd: auth_password_format: scram with auth_scram_hash: sha256).',
          },
      {
        what: STREAM_MANAGEMENT,
        ok: s.streamManagement,
        note: "needed to know an IM was sent",
        ask: "Stream management (XEP-0198): Prosody mod_smacks; ejabberd mod_stream_mgmt.",
      },
      {
        what: ARCHIVE,
        ok: s.mam,
        note: "needed to keep history across devices and restarts",
        ask: "A message archive (XEP-0313) for accounts: Prosody mod_mam; ejabberd mod_mam.",
      },
      {
        what: "carbons (XEP-0280)",
        ok: s.carbons,
        note: "IMs sent from other devices join the history",
        ask: "Message carbons (XEP-0280): Prosody mod_carbons; ejabberd mod_carboncopy.",
      },
      {
        what: "group chat (XEP-0045)",
        ok: Boolean(s.muc),
        note: s.muc ? `rooms on ${s.muc}` : "needed for IM invitations in emails",
        ask: 'A group chat service (XEP-0045) listed in the server\'s disco#items (Prosody: Component "conference.<domain>" "muc"; ejabberd: mod_muc).',
      },
      {
        what: "group chat archive (XEP-0313 on the rooms)",
        ok: Boolean(s.muc && s.mucArchive),
        note: s.muc ? (s.mucArchive ? `${s.muc} archives its rooms` : `${s.muc} keeps no archive`) : "no group chat service",
        ask: 'An archive for the rooms (XEP-0313 on the group chat service), for the transcripts of invitations (Prosody: modules_enabled = { "muc_mam" } on the MUC component; ejabberd: mod_mam, and mam: true in mod_muc\'s default_room_options).',
      },
    ];
    const up = await uploadChecks(conn.xmpp, s, opts);
    checks.push(...up.checks);
    const guestDomain = opts.guestDomain ?? `guest.${domain}`;
    const guest = await guestLogin(endpoint.service, guestDomain);
    checks.push(guest);
    for (const c of checks) if (c.ok) delete c.ask;
    const missing = checks.filter((c) => !c.ok).map((c) => c.what);
    const lacking = missing.filter((m) => REQUIRED.includes(m));
    const asks = checks.filter((c) => !c.ok && c.ask).map((c) => c.ask!);
    return {
      usable: lacking.length === 0,
      jid: conn.jid,
      endpoint,
      mechanism,
      support: s,
      checks,
      missing,
      asks,
      guest: { domain: guestDomain, ok: guest.ok },
      uploadCors: up.cors,
      advice: lacking.length
        ? `The server lacks ${lacking.join(" and ")}. Ask your XMPP administrator to enable it: ${checks
            .filter((c) => lacking.includes(c.what))
            .map((c) => c.ask)
            .join(" ")}`
        : undefined,
    };
  } finally {
    await conn.stop();
  }
}
