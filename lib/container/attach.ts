// `pman attach` and `pman start -a`: connect the user's terminal to a container's shim, either to
// a running container or to one started for this client (so none of its output is missed).
import type { Context } from '../context.js';
import { assertCan, isCreated, isRunningNotPaused } from '../state/container-status.js';
import type { ContainerRecord } from '../state/container-record.js';
import { attachSession, type AttachIO, type AttachResult } from './attach-client.js';
import { reconcile } from './reconcile.js';
import { launchShim, shimAlive } from './start.js';

export interface AttachContainerOptions {
  io: AttachIO;
  /** Forward the user's input (only to a container created with -i). */
  stdin: boolean;
  detachKeys: Buffer | null;
  sigProxy: boolean;
}

/** Attaches to a running container until it exits or the user detaches. */
export async function attachContainer(ctx: Context, rec0: ContainerRecord, opts: AttachContainerOptions): Promise<AttachResult> {
  const rec = await reconcile(ctx, rec0);
  assertCan(rec, 'attach');
  if (opts.stdin && !rec.config.interactive && !opts.io.stdin.isTTY) {
    ctx.warn(`container "${rec.name}" was not started with -i (--interactive): input is not forwarded`);
  }
  return attachSession(ctx, rec, { ...opts, stdin: opts.stdin && rec.config.interactive, tty: rec.config.tty, start: false });
}

/**
 * `start -a`: launches the container's shim held before `runc start`, then attaches and starts it.
 * A running container is only attached to, as podman's start -a does.
 */
export async function startAttached(ctx: Context, rec0: ContainerRecord, opts: AttachContainerOptions): Promise<AttachResult> {
  const rec = await reconcile(ctx, rec0);
  const running = isRunningNotPaused(rec);
  // An initialized container (`pman init`) has its shim waiting for this Start already.
  if (!running && !(isCreated(rec) && shimAlive(rec))) {
    assertCan(rec, 'start');
    await launchShim(ctx, rec, false);
  }
  return attachSession(ctx, rec, { ...opts, stdin: opts.stdin && rec.config.interactive, tty: rec.config.tty, streams: rec.config.extras?.attach, start: !running });
}
