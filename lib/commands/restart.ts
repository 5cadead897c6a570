// pman restart [options] CONTAINER...
import type { Argv } from 'yargs';
import { startDetached } from '../container/start.js';
import { stopContainer } from '../container/stop.js';
import { loadContainer } from '../state/containers.js';
import { forEachContainer, positionals } from './each.js';
import { timeoutFlag } from './stop.js';
import type { CommandSpec } from './types.js';

export const restart: CommandSpec = {
  usage: 'restart [options] CONTAINER...',
  positionals: '[containers..]',
  builder: (y: Argv) =>
    y
      .option('time', { alias: 't', type: 'string', describe: 'Seconds to wait before killing the container' })
      .option('all', { alias: 'a', type: 'boolean', default: false, describe: 'Restart all containers' }),
  handler: async (ctx, argv, io) => {
    const time = timeoutFlag(argv.time);
    return forEachContainer(ctx, io, positionals(argv, 'containers'), { all: argv.all === true, verb: 'restart' }, async (rec) => {
      await stopContainer(ctx, rec, time);
      await startDetached(ctx, loadContainer(ctx, rec.id));
      return rec.id;
    });
  },
};
