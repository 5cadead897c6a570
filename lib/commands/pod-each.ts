// pod commands that act on several pods (start, stop, rm, kill …): each named pod (or every pod
// with --all) in turn, one error line per failure, as forEachContainer does for containers.
import type { Context } from '../context.js';
import { InvalidArgumentError } from '../errors.js';
import type { PodRecord } from '../state/pod-record.js';
import { listPods, resolvePod } from '../state/pods.js';
import { reportEach } from './each.js';
import type { IO } from './types.js';

export async function forEachPod(
  ctx: Context,
  io: IO,
  refs: string[],
  opts: { all?: boolean; verb: string; notFoundExit?: number },
  fn: (pod: PodRecord) => Promise<string | undefined>,
): Promise<number> {
  if (!opts.all && refs.length === 0) throw new InvalidArgumentError(`pod ${opts.verb} needs at least one pod name or ID (or --all)`);
  if (opts.all && refs.length > 0) throw new InvalidArgumentError(`pod ${opts.verb}: --all and pod names cannot be used together`);
  const targets = opts.all
    ? listPods(ctx).map((pod) => ({ ref: pod.id, rec: pod }))
    : refs.map((ref) => {
        try {
          return { ref, rec: resolvePod(ctx, ref) };
        } catch (err) {
          return { ref, err };
        }
      });
  return reportEach(io, targets, (pod) => fn(pod), opts);
}
