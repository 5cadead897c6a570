// pman stop [options] CONTAINER...
import type { Argv } from 'yargs';
import { stopContainer } from '../container/stop.js';
import { forEachContainer, selectionFrom } from './each.js';
import { timeoutSeconds } from './argv.js';
import type { CommandSpec } from './types.js';

export const stop: CommandSpec = {
  usage: 'stop [options] CONTAINER...',
  positionals: '[containers..]',
  builder: (y: Argv) =>
    y
      .option('time', { alias: 't', type: 'string', describe: 'Seconds to wait before killing the container' })
      .option('all', { alias: 'a', type: 'boolean', default: false, describe: 'Stop all containers' })
      .option('cidfile', { type: 'string', describe: 'Read the container ID from the file (repeatable)' })
      .option('filter', { alias: 'f', type: 'string', describe: 'Stop the containers matching a ps filter (repeatable)' })
      .option('ignore', { alias: 'i', type: 'boolean', default: false, describe: 'Ignore errors when a specified container is missing' })
      .option('latest', { alias: 'l', type: 'boolean', default: false, describe: 'Act on the latest container pman is aware of' }),
  handler: async (ctx, argv, io) => {
    const time = timeoutSeconds(argv.time);
    const { refs, opts } = selectionFrom(argv, 'containers', 'stop');
    return forEachContainer(ctx, io, refs, opts, async (rec, ref) => {
      await stopContainer(ctx, rec, time);
      return ref;
    });
  },
};
