// Starting a container: the container operation around the shim's launch (lib/shim/launch.ts):
// reconcile the record, refuse a running container, name the shim in the record and send it its
// options under the container's lock, then wait for the shim's report ("created" or "started",
// or an error). The shim then lives on without the CLI.
import type net from 'node:net';
import type { Context } from '../context.js';
import { processAlive } from '../util/proc.js';
import type { ContainerRecord } from '../state/container-record.js';
import { loadContainer, updateContainer } from '../state/containers.js';
import { shortId } from '../state/ids.js';
import { reconcile } from './reconcile.js';
import { assertCan, isCreated, isRunning } from '../state/container-status.js';
import { handOver } from '../shim/hand-over.js';
import { awaitReport, sendOptions, shimOptions, takeShim, type ShimHandle } from '../shim/launch.js';
import { failpoint } from '../util/failpoint.js';

export interface StartResult {
  rec: ContainerRecord;
  /** 'created': the shim waits for a Start frame; 'started': the container runs. */
  event: 'created' | 'started';
  pid: number;
}

/** True when the record's shim process is alive (same pid and start time). */
export function shimAlive(rec: ContainerRecord): boolean {
  return rec.state.shimPid > 0 && processAlive(rec.state.shimPid, rec.state.shimStartTime);
}

/**
 * Launches the shim for a created or exited container. With startNow=false the container is left
 * created and the caller attaches and sends Start (so no output is missed).
 */
export async function launchShim(ctx: Context, rec0: ContainerRecord, startNow: boolean): Promise<StartResult> {
  if (rec0.config.pod && !rec0.config.infra) await startPodInfra(ctx, rec0);
  if (rec0.config.extras) await startExtrasDependencies(ctx, rec0);
  const rec1 = await reconcile(ctx, rec0);
  const shim = await takeShim();
  try {
    await updateContainer(ctx, rec1.id, (rec) => {
      assertCan(rec, 'start', { shimAlive: shimAlive(rec) });
      handOver(ctx, rec, shim, { startNow });
    });
    failpoint('start.after-shim');
  } catch (err) {
    // Not needed after all: its end of the pipe closes, and it exits.
    shim.channel.destroy();
    throw err;
  }
  return { rec: rec1, ...(await awaitReport(shim)) };
}

/**
 * `run -d`: starts a container this process has just created with `shim` named as its shim in
 * the first record, so no second (locked) update of the record is needed.
 */
export async function startCreated(ctx: Context, rec: ContainerRecord, shim: ShimHandle): Promise<StartResult> {
  sendOptions(shim, shimOptions(ctx, rec, { startNow: true }));
  failpoint('start.after-shim');
  return { rec, ...(await awaitReport(shim)) };
}

/**
 * Foreground `run`: as startCreated, but this process stays on the shim's fd 3 as the container's
 * first attach client; returns that connection (see attachSession's `socket`).
 */
export function attachCreated(ctx: Context, rec: ContainerRecord, shim: ShimHandle): net.Socket {
  return sendOptions(shim, shimOptions(ctx, rec, { startNow: false, launcherAttached: true }));
}

/** `pman start` without attaching: start (or finish starting) and return the container. */
export async function startDetached(ctx: Context, rec: ContainerRecord): Promise<ContainerRecord> {
  const r = await reconcile(ctx, rec);
  assertCan(r, 'start');
  if (isCreated(r) && shimAlive(r)) {
    // A shim is waiting for its Start frame (its foreground client went away): send it.
    const { sendStart } = await import('./attach-client.js');
    await sendStart(ctx, r);
    return r;
  }
  await launchShim(ctx, r, true);
  return r;
}

/**
 * A pod member starts after its pod's infra (started here when it is not running, as podman
 * does), with the paths of the infra's namespaces of this run in its config.json.
 */
export async function startPodInfra(ctx: Context, rec: ContainerRecord): Promise<void> {
  const { podOf, refreshPodNamespaces } = await import('./pod-member.js');
  const { withPodLock } = await import('../state/pods.js');
  const m = podOf(ctx, rec);
  const infraId = m?.infra?.id;
  if (!m || !infraId) return;
  await withPodLock(ctx, m.pod.id, async () => {
    const infra = await reconcile(ctx, loadContainer(ctx, infraId));
    if (!isRunning(infra)) await launchShim(ctx, infra, true);
  });
  refreshPodNamespaces(ctx, rec);
}

/** --requires and joined namespaces (container:NAME): those containers start first (extras-start.ts). */
export async function startExtrasDependencies(ctx: Context, rec: ContainerRecord): Promise<void> {
  const { startDependencies } = await import('./extras-start.js');
  await startDependencies(ctx, rec, (dep) => startDetached(ctx, dep));
}

export function describe(rec: ContainerRecord): string {
  return `${rec.name} (${shortId(rec.id)})`;
}
