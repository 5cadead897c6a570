// pman pod prune [-f]: removes every pod with no running container, with its containers.
import type { Argv } from 'yargs';
import { prunablePods, prunePods } from '../pod/remove.js';
import { confirm } from './prompt.js';
import type { CommandSpec } from './types.js';

export const podPrune: CommandSpec = {
  usage: 'pod prune [options]',
  positionals: '',
  builder: (y: Argv) => y.option('force', { alias: 'f', type: 'boolean', default: false, describe: 'Do not ask for confirmation' }),
  handler: async (ctx, argv, io) => {
    if (argv.force !== true && ((await prunablePods(ctx)).length === 0 || !(await confirm(io, 'WARNING! This will remove all stopped/exited pods..\nAre you sure you want to continue? [y/N] ')))) return 0;
    io.stdout.write((await prunePods(ctx)).map((id) => `${id}\n`).join(''));
    return 0;
  },
};
