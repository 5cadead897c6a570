// pman pause [options] CONTAINER...
import type { Argv } from 'yargs';
import { pauseContainer } from '../container/pause.js';
import { forEachContainer } from './each.js';
import { positionals } from './argv.js';
import type { CommandSpec } from './types.js';

export const pause: CommandSpec = {
  usage: 'pause [options] CONTAINER...',
  positionals: '[containers..]',
  builder: (y: Argv) => y.option('all', { alias: 'a', type: 'boolean', default: false, describe: 'Pause all running containers' }),
  handler: (ctx, argv, io) =>
    forEachContainer(ctx, io, positionals(argv, 'containers'), { all: argv.all === true, verb: 'pause' }, async (rec, ref) => {
      await pauseContainer(ctx, rec);
      return argv.all ? rec.id : ref;
    }),
};
