// The shim's changes to its container's record, one function per transition: running (runc
// started it), exited (its exit collected and everything of the run cleaned up), failed (it could
// not be started, or the shim could not go on). Each is one locked, atomic record update.
import type { Context } from '../context.js';
import type { ContainerRecord } from '../state/container-record.js';
import { updateContainer } from '../state/containers.js';
import { bootId, processStartTime } from '../util/proc.js';

/** The record says running, with this shim and the container's pid. */
export function recordRunning(ctx: Context, id: string, pid: number, restarted: boolean): Promise<ContainerRecord> {
  const boot = bootId();
  return updateContainer(ctx, id, (rec) => {
    rec.state.status = 'running';
    rec.state.pid = pid;
    rec.state.shimPid = process.pid;
    rec.state.shimStartTime = processStartTime(process.pid);
    rec.state.bootId = boot;
    rec.state.startedAt = new Date().toISOString();
    rec.state.finishedAt = '0001-01-01T00:00:00Z';
    rec.state.exitCode = 0;
    rec.state.error = '';
    rec.state.oomKilled = false;
    if (!restarted) {
      // Started by a user: a new run of the restart policy.
      rec.state.restartCount = 0;
      rec.state.stoppedByUser = false;
    }
  });
}

/** The record says exited, with the status; no shim any more (a `pman start` may launch one). */
export function recordExited(ctx: Context, id: string, exit: { code: number; oomKilled: boolean; finishedAt: string }): Promise<ContainerRecord> {
  return updateContainer(ctx, id, (rec) => {
    rec.state.status = 'exited';
    rec.state.oomKilled = exit.oomKilled;
    rec.state.exitCode = exit.code;
    rec.state.finishedAt = exit.finishedAt;
    rec.state.pid = 0;
    rec.state.shimPid = 0;
    rec.state.shimStartTime = 0;
  });
}

/** The container could not be started (or was stopped because the shim could not go on). */
export async function recordFailed(ctx: Context, id: string, message: string, exitCode: number): Promise<void> {
  await updateContainer(ctx, id, (rec) => {
    rec.state.shimPid = 0;
    rec.state.shimStartTime = 0;
    rec.state.error = message;
    if (rec.state.status === 'running') {
      // runc started it, then the shim could not go on (its socket): it was stopped before this.
      rec.state.status = 'exited';
      rec.state.pid = 0;
      rec.state.exitCode = exitCode;
      rec.state.finishedAt = new Date().toISOString();
    }
    if (exitCode === 126 || exitCode === 127) {
      // The container "ran" and failed to exec, as podman records it.
      rec.state.status = 'exited';
      rec.state.exitCode = exitCode;
      rec.state.finishedAt = new Date().toISOString();
    }
  });
}
