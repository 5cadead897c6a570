// Which containers a command's --all acts on: kill and pause take the running ones (a paused
// container is neither signalled nor paused again), unpause the paused ones, start those not
// running (podman's start --all passes over running ones), the others all.
import type { Context } from '../context.js';
import type { ContainerRecord } from '../state/container-record.js';
import { isPaused, isRunning, isRunningNotPaused } from '../state/container-status.js';
import { listContainers, listContainersWithUnreadable } from '../state/containers.js';

const WANTED: Readonly<Record<string, (rec: ContainerRecord) => boolean>> = {
  kill: isRunningNotPaused,
  pause: isRunningNotPaused,
  unpause: isPaused,
  start: (rec) => !isRunning(rec),
};

/** The containers `pman <verb> --all` acts on, in listing order. */
export function containersForAll(ctx: Context, verb: string): ContainerRecord[] {
  // rm --all frees containers whose record cannot be read too (listed as unknown by ps -a).
  const recs = verb === 'rm' ? listContainersWithUnreadable(ctx) : listContainers(ctx);
  const want = WANTED[verb];
  return want ? recs.filter(want) : recs;
}
