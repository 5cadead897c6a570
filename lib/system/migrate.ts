// `pman system migrate`: stops the user's containers and ends the pause process, so the next pman
// call builds a fresh namespace (after /etc/subuid or /etc/subgid changed, or to reset it).
import type { Context } from '../context.js';
import { reconcile } from '../container/reconcile.js';
import { stopContainer } from '../container/stop.js';
import { listContainers } from '../state/containers.js';
import { isPauseProcess, readPausePid, removePausePid } from '../rootless/pause-file.js';
import { isRunning } from '../state/container-status.js';
import { reapUserNetns } from '../network/user-netns/use.js';

export interface MigrateOptions {
  /** Directory of pause.pid; undefined when pman runs as root (there is no namespace to reset). */
  pauseDir?: string;
}

export interface MigrateResult {
  /** Names of the containers that were running and are now stopped. */
  stopped: string[];
  /** pid of the pause process that was killed, if one was alive. */
  pausePid?: number;
}

export async function migrate(ctx: Context, opts: MigrateOptions): Promise<MigrateResult> {
  const result: MigrateResult = { stopped: [] };
  if (!opts.pauseDir) return result;
  for (const rec0 of listContainers(ctx)) {
    const rec = await reconcile(ctx, rec0);
    if (!isRunning(rec)) continue;
    await stopContainer(ctx, rec);
    result.stopped.push(rec.name);
  }
  // The containers' shims ended the user network namespace with the last of them; what a killed
  // holder or shim left goes too.
  await reapUserNetns(ctx);
  const pid = readPausePid(opts.pauseDir);
  if (pid && isPauseProcess(pid)) {
    process.kill(pid, 'SIGKILL');
    result.pausePid = pid;
  }
  removePausePid(opts.pauseDir);
  return result;
}
