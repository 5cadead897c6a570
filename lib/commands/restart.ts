// pman restart [options] CONTAINER...
import type { Argv } from 'yargs';
import { restartContainer } from '../container/restart.js';
import { forEachContainer, selectionFrom } from './each.js';
import { timeoutSeconds } from './argv.js';
import type { CommandSpec } from './types.js';

export const restart: CommandSpec = {
  usage: 'restart [options] CONTAINER...',
  positionals: '[containers..]',
  builder: (y: Argv) =>
    y
      .option('time', { alias: 't', type: 'string', describe: 'Seconds to wait before killing the container' })
      .option('all', { alias: 'a', type: 'boolean', default: false, describe: 'Restart all containers' })
      .option('cidfile', { type: 'string', describe: 'Read the container ID from the file (repeatable)' })
      .option('filter', { alias: 'f', type: 'string', describe: 'Restart the containers matching a ps filter (repeatable)' })
      .option('latest', { alias: 'l', type: 'boolean', default: false, describe: 'Act on the latest container pman is aware of' })
      .option('running', { type: 'boolean', default: false, describe: 'With --all, restart only the running containers' }),
  handler: async (ctx, argv, io) => {
    const time = timeoutSeconds(argv.time);
    const { refs, opts } = selectionFrom(argv, 'containers', 'restart');
    if (argv.running === true) opts.filters = [...(opts.filters ?? []), 'status=running'];
    return forEachContainer(ctx, io, refs, opts, async (rec, ref) => {
      await restartContainer(ctx, rec, time);
      return ref; // as podman: the name or ID as given
    });
  },
};
