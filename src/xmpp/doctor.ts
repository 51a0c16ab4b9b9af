// What a server offers that the add-in needs (F20): one login, then service discovery. Shared by
// the command line (`reply-via-im doctor`, for IT) and the Options page's Test button.
import { connect, type Account } from "./connection";
import { disco, type ServerSupport } from "./disco";

export interface Check {
  what: string;
  ok: boolean;
  note: string;
}

export interface Diagnosis {
  usable: boolean;
  jid: string;
  support: ServerSupport;
  checks: Check[];
  missing: string[];
  /** Set when not usable: what to ask for. */
  advice?: string;
}

const REQUIRED = ["stream management (XEP-0198)", "message archive (XEP-0313)"];

export async function diagnose(account: Account): Promise<Diagnosis> {
  const conn = await connect({ account });
  try {
    const s = await disco({ xmpp: conn.xmpp }).support();
    const checks: Check[] = [
      { what: "WebSocket login", ok: true, note: `${account.service} as ${conn.jid}` },
      { what: "stream management (XEP-0198)", ok: s.streamManagement, note: "needed to know an IM was sent" },
      { what: "message archive (XEP-0313)", ok: s.mam, note: "needed to keep history across devices and restarts" },
      { what: "carbons (XEP-0280)", ok: s.carbons, note: "IMs sent from other devices join the history" },
      { what: "group chat (XEP-0045)", ok: Boolean(s.muc), note: s.muc ? `rooms on ${s.muc}` : "needed for IM invitations in emails" },
      { what: "file upload (XEP-0363)", ok: Boolean(s.upload), note: s.upload ? `${s.upload.jid}, up to ${s.upload.maxSize ?? "?"} bytes` : "needed to send attachments with the history" },
    ];
    const missing = checks.filter((c) => !c.ok).map((c) => c.what);
    const lacking = missing.filter((m) => REQUIRED.includes(m));
    return {
      usable: lacking.length === 0, jid: conn.jid, support: s, checks, missing,
      advice: lacking.length ? `The server lacks ${lacking.join(" and ")}. Ask your XMPP administrator to enable it.` : undefined,
    };
  } finally {
    await conn.stop();
  }
}
