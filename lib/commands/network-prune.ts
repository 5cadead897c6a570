// pman network prune [options]: removes the networks no container uses (asks first unless --force).
import type { Argv } from 'yargs';
import { prunableNetworks, pruneNetworks } from '../network/remove.js';
import { list } from './argv.js';
import { confirm } from './prompt.js';
import type { CommandSpec } from './types.js';

export const networkPrune: CommandSpec = {
  usage: 'network prune [options]',
  positionals: '',
  builder: (y: Argv) =>
    y
      .option('force', { alias: 'f', type: 'boolean', default: false, describe: 'Do not ask for confirmation' })
      .option('filter', { type: 'string', describe: 'Only prune matching networks (label=, label!=, until=)' }),
  handler: async (ctx, argv, io) => {
    const filters = list(argv.filter);
    if (argv.force !== true && (prunableNetworks(ctx, filters).length === 0 || !(await confirm(io, 'WARNING! This will remove all networks not used by at least one container.\nAre you sure you want to continue? [y/N] ')))) return 0;
    const removed = await pruneNetworks(ctx, filters);
    io.stdout.write(removed.map((n) => `${n}\n`).join(''));
    return 0;
  },
};
