// pman unpause [options] CONTAINER...
import type { Argv } from 'yargs';
import { unpauseContainer } from '../container/pause.js';
import { forEachContainer } from './each.js';
import { positionals } from './argv.js';
import type { CommandSpec } from './types.js';

export const unpause: CommandSpec = {
  usage: 'unpause [options] CONTAINER...',
  positionals: '[containers..]',
  builder: (y: Argv) => y.option('all', { alias: 'a', type: 'boolean', default: false, describe: 'Unpause all paused containers' }),
  handler: (ctx, argv, io) =>
    forEachContainer(ctx, io, positionals(argv, 'containers'), { all: argv.all === true, verb: 'unpause' }, async (rec, ref) => {
      await unpauseContainer(ctx, rec);
      return argv.all ? rec.id : ref;
    }),
};
