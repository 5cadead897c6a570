// pman stop [options] CONTAINER...
import type { Argv } from 'yargs';
import { stopContainer } from '../container/stop.js';
import { forEachContainer } from './each.js';
import { positionals, timeoutSeconds } from './argv.js';
import type { CommandSpec } from './types.js';

export const stop: CommandSpec = {
  usage: 'stop [options] CONTAINER...',
  positionals: '[containers..]',
  builder: (y: Argv) =>
    y
      .option('time', { alias: 't', type: 'string', describe: 'Seconds to wait before killing the container' })
      .option('all', { alias: 'a', type: 'boolean', default: false, describe: 'Stop all containers' }),
  handler: async (ctx, argv, io) => {
    const time = timeoutSeconds(argv.time);
    return forEachContainer(ctx, io, positionals(argv, 'containers'), { all: argv.all === true, verb: 'stop' }, async (rec, ref) => {
      await stopContainer(ctx, rec, time);
      return ref;
    });
  },
};
