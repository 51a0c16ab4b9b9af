export interface ProsodyInfo {
  dir: string; domain: string; pid: number; supervisorPid: number; c2sPort: number; httpPort: number;
  service: string; guestDomain: string; mucDomain: string; uploadDomain: string;
  users: Record<string, string>; startedInMs: number;
}
export interface ProsodyServer extends ProsodyInfo {
  stop: (opts?: { purge?: boolean; graceMs?: number; signal?: string }) => Promise<void>;
}
export const DEFAULT_USERS: Record<string, string>;
export function freePort(): Promise<number>;
export function startProsody(opts?: { dir?: string; users?: Record<string, string>; domain?: string; ports?: { c2sPort: number; httpPort: number }; readyTimeoutMs?: number }): Promise<ProsodyServer>;
export function stopProsody(dir: string, opts?: { purge?: boolean; graceMs?: number; signal?: string }): Promise<void>;
