// pman volume rm [options] VOLUME...
import type { Argv } from 'yargs';
import { InvalidArgumentError, NotFoundError, exitCodeOf } from '../errors.js';
import { removeVolume } from '../container/remove-volume.js';
import { listVolumes, volumeLeftovers } from '../volume/volumes.js';
import { positionals, timeoutSeconds } from './argv.js';
import type { CommandSpec } from './types.js';

export const volumeRm: CommandSpec = {
  usage: 'volume rm [options] VOLUME...',
  positionals: '[volumes..]',
  builder: (y: Argv) =>
    y
      .option('force', { alias: 'f', type: 'boolean', default: false, describe: 'Remove the containers using the volumes first' })
      .option('all', { alias: 'a', type: 'boolean', default: false, describe: 'Remove all volumes' })
      .option('time', { alias: 't', type: 'string', describe: 'Seconds to wait before killing containers (with --force)' }),
  handler: async (ctx, argv, io) => {
    const named = positionals(argv, 'volumes');
    if (argv.all && named.length > 0) throw new InvalidArgumentError('when using --all, give no volume names');
    if (!argv.all && named.length === 0) throw new InvalidArgumentError('volume rm needs at least one volume name (or --all)');
    const names = argv.all ? listVolumes(ctx).map((v) => v.name) : named;
    const timeout = timeoutSeconds(argv.time);
    let code = 0;
    for (const name of names) {
      try {
        await removeVolume(ctx, name, { force: argv.force === true, timeout });
        io.stdout.write(`${name}\n`);
      } catch (err) {
        // podman: a volume that does not exist is exit 1, passed over with --force.
        if (err instanceof NotFoundError && argv.force === true) continue;
        io.stderr.write(`Error: ${(err as Error).message}\n`);
        code = err instanceof NotFoundError ? 1 : exitCodeOf(err);
      }
    }
    // --all frees what crashed creates and removals left too (docs/reliability.md).
    if (argv.all === true && argv.force === true) {
      const { processAlive } = await import('../util/proc.js');
      for (const leftover of volumeLeftovers(ctx, processAlive)) leftover.repair.run();
    }
    return code;
  },
};
