// pman unpause [options] CONTAINER...
import type { Argv } from 'yargs';
import { unpauseContainer } from '../container/pause.js';
import { forEachContainer, selection } from './each.js';
import type { CommandSpec } from './types.js';

export const unpause: CommandSpec = {
  usage: 'unpause [options] CONTAINER...',
  positionals: '[containers..]',
  builder: (y: Argv) =>
    y
      .option('all', { alias: 'a', type: 'boolean', default: false, describe: 'Unpause all paused containers' })
      .option('cidfile', { type: 'string', describe: 'Read the container ID from the file (repeatable)' })
      .option('filter', { alias: 'f', type: 'string', describe: 'Unpause the containers matching a ps filter (repeatable)' })
      .option('latest', { alias: 'l', type: 'boolean', default: false, describe: 'Act on the latest container pman is aware of' }),
  handler: (ctx, argv, io) =>
    forEachContainer(ctx, io, ...selection(argv, 'unpause'), async (rec, ref) => {
      await unpauseContainer(ctx, rec);
      return argv.all ? rec.id : ref;
    }),
};
