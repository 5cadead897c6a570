// pman container prune [options]: removes every container that is not running (asks first unless --force).
import type { Argv } from 'yargs';
import { prunableContainers, pruneContainers } from '../container/prune.js';
import { list } from './argv.js';
import { confirm } from './prompt.js';
import type { CommandSpec } from './types.js';

const QUESTION = 'WARNING! This will remove all non running containers.\nAre you sure you want to continue? [y/N] ';

export const containerPrune: CommandSpec = {
  usage: 'container prune [options]',
  positionals: '',
  builder: (y: Argv) =>
    y
      .option('force', { alias: 'f', type: 'boolean', default: false, describe: 'Do not ask for confirmation' })
      .option('filter', { type: 'string', describe: 'Only prune matching containers (label=, label!=, until=); repeatable' }),
  handler: async (ctx, argv, io) => {
    const filters = list(argv.filter);
    if (argv.force !== true) {
      if ((await prunableContainers(ctx, filters)).length === 0 || !(await confirm(io, QUESTION))) return 0;
    }
    const { removed, errors } = await pruneContainers(ctx, filters);
    io.stdout.write(removed.map((id) => `${id}\n`).join(''));
    for (const e of errors) io.stderr.write(`Error: ${e.message}\n`);
    return errors.length ? 125 : 0;
  },
};
