// `pman stats`: which containers are sampled, and one round of samples after another. The CPU %
// of a round is over the time since the container's previous round, so the sampler keeps those.
import type { Context } from '../context.js';
import { assertCan, isRunning } from '../state/container-status.js';
import { cgroupPathOf } from '../state/container-cgroup.js';
import type { ContainerRecord } from '../state/container-record.js';
import { listContainers, resolveContainer } from '../state/containers.js';
import { reconcile } from './reconcile.js';
import { sampleCgroup, statsRow, type CgroupSample, type StatsRow } from './stats.js';

export interface StatsOptions {
  /** Containers named by the user; none = every running one. */
  refs: string[];
  /** With no refs: list the containers that are not running too (they have no row). */
  all: boolean;
  /** Full container IDs (stats --no-trunc). */
  noTrunc?: boolean;
}

/** Named containers must be running; without names, the running ones (or all with --all). */
async function targets(ctx: Context, opts: StatsOptions): Promise<ContainerRecord[]> {
  if (opts.refs.length === 0) {
    const recs = await Promise.all(listContainers(ctx).map((r) => reconcile(ctx, r)));
    return recs.filter((r) => opts.all || isRunning(r));
  }
  const recs = await Promise.all(opts.refs.map((ref) => reconcile(ctx, resolveContainer(ctx, ref))));
  for (const r of recs) assertCan(r, 'stats');
  return recs;
}

/** A function that takes one round of samples each time it is called. */
export function statsSampler(ctx: Context, opts: StatsOptions): () => Promise<StatsRow[]> {
  const prev = new Map<string, CgroupSample>();
  return async () => {
    const rows: StatsRow[] = [];
    for (const rec of await targets(ctx, opts)) {
      const s = sampleCgroup(cgroupPathOf(rec));
      if (!s) continue; // exited meanwhile
      const row = statsRow(rec, s, prev.get(rec.id));
      rows.push(opts.noTrunc ? { ...row, ID: rec.id } : row);
      prev.set(rec.id, s);
    }
    return rows;
  };
}
