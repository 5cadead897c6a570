// pman network rm [options] NETWORK...
import type { Argv } from 'yargs';
import { InvalidArgumentError, NotFoundError, exitCodeOf } from '../errors.js';
import { removeNetwork } from '../container/remove-network.js';
import { positionals, timeoutSeconds } from './argv.js';
import type { CommandSpec } from './types.js';

export const networkRm: CommandSpec = {
  usage: 'network rm [options] NETWORK...',
  positionals: '[networks..]',
  builder: (y: Argv) =>
    y
      .option('force', { alias: 'f', type: 'boolean', default: false, describe: 'Remove the containers using the networks first' })
      .option('time', { alias: 't', type: 'string', describe: 'Seconds to wait before killing containers (with --force)' }),
  handler: async (ctx, argv, io) => {
    const names = positionals(argv, 'networks');
    if (names.length === 0) throw new InvalidArgumentError('network rm needs at least one network name or ID');
    const timeout = timeoutSeconds(argv.time);
    let code = 0;
    for (const name of names) {
      try {
        await removeNetwork(ctx, name, { force: argv.force === true, timeout });
        io.stdout.write(`${name}\n`);
      } catch (err) {
        // podman 4.3.1: --force passes over a network that does not exist, silently.
        if (err instanceof NotFoundError && argv.force === true) continue;
        io.stderr.write(`Error: ${(err as Error).message}\n`);
        // podman: a network that does not exist is exit 1.
        code = err instanceof NotFoundError ? 1 : exitCodeOf(err);
      }
    }
    return code;
  },
};
