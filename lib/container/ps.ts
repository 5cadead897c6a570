// `pman ps`: every container's record made truthful (reconciled), filtered like podman.
import type { Context } from '../context.js';
import { InvalidArgumentError } from '../errors.js';
import type { ContainerRecord } from '../state/container-record.js';
import { listContainersWithUnreadable } from '../state/containers.js';
import { reconcile } from './reconcile.js';
import { isExited, isRunning, isRunningNotPaused, shownStatus } from '../state/container-status.js';
import type { HealthStatus } from '../state/health.js';
import { runningHealth } from './healthcheck.js';
import { RELATION_KEYS, relationFilter } from './ps-relation-filters.js';

export interface PsOptions {
  all: boolean;
  filters: string[];
  /** Docker's list (the API): a paused container counts as running; podman's ps leaves it out. */
  pausedAsRunning?: boolean;
}

/** A filter sees the record and, for health=, the health status ps shows (none without one). */
type Filter = (rec: ContainerRecord, health: HealthStatus | undefined) => boolean;

const HEALTH = ['starting', 'healthy', 'unhealthy', 'none'];

const STATUSES = ['created', 'running', 'paused', 'exited', 'stopped', 'unknown', 'stopping'];

/** One --filter; with the context, also the keys that name other objects (ps-relation-filters.ts). */
export function parseFilter(spec: string, ctx?: Context): Filter {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`invalid --filter "${spec}": use KEY=VALUE (status, name, id, label, exited, ancestor, volume, health, ${RELATION_KEYS.join(', ')})`);
  const key = spec.slice(0, eq);
  const value = spec.slice(eq + 1);
  switch (key) {
    case 'status':
      if (!STATUSES.includes(value)) throw new InvalidArgumentError(`invalid status filter "${value}": use one of ${STATUSES.join(', ')}`);
      return (r) => shownStatus(r) === value || (value === 'stopped' && isExited(r));
    case 'name': {
      let re: RegExp;
      try {
        re = new RegExp(value);
      } catch {
        throw new InvalidArgumentError(`invalid name filter "${value}": not a valid regular expression`);
      }
      return (r) => re.test(r.name);
    }
    case 'id':
      return (r) => r.id.startsWith(value);
    case 'label': {
      const i = value.indexOf('=');
      const k = i < 0 ? value : value.slice(0, i);
      const v = i < 0 ? undefined : value.slice(i + 1);
      return (r) => k in r.config.labels && (v === undefined || r.config.labels[k] === v);
    }
    case 'exited':
      if (!/^-?[0-9]+$/.test(value)) throw new InvalidArgumentError(`invalid exited filter "${value}": use an exit code`);
      return (r) => isExited(r) && r.state.exitCode === Number(value);
    case 'ancestor':
      return (r) => r.imageName === value || r.imageName.startsWith(`${value}:`) || r.imageName.endsWith(`/${value}`) || r.imageName.includes(`/${value}:`) || r.image.startsWith(value);
    case 'volume':
      // podman: a named volume's name, or the destination of any of its mounts.
      return (r) => (r.config.mounts ?? []).some((m) => (m.type === 'volume' && m.source === value) || m.destination === value);
    case 'health':
      if (!HEALTH.includes(value)) throw new InvalidArgumentError(`invalid health filter "${value}": use one of ${HEALTH.join(', ')}`);
      return (_r, health) => (health ?? 'none') === value;
    default:
      if (ctx && RELATION_KEYS.includes(key)) return relationFilter(ctx, key, value);
      throw new InvalidArgumentError(`invalid --filter "${spec}": unknown key "${key}"; use status, name, id, label, exited, ancestor, volume, health or ${RELATION_KEYS.join(', ')}`);
  }
}

/** The containers ps would list, newest first: docker's order, which the API keeps (ps-listing.ts turns it). */
export async function listForPs(ctx: Context, opts: PsOptions): Promise<ContainerRecord[]> {
  // Parse every filter first so a bad one fails before any work.
  const byKey = new Map<string, Filter[]>();
  for (const f of opts.filters) {
    const key = f.slice(0, f.indexOf('='));
    byKey.set(key, [...(byKey.get(key) ?? []), parseFilter(f, ctx)]);
  }
  const recs = await Promise.all(listContainersWithUnreadable(ctx).map((r) => reconcile(ctx, r)));
  // Same key: any matches (OR), except label= where each must (podman matches labels as a set);
  // different keys: all must (AND) — podman's rule.
  const health = (r: ContainerRecord) => (byKey.has('health') ? runningHealth(ctx, r) : undefined);
  const matches = (r: ContainerRecord) => {
    const h = health(r);
    return [...byKey].every(([key, fs]) => (key === 'label' ? fs.every((f) => f(r, h)) : fs.some((f) => f(r, h))));
  };
  // Without all, only running containers, unless a status= filter asks for others (podman 4.3.1's
  // rule, and docker's): other filters choose among the running ones.
  const running = opts.pausedAsRunning ? isRunning : isRunningNotPaused;
  return recs
    .filter((r) => opts.all || byKey.has('status') || running(r))
    .filter(matches)
    .sort((a, b) => Date.parse(b.created) - Date.parse(a.created));
}
