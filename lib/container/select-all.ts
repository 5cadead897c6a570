// Which containers a command acts on: the names given, or what podman selects them by instead —
// --all, --latest, --filter. A command's --all: kill and pause take the running ones (a paused
// container is neither signalled nor paused again), unpause the paused ones, start those not
// running (podman's start --all passes over running ones), the others all.
import type { Context } from '../context.js';
import { InvalidArgumentError, NotFoundError } from '../errors.js';
import type { ContainerRecord } from '../state/container-record.js';
import { isPaused, isRunning, isRunningNotPaused } from '../state/container-status.js';
import { listContainers, listContainersWithUnreadable, resolveContainer } from '../state/containers.js';
import { listForPs } from './ps.js';

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

/** The most recently created container; NotFoundError when there is none. */
export function latestContainer(ctx: Context): ContainerRecord {
  const latest = listContainers(ctx).sort((a, b) => Date.parse(b.created) - Date.parse(a.created))[0];
  if (!latest) throw new NotFoundError('no containers to act on with --latest');
  return latest;
}

export interface Selection {
  /** The command's verb (for --all's choice and the messages). */
  verb: string;
  all?: boolean;
  latest?: boolean;
  /** ps --filter keys: the containers matching them all (any value of one key). */
  filters?: string[];
}

/** A container to act on, or why the name given for it resolves to none. */
export interface Target {
  ref: string;
  rec?: ContainerRecord;
  err?: unknown;
}

/** The containers a command acts on, in order: each name's failure to resolve is kept, not thrown. */
export async function selectContainers(ctx: Context, refs: string[], sel: Selection): Promise<Target[]> {
  if (sel.all) {
    const recs = containersForAll(ctx, sel.verb);
    if (!sel.filters?.length) return recs.map((rec) => ({ ref: rec.id, rec }));
    const ids = new Set((await listForPs(ctx, { all: true, filters: sel.filters })).map((r) => r.id));
    return recs.filter((r) => ids.has(r.id)).map((rec) => ({ ref: rec.id, rec }));
  }
  if (sel.filters?.length && refs.length === 0) return (await listForPs(ctx, { all: true, filters: sel.filters })).map((rec) => ({ ref: rec.id, rec }));
  if (sel.latest) {
    const latest = latestContainer(ctx);
    return [{ ref: latest.id, rec: latest }];
  }
  if (refs.length === 0) throw new InvalidArgumentError(`${sel.verb} needs at least one container name or ID (or --all)`);
  return refs.map((ref) => {
    try {
      return { ref, rec: resolveContainer(ctx, ref) };
    } catch (err) {
      return { ref, err };
    }
  });
}
