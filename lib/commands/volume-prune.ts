// pman volume prune [options]: removes the volumes no container uses (asks first unless --force).
import type { Argv } from 'yargs';
import { prunableVolumes, pruneVolumes } from '../volume/prune.js';
import { list } from './argv.js';
import { confirm } from './prompt.js';
import type { CommandSpec } from './types.js';

function question(names: string[]): string {
  const list = names.map((n) => `${n}\n`).join('');
  return `WARNING! This will remove all volumes not used by at least one container. The following volumes will be removed:\n${list}Are you sure you want to continue? [y/N] `;
}

export const volumePrune: CommandSpec = {
  usage: 'volume prune [options]',
  positionals: '',
  builder: (y: Argv) =>
    y
      .option('force', { alias: 'f', type: 'boolean', default: false, describe: 'Do not ask for confirmation' })
      .option('filter', { type: 'string', describe: 'Only prune matching volumes (label=, label!=, name=, until=, anonymous=)' }),
  handler: async (ctx, argv, io) => {
    const filters = list(argv.filter);
    if (argv.force !== true) {
      const names = prunableVolumes(ctx, filters);
      if (names.length === 0 || !(await confirm(io, question(names)))) return 0;
    }
    const removed = await pruneVolumes(ctx, filters);
    io.stdout.write(removed.map((n) => `${n}\n`).join(''));
    return 0;
  },
};
