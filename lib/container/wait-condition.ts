// `pman wait --condition`: waiting for a state other than the exit (podman's conditions), by
// polling the record and, for healthy/unhealthy, the health its shim records.
import type { Context } from '../context.js';
import { InvalidArgumentError, InvalidStateError, NotFoundError } from '../errors.js';
import type { ContainerRecord } from '../state/container-record.js';
import { loadContainer } from '../state/containers.js';
import { isExited } from '../state/container-status.js';
import { readHealth } from '../state/health.js';
import { reconcile } from './reconcile.js';

/** Conditions that are not the exit (stopped/exited wait for the exit code as plain wait does). */
export const STATE_CONDITIONS = ['created', 'running', 'paused', 'healthy', 'unhealthy'] as const;
export const EXIT_CONDITIONS = ['stopped', 'exited'] as const;
export type StateCondition = (typeof STATE_CONDITIONS)[number];

export function parseCondition(value: string): StateCondition | 'exited' {
  if ((EXIT_CONDITIONS as readonly string[]).includes(value)) return 'exited';
  if ((STATE_CONDITIONS as readonly string[]).includes(value)) return value as StateCondition;
  throw new InvalidArgumentError(`invalid --condition "${value}": use one of ${[...EXIT_CONDITIONS, ...STATE_CONDITIONS].join(', ')}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function holds(ctx: Context, rec: ContainerRecord, c: StateCondition): boolean {
  if (c === 'healthy' || c === 'unhealthy') return rec.state.status === 'running' && readHealth(ctx, rec.id)?.Status === c;
  return rec.state.status === c;
}

/**
 * Resolves once any of the conditions holds. Waiting for a health status of a container that
 * has no health check, or that exits before reaching it, is an error rather than a wait forever.
 */
export async function waitForCondition(ctx: Context, id: string, conditions: StateCondition[], intervalMs = 250): Promise<void> {
  for (let delay = Math.min(20, intervalMs); ; delay = Math.min(delay * 2, intervalMs)) {
    let rec: ContainerRecord;
    try {
      rec = await reconcile(ctx, loadContainer(ctx, id));
    } catch (err) {
      if (err instanceof NotFoundError) throw new InvalidStateError(`container ${id.slice(0, 12)} was removed while waiting for ${conditions.join(' or ')}`);
      throw err;
    }
    if (conditions.some((c) => holds(ctx, rec, c))) return;
    const health = conditions.filter((c) => c === 'healthy' || c === 'unhealthy');
    if (health.length === conditions.length) {
      if (!rec.config.healthcheck) throw new InvalidStateError(`cannot wait for container "${rec.name}" to be ${health.join(' or ')}: it has no health check`);
      if (isExited(rec)) throw new InvalidStateError(`container "${rec.name}" exited (code ${rec.state.exitCode}) before it was ${health.join(' or ')}`);
    }
    await sleep(delay);
  }
}
