export interface EjabberdInfo {
  dir: string;
  domain: string;
  /** the Erlang node (ejabberd_<distPort>@localhost), reachable only with the instance's cookie */
  node: string;
  /** beam.smp; `supervisorPid` is the `timeout` it runs under, `helpers` the other processes it started */
  pid: number;
  supervisorPid: number;
  helpers: number[];
  /** each of those PIDs' start time (/proc), so that stop() knows them from a later process given the same PID */
  starts: Record<string, string>;
  c2sPort: number;
  httpPort: number;
  distPort: number;
  /** ws://127.0.0.1:PORT/ws (loopback, no TLS) */
  service: string;
  /** With `tls`: the HTTPS port and wss://localhost:PORT/ws, and the certificate it presents. */
  httpsPort?: number;
  secureService?: string;
  tls?: { cert: string; key: string };
  guestDomain: string;
  mucDomain: string;
  uploadDomain: string;
  users: Record<string, string>;
  /** until the WebSocket port accepted and ejabberdctl said "started" */
  readyInMs: number;
  /** the same, and the users registered */
  startedInMs: number;
}
export interface EjabberdServer extends EjabberdInfo {
  stop: (opts?: { purge?: boolean; graceMs?: number }) => Promise<void>;
}
export function startEjabberd(opts: {
  /** a fresh directory: config, spool, logs, uploads and HOME live there */
  dir: string;
  users?: Record<string, string>;
  domain?: string;
  readyTimeoutMs?: number;
  /** PEM certificate and key naming localhost: the WebSocket is also served over TLS */
  tls?: { cert: string; key: string };
  /** a node of a cluster (scripts/ejabberd-cluster.mjs): the shared cookie and the cluster's epmd */
  cluster?: { cookie: string; epmdPort: number };
  /** false: the guest host offers no stream management (XEP-0198), as some sites run it */
  guestStreamManagement?: boolean;
  /** to restart a stopped or killed server of `dir` on the ports (and with the data, node and cookie) it had */
  ports?: { c2sPort: number; httpPort: number; httpsPort?: number };
}): Promise<EjabberdServer>;
export function stopEjabberd(dir: string, opts?: { purge?: boolean; graceMs?: number }): Promise<void>;
/** Runs the instance's own ejabberdctl against its node. */
export function ctl(dir: string, ...args: string[]): Promise<{ stdout: string; stderr: string }>;
export function registerEjabberdUser(dir: string, user: string, domain: string, password: string): Promise<void>;
