// `pman system check [--repair] [--quick]` (podman 5 has it): every container, image, layer,
// volume and lock against the disk, the mounts, runc's state and the live processes. One problem
// per line; --repair fixes what can be fixed and never touches what is sound (docs/reliability.md).
import fs from 'node:fs';
import path from 'node:path';
import { containerLeftovers, type Problem } from '../container/leftovers.js';
import { reconcile } from '../container/reconcile.js';
import type { Context } from '../context.js';
import { listStateDir } from '../state/atomic.js';
import { isUnreadable, listContainerIds, loadContainerOrUnreadable, recordPath } from '../state/containers.js';
import { shortId } from '../state/ids.js';
import { volumesDir } from '../state/paths.js';
import { processAlive } from '../util/proc.js';
import { volumeLeftovers } from '../volume/volumes.js';
import { imageProblems } from './check-images.js';
import { isRunning } from '../state/container-status.js';
import { shimAlive } from '../container/start.js';

export interface CheckOptions {
  repair: boolean;
  quick: boolean;
}

export interface CheckedProblem {
  subject: string;
  problem: string;
  /** What --repair did; undefined when not repaired (not asked, or it cannot be). */
  repaired?: string;
  /** Why the repair failed. */
  repairError?: string;
}

/** Records that do not tell the truth or cannot be read. */
function recordProblems(ctx: Context): Problem[] {
  const out: Problem[] = [];
  for (const id of listContainerIds(ctx)) {
    if (!fs.existsSync(recordPath(ctx, id))) continue; // a leftover: containerLeftovers
    const rec = loadContainerOrUnreadable(ctx, id);
    if (isUnreadable(rec)) {
      out.push({ subject: `container ${shortId(id)} (${rec.name})`, problem: `${rec.state.error}; remove it with "pman rm -f ${rec.name}"` });
    } else if (isRunning(rec) && !shimAlive(rec)) {
      out.push({
        subject: `container ${shortId(id)} (${rec.name})`,
        problem: `recorded as ${rec.state.status} but its shim (pid ${rec.state.shimPid}) is gone`,
        repair: { what: 'recorded as exited, its processes ended', run: async () => void (await reconcile(ctx, rec)) },
      });
    }
  }
  return out;
}

/** Volume records that cannot be read, and volume directories without one. */
function volumeProblems(ctx: Context): Problem[] {
  const out: Problem[] = [];
  for (const name of listStateDir(volumesDir(ctx), 'volumes', (n) => !n.startsWith('.'))) {
    const file = path.join(volumesDir(ctx), name, 'volume.json');
    if (!fs.existsSync(file)) out.push({ subject: `volume "${name}"`, problem: `directory without a record: "${file}" is missing` });
    else if (!fs.existsSync(path.join(volumesDir(ctx), name, '_data'))) out.push({ subject: `volume "${name}"`, problem: 'its _data directory is missing' });
  }
  return [...out, ...volumeLeftovers(ctx, processAlive)];
}

export async function checkSystem(ctx: Context, opts: CheckOptions): Promise<CheckedProblem[]> {
  const found = [...recordProblems(ctx), ...containerLeftovers(ctx), ...imageProblems(ctx, opts), ...volumeProblems(ctx)];
  const out: CheckedProblem[] = [];
  for (const p of found) {
    const c: CheckedProblem = { subject: p.subject, problem: p.problem };
    if (opts.repair && p.repair) {
      try {
        await p.repair.run();
        c.repaired = p.repair.what;
      } catch (err) {
        c.repairError = (err as Error).message;
      }
    }
    out.push(c);
  }
  return out;
}
