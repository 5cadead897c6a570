// pman kill [options] CONTAINER...
import type { Argv } from 'yargs';
import { killContainer } from '../container/stop.js';
import { parseSignal } from '../container/parse/signals.js';
import { forEachContainer, selectionFrom } from './each.js';
import { last } from './argv.js';
import type { CommandSpec } from './types.js';

export const kill: CommandSpec = {
  usage: 'kill [options] CONTAINER...',
  positionals: '[containers..]',
  builder: (y: Argv) =>
    y
      .option('signal', { alias: 's', type: 'string', default: 'SIGKILL', describe: 'Signal to send' })
      .option('all', { alias: 'a', type: 'boolean', default: false, describe: 'Signal all running containers' })
      .option('cidfile', { type: 'string', describe: 'Read the container ID from the file (repeatable)' })
      .option('latest', { alias: 'l', type: 'boolean', default: false, describe: 'Act on the latest container pman is aware of' }),
  handler: async (ctx, argv, io) => {
    const sig = parseSignal(last(argv.signal) ?? 'SIGKILL');
    const { refs, opts } = selectionFrom(argv, 'containers', 'kill');
    return forEachContainer(ctx, io, refs, opts, async (rec, ref) => {
      await killContainer(ctx, rec, sig);
      return ref;
    });
  },
};
