// --restart carried out without a daemon: when a container exits, its shim decides from the
// policy, the exit code and the restart count whether it comes back; if so it waits an exponential
// backoff (100 ms doubling to 1 min, back to 100 ms after a run of 10 s or more, as docker does),
// checks nobody stopped, started or removed the container meanwhile, and launches the next shim
// as `pman start` would (lib/shim/launch.ts), named in the same record update.
import type { Context } from '../context.js';
import type { ContainerRecord, RestartPolicy } from '../state/container-record.js';
import { updateContainer } from '../state/containers.js';
import { isExited } from '../state/container-status.js';
import { handOver } from './hand-over.js';
import { awaitReport, takeShim } from './launch.js';
import { failpoint } from '../util/failpoint.js';

const FIRST_DELAY_MS = 100;
const MAX_DELAY_MS = 60_000;
/** A run at least this long is not a crash loop: the backoff starts over. */
const STABLE_RUN_MS = 10_000;

export function shouldRestart(policy: RestartPolicy | undefined, exitCode: number, restartCount: number, stoppedByUser: boolean): boolean {
  if (!policy || policy.name === 'no' || stoppedByUser) return false;
  if (policy.name === 'on-failure') return exitCode !== 0 && (policy.maximumRetryCount === 0 || restartCount < policy.maximumRetryCount);
  return true; // always, unless-stopped (the two differ only across reboots, which pman does not handle)
}

export function backoffMs(restartCount: number, ranMs: number): number {
  if (ranMs >= STABLE_RUN_MS) return FIRST_DELAY_MS;
  return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.min(restartCount, 20));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Called by the shim once the exit is recorded and cleaned up. Resolves when the next shim has
 * started the container, or at once when the policy says no.
 */
export async function restartIfPolicy(ctx: Context, exited: ContainerRecord, ranMs: number, log: (m: string) => void, forced = false): Promise<void> {
  const s = exited.state;
  // forced: --health-on-failure restart (a user's stop still wins), counted and backed off alike.
  const wanted = forced ? s.stoppedByUser !== true : shouldRestart(exited.config.restartPolicy, s.exitCode, s.restartCount, s.stoppedByUser === true);
  if (!wanted) return;
  const delay = backoffMs(s.restartCount, ranMs);
  log(`${forced ? 'unhealthy, --health-on-failure restart' : `restart policy ${exited.config.restartPolicy!.name}`}: restarting in ${delay} ms (restart ${s.restartCount + 1})`);
  await sleep(delay);
  failpoint('restart.before-relaunch');
  const shim = await takeShim();
  if (!shim.pid) {
    log('restart failed: the next shim could not be spawned');
    return;
  }
  let go = false;
  try {
    await updateContainer(ctx, exited.id, (r) => {
      // Stopped by the user, started by someone else, or exited again meanwhile: leave it.
      go = isExited(r) && r.state.finishedAt === s.finishedAt && r.state.stoppedByUser !== true && r.state.shimPid === 0;
      if (!go) return;
      r.state.restartCount += 1;
      handOver(ctx, r, shim, { startNow: true, restarted: true });
    });
  } catch (err) {
    shim.channel.destroy();
    log(`not restarting: ${(err as Error).message}`); // removed meanwhile
    return;
  }
  if (!go) {
    // Not needed after all: its end of the channel closes, and it exits.
    shim.channel.destroy();
    log('not restarting: the container was stopped, started or changed meanwhile');
    return;
  }
  try {
    await awaitReport(shim);
  } catch (err) {
    log(`restart failed: ${(err as Error).message}`);
  }
}
