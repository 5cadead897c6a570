// The shim's changes to its container's record, one function per transition: running (runc
// started it), exited (its exit collected and everything of the run cleaned up), failed (it could
// not be started, or the shim could not go on). Each is one locked, atomic record update applying
// the transition of lib/state/container-status.ts.
import type { Context } from '../context.js';
import type { ContainerRecord } from '../state/container-record.js';
import { toExited, toFailed, toRunning } from '../state/container-status.js';
import { updateContainer } from '../state/containers.js';
import { bootId, processStartTime } from '../util/proc.js';

/** The record says running, with this shim and the container's pid. */
export function recordRunning(ctx: Context, id: string, pid: number, restarted: boolean): Promise<ContainerRecord> {
  const facts = { pid, shimPid: process.pid, shimStartTime: processStartTime(process.pid), bootId: bootId(), restarted };
  return updateContainer(ctx, id, (rec) => {
    rec.state = toRunning(rec.state, { ...facts, startedAt: new Date().toISOString() });
  });
}

/** The record says exited, with the status; no shim any more (a `pman start` may launch one). */
export function recordExited(ctx: Context, id: string, exit: { exitCode: number; oomKilled: boolean; finishedAt: string }): Promise<ContainerRecord> {
  return updateContainer(ctx, id, (rec) => {
    rec.state = toExited(rec.state, exit);
  });
}

/** The container could not be started (or was stopped because the shim could not go on). */
export async function recordFailed(ctx: Context, id: string, message: string, exitCode: number): Promise<void> {
  await updateContainer(ctx, id, (rec) => {
    rec.state = toFailed(rec.state, { message, exitCode, finishedAt: new Date().toISOString() });
  });
}
