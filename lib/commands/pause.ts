// pman pause [options] CONTAINER...
import type { Argv } from 'yargs';
import { pauseContainer } from '../container/pause.js';
import { forEachContainer, selection } from './each.js';
import type { CommandSpec } from './types.js';

export const pause: CommandSpec = {
  usage: 'pause [options] CONTAINER...',
  positionals: '[containers..]',
  builder: (y: Argv) =>
    y
      .option('all', { alias: 'a', type: 'boolean', default: false, describe: 'Pause all running containers' })
      .option('cidfile', { type: 'string', describe: 'Read the container ID from the file (repeatable)' })
      .option('filter', { alias: 'f', type: 'string', describe: 'Pause the containers matching a ps filter (repeatable)' })
      .option('latest', { alias: 'l', type: 'boolean', default: false, describe: 'Act on the latest container pman is aware of' }),
  handler: (ctx, argv, io) =>
    forEachContainer(ctx, io, ...selection(argv, 'pause'), async (rec, ref) => {
      await pauseContainer(ctx, rec);
      return argv.all ? rec.id : ref;
    }),
};
