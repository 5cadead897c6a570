// Commands that act on several containers (stop, rm, kill …) go through every name, report each
// failure on its own line, and exit non-zero if any failed, like podman.
import type { Context } from '../context.js';
import { InvalidArgumentError, exitCodeOf } from '../errors.js';
import type { ContainerRecord } from '../state/container-record.js';
import { resolveContainer } from '../state/containers.js';
import { containersForAll } from '../container/select-all.js';
import type { IO } from './types.js';

export async function forEachContainer(
  ctx: Context,
  io: IO,
  refs: string[],
  opts: { all?: boolean; latest?: boolean; verb: string },
  fn: (rec: ContainerRecord, ref: string) => Promise<string | undefined>,
): Promise<number> {
  let targets: Array<{ ref: string; rec?: ContainerRecord; err?: unknown }>;
  if (opts.all) {
    targets = containersForAll(ctx, opts.verb).map((rec) => ({ ref: rec.id, rec }));
  } else {
    if (refs.length === 0) throw new InvalidArgumentError(`${opts.verb} needs at least one container name or ID (or --all)`);
    targets = refs.map((ref) => {
      try {
        return { ref, rec: resolveContainer(ctx, ref) };
      } catch (err) {
        return { ref, err };
      }
    });
  }
  return reportEach(io, targets, fn);
}

/** Runs fn on each resolved target in order; a failure is one error line, and the last one's code is returned. */
export async function reportEach<T>(
  io: IO,
  targets: Array<{ ref: string; rec?: T; err?: unknown }>,
  fn: (rec: T, ref: string) => Promise<string | undefined>,
): Promise<number> {
  let code = 0;
  for (const t of targets) {
    try {
      if (t.err) throw t.err;
      const line = await fn(t.rec!, t.ref);
      if (line !== undefined) io.stdout.write(`${line}\n`);
    } catch (err) {
      io.stderr.write(`Error: ${(err as Error).message}\n`);
      code = exitCodeOf(err);
    }
  }
  return code;
}
