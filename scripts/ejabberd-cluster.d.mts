import type { EjabberdServer } from "./ejabberd.mjs";
export interface EjabberdCluster {
  dir: string;
  /** the cluster's own epmd, on 127.0.0.1 */
  epmdPort: number;
  /** node A (holds the users first) and node B (joined A's cluster); each has its own ports and services */
  a: EjabberdServer;
  b: EjabberdServer;
  /** stops both nodes, then the epmd, by PID */
  stop: (opts?: { purge?: boolean; graceMs?: number }) => Promise<void>;
}
export function startEjabberdCluster(opts: {
  /** a fresh directory: the nodes live in DIR/a and DIR/b */
  dir: string;
  users?: Record<string, string>;
  domain?: string;
  readyTimeoutMs?: number;
  /** PEM certificate and key naming localhost: each node's WebSocket is also served over TLS */
  tls?: { cert: string; key: string };
}): Promise<EjabberdCluster>;
export function stopEjabberdCluster(dir: string, opts?: { purge?: boolean; graceMs?: number }): Promise<void>;
