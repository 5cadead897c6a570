// pman container cleanup [--all] [--latest] [--rm] [--rmi] [--exec SESSION] CONTAINER...: podman's
// (lib/container/cleanup.ts).
import type { Argv } from 'yargs';
import { cleanupContainer } from '../container/cleanup.js';
import { removeContainer } from '../container/remove.js';
import { InvalidArgumentError, PmanError } from '../errors.js';
import { isRunning } from '../state/container-status.js';
import { last } from './argv.js';
import { removeRunImage } from './create-compat-flags.js';
import { forEachContainer, selection } from './each.js';
import { latestFlag } from './latest-flag.js';
import type { CommandSpec } from './types.js';

export const containerCleanup: CommandSpec = {
  usage: 'container cleanup [options] CONTAINER...',
  positionals: '[containers..]',
  builder: (y: Argv) =>
    latestFlag(y)
      .option('all', { alias: 'a', type: 'boolean', default: false, describe: 'Clean up all containers that are not running' })
      .option('exec', { type: 'string', describe: 'Clean up the given exec session instead of the container' })
      .option('rm', { type: 'boolean', default: false, describe: 'After cleanup, remove the container' })
      .option('rmi', { type: 'boolean', default: false, describe: "After cleanup, remove the container's image unless another container uses it" }),
  handler: (ctx, argv, io) => {
    const [refs, opts] = selection(argv, 'cleanup');
    const exec = last(argv.exec);
    if (exec !== undefined && (opts.all || refs.length !== 1)) throw new InvalidArgumentError('container cleanup --exec takes exactly one container');
    return forEachContainer(ctx, io, refs, opts, async (rec, ref) => {
      if (exec !== undefined) {
        // The shim frees an exec session as it ends and keeps none afterwards: one it does not
        // run now is unknown, as podman says of a session it does not have.
        throw new PmanError('not-found', `container ${rec.id} has no exec session with ID ${exec}: no such exec session`);
      }
      if (opts.all && isRunning(rec)) return undefined;
      await cleanupContainer(ctx, rec);
      if (argv.rm === true || argv.rmi === true) await removeContainer(ctx, rec.id, { force: false });
      if (argv.rmi === true) await removeRunImage(ctx, rec, rec.imageName);
      return ref;
    });
  },
};
