// pman restart [options] CONTAINER...
import type { Argv } from 'yargs';
import { restartContainer } from '../container/restart.js';
import { forEachContainer } from './each.js';
import { positionals, timeoutSeconds } from './argv.js';
import type { CommandSpec } from './types.js';

export const restart: CommandSpec = {
  usage: 'restart [options] CONTAINER...',
  positionals: '[containers..]',
  builder: (y: Argv) =>
    y
      .option('time', { alias: 't', type: 'string', describe: 'Seconds to wait before killing the container' })
      .option('all', { alias: 'a', type: 'boolean', default: false, describe: 'Restart all containers' }),
  handler: async (ctx, argv, io) => {
    const time = timeoutSeconds(argv.time);
    return forEachContainer(ctx, io, positionals(argv, 'containers'), { all: argv.all === true, verb: 'restart' }, async (rec) => {
      await restartContainer(ctx, rec, time);
      return rec.id;
    });
  },
};
