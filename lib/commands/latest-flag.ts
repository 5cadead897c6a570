// -l/--latest as podman has it on the commands that take container names: the container created
// last in this store stands for the names (and giving both is refused, as podman refuses it).
import type { Argv } from 'yargs';
import type { Context } from '../context.js';
import { latestContainer } from '../container/select-all.js';
import { InvalidArgumentError } from '../errors.js';
import type { ContainerRecord } from '../state/container-record.js';
import { resolveContainer } from '../state/containers.js';

export function latestFlag(y: Argv, describe = 'Act on the latest container pman is aware of'): Argv {
  return y.option('latest', { alias: 'l', type: 'boolean', default: false, describe });
}

// The container --latest stands for; commands take it from here with the flag.
export { latestContainer };

/** The containers named by refs, or the latest one with --latest (then refs must be empty). */
export function namedOrLatest(ctx: Context, argv: Record<string, unknown>, refs: string[], verb: string): ContainerRecord[] {
  if (argv.latest === true) {
    if (refs.length > 0) throw new InvalidArgumentError(`${verb}: --latest and containers cannot be used together`);
    return [latestContainer(ctx)];
  }
  if (refs.length === 0) throw new InvalidArgumentError(`${verb} needs a container name or ID (or --latest)`);
  return refs.map((r) => resolveContainer(ctx, r));
}
