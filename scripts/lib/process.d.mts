import type { ChildProcess } from "node:child_process";
export function freePort(): Promise<number>;
export function accepts(port: number): Promise<boolean>;
export function sleep(ms: number): Promise<void>;
export function waitUntil<T>(
  check: () => T | Promise<T>,
  opts: { timeoutMs: number; intervalMs?: number; what?: string; failed?: () => string | undefined | Promise<string | undefined> },
): Promise<T>;
export function procStat(pid: number): { state: string; start: string } | undefined;
export function runs(pid: number, start?: string): boolean;
export function alive(pid: number): boolean;
export function startsOf(pids: (number | undefined)[]): Record<string, string>;
export function descendants(pid: number): number[];
export function stopPids(pids: number[], opts?: { starts?: Record<string, string>; graceMs?: number; signal?: NodeJS.Signals }): Promise<void>;
export function spawnSupervised(
  command: string,
  args: string[],
  opts: { out: string; cwd?: string; env?: NodeJS.ProcessEnv; maxLifetimeS?: number },
): { child: ChildProcess; exited: () => boolean };
export function killGroup(child: ChildProcess): void;
export function within(p: Promise<unknown>, ms: number): Promise<boolean>;
export function endChild(c: ChildProcess, signal?: NodeJS.Signals): Promise<void>;
