// pman network reload [--all] [CONTAINER...]: re-creates running containers' firewall rules and
// interfaces (after an iptables flush), printing the IDs reloaded.
import type { Argv } from 'yargs';
import { reloadContainers } from '../container/network-connect.js';
import { InvalidArgumentError } from '../errors.js';
import { positionals } from './argv.js';
import type { CommandSpec } from './types.js';

export const networkReload: CommandSpec = {
  usage: 'network reload [options] [CONTAINER...]',
  positionals: '[containers..]',
  builder: (y: Argv) => y.option('all', { alias: 'a', type: 'boolean', default: false, describe: 'Reload every running container on a bridge network' }),
  handler: async (ctx, argv, io) => {
    const refs = positionals(argv, 'containers');
    if (argv.all === true && refs.length) throw new InvalidArgumentError('when using --all, give no container');
    if (argv.all !== true && refs.length === 0) throw new InvalidArgumentError('network reload needs at least one container (or --all)');
    const ids = await reloadContainers(ctx, refs, argv.all === true);
    io.stdout.write(ids.map((id) => `${id}\n`).join(''));
    return 0;
  },
};
