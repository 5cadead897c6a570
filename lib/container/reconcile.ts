// Makes a record tell the truth when its shim is gone: killed -9, crashed, or lost with a reboot
// (runtime dir wiped). Without a shim nobody can collect the exit status or relay output, so a
// container still running then is killed and the record marked exited with the reason.
import fs from 'node:fs';
import type { Context } from '../context.js';
import { runtimeDelete } from '../oci/runtime.js';
import { unmountRootfs } from '../oci/rootfs.js';
import { bootId, processAlive } from '../util/proc.js';
import type { ContainerRecord } from '../state/container-record.js';
import { updateContainer } from '../state/containers.js';
import { runcRoot, containerRunDir } from '../state/paths.js';
import { mountCount } from '../state/mount-count.js';
import { NotFoundError } from '../errors.js';
import { isRunning, toShimLost } from '../state/container-status.js';

function needsCheck(rec: ContainerRecord): boolean {
  return isRunning(rec) || rec.state.shimPid > 0;
}

function shimGone(rec: ContainerRecord, boot: string): boolean {
  if (rec.state.shimPid <= 0) return isRunning(rec);
  if (rec.state.bootId && boot && rec.state.bootId !== boot) return true;
  return !processAlive(rec.state.shimPid, rec.state.shimStartTime);
}

/**
 * The network modules are loaded only here, for a container found with its shim gone: every
 * `ps` and `inspect` reconciles, and loading them (bridge keeper, leases, network records) cost
 * those commands a few ms each time.
 */
async function unwire(ctx: Context, id: string): Promise<void> {
  const { unwireContainer } = await import('../network/wiring.js');
  await unwireContainer(ctx, id);
}

export async function reconcile(ctx: Context, rec: ContainerRecord): Promise<ContainerRecord> {
  if (!needsCheck(rec)) return rec;
  const boot = bootId();
  if (!shimGone(rec, boot)) return rec;
  let fixed = rec;
  try {
    fixed = await updateContainer(ctx, rec.id, async (r) => {
      if (!needsCheck(r) || !shimGone(r, boot)) return;
      const sameBoot = !r.state.bootId || r.state.bootId === boot;
      if (isRunning(r) && sameBoot && r.state.pid > 0 && processAlive(r.state.pid)) {
        try {
          process.kill(r.state.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
      // What the dead shim could not tear down: its netavark rules, veth, namespace. (Only for a
      // container that was running: an exited one's shim unwired it, and a shim seen here during
      // a restart policy's relaunch may be wiring the next run.)
      if (isRunning(r)) await unwire(ctx, r.id).catch((err) => ctx.warn(`container ${r.name}: ${(err as Error).message}`));
      const reason = sameBoot
        ? `the container's shim (pid ${r.state.shimPid}) died without recording an exit status`
        : 'the system was rebooted while the container was running';
      r.state = toShimLost(r.state, { finishedAt: new Date().toISOString(), reason });
      await runtimeDelete({ runtime: r.config.runtime, root: runcRoot(ctx) }, r.id, true).catch(() => undefined);
      // Its root mount too: nobody runs it any more (found left by kill -9 of shims in bench/soak).
      try {
        if (mountCount(ctx, r.id) === 0) unmountRootfs(ctx, r.id);
      } catch (err) {
        ctx.warn(`container ${r.name}: ${(err as Error).message}`);
      }
      fs.rmSync(containerRunDir(ctx, r.id), { recursive: true, force: true });
    });
  } catch (err) {
    if (err instanceof NotFoundError) return rec; // removed meanwhile
    throw err;
  }
  return fixed;
}
