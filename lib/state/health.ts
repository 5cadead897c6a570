// A container's health (State.Health of inspect): its status, failing streak and last results,
// kept in a small file of its own beside the record (<root>/containers/<id>/health.json) and written
// atomically by the container's shim only, so probe results never race record updates. The rules
// are Docker's (docs/healthchecks.md): a pure function from one health to the next.
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { writeJsonAtomic } from './atomic.js';
import type { HealthcheckConfig } from './container-record.js';
import { containerDir } from './paths.js';

export type HealthStatus = 'starting' | 'healthy' | 'unhealthy';

export interface HealthResult {
  Start: string;
  End: string;
  ExitCode: number;
  Output: string;
}

export interface Health {
  Status: HealthStatus;
  FailingStreak: number;
  Log: HealthResult[];
}

/** Results kept, and bytes of output kept per result: Docker's limits. */
export const MAX_LOG_ENTRIES = 5;
export const MAX_OUTPUT_BYTES = 4096;

export function healthFile(ctx: Context, id: string): string {
  return path.join(containerDir(ctx, id), 'health.json');
}

export function initialHealth(): Health {
  return { Status: 'starting', FailingStreak: 0, Log: [] };
}

function isResult(v: unknown): v is HealthResult {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return typeof r.Start === 'string' && typeof r.End === 'string' && Number.isInteger(r.ExitCode) && typeof r.Output === 'string';
}

/**
 * The health the shim last wrote, or undefined when there is none (never checked, or the file is
 * missing or damaged: health is advisory, a bad file must not make the container unreadable).
 */
export function readHealth(ctx: Context, id: string): Health | undefined {
  let v: unknown;
  try {
    v = JSON.parse(fs.readFileSync(healthFile(ctx, id), 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const h = v as Record<string, unknown>;
  if (!['starting', 'healthy', 'unhealthy'].includes(h.Status as string)) return undefined;
  if (!Number.isInteger(h.FailingStreak) || (h.FailingStreak as number) < 0) return undefined;
  if (!Array.isArray(h.Log) || !h.Log.every(isResult)) return undefined;
  return { Status: h.Status as HealthStatus, FailingStreak: h.FailingStreak as number, Log: h.Log.slice(-MAX_LOG_ENTRIES) };
}

export function writeHealth(ctx: Context, id: string, h: Health): void {
  writeJsonAtomic(healthFile(ctx, id), h);
}

/** Output as Docker keeps it: at most 4096 bytes (cut on a byte boundary, shown as text). */
export function capOutput(out: Buffer): string {
  return out.subarray(0, MAX_OUTPUT_BYTES).toString('utf8');
}

/**
 * Docker's rule for one probe result: exit 0 is healthy and clears the streak; anything else is a
 * failure, which is not counted while the container is starting and within its start period; once
 * the streak reaches the retries the container is unhealthy. The last five results are kept.
 */
export function applyResult(h: Health, r: HealthResult, cfg: HealthcheckConfig, startedAt: string): Health {
  const log = [...h.Log, r].slice(-MAX_LOG_ENTRIES);
  if (r.ExitCode === 0) return { Status: 'healthy', FailingStreak: 0, Log: log };
  const sinceStartNs = (Date.parse(r.Start) - Date.parse(startedAt)) * 1e6;
  const inStartPeriod = h.Status === 'starting' && sinceStartNs < (cfg.startPeriod ?? 0);
  if (inStartPeriod) return { ...h, Log: log };
  const streak = h.FailingStreak + 1;
  return { Status: streak >= (cfg.retries ?? 3) ? 'unhealthy' : h.Status, FailingStreak: streak, Log: log };
}

/** The command a probe runs: CMD as is, CMD-SHELL through /bin/sh -c (as docker does on Linux). */
export function probeArgs(test: string[]): string[] {
  return test[0].toUpperCase() === 'CMD-SHELL' ? ['/bin/sh', '-c', test.slice(1).join(' ')] : test.slice(1);
}
