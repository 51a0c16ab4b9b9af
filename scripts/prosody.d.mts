export interface ProsodyInfo {
  dir: string;
  domain: string;
  pid: number;
  supervisorPid: number;
  c2sPort: number;
  httpPort: number;
  /** the two PIDs' start times (/proc), so that stop() knows them from a later process given the same PID */
  starts: Record<string, string>;
  /** ws://127.0.0.1:PORT/xmpp-websocket (loopback, no TLS) */
  service: string;
  /** With `tls`: the HTTPS port and wss://localhost:PORT/xmpp-websocket, and the certificate it presents. */
  httpsPort?: number;
  secureService?: string;
  tls?: { cert: string; key: string };
  authentication: "internal_hashed" | "internal_plain";
  scramOnly: boolean;
  guestDomain: string;
  mucDomain: string;
  uploadDomain: string;
  users: Record<string, string>;
  startedInMs: number;
}
export interface ProsodyServer extends ProsodyInfo {
  stop: (opts?: { purge?: boolean; graceMs?: number; signal?: string }) => Promise<void>;
}
export const DEFAULT_USERS: Record<string, string>;
export { freePort } from "./lib/process.mjs";
export function startProsody(opts?: {
  dir?: string;
  users?: Record<string, string>;
  domain?: string;
  readyTimeoutMs?: number;
  /** to restart a server on the ports (and data) it had */
  ports?: { c2sPort: number; httpPort: number; httpsPort?: number };
  /** PEM certificate and key naming localhost: the WebSocket is also served over TLS */
  tls?: { cert: string; key: string };
  /** "internal_hashed" (default; SCRAM-SHA-1 offered) or "internal_plain" (SCRAM-SHA-256 too) */
  authentication?: "internal_hashed" | "internal_plain";
  /** no PLAIN; with `tls`, only the TLS WebSocket counts as secure */
  scramOnly?: boolean;
  /** Lua lines appended to the generated config (a section named again is changed) */
  extraConfig?: string;
}): Promise<ProsodyServer>;
export function stopProsody(dir: string, opts?: { purge?: boolean; graceMs?: number; signal?: string }): Promise<void>;
