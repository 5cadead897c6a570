// pman kill [options] CONTAINER...
import type { Argv } from 'yargs';
import { killContainer } from '../container/stop.js';
import { parseSignal } from '../container/parse/signals.js';
import { forEachContainer } from './each.js';
import { last, positionals } from './argv.js';
import type { CommandSpec } from './types.js';

export const kill: CommandSpec = {
  usage: 'kill [options] CONTAINER...',
  positionals: '[containers..]',
  builder: (y: Argv) =>
    y
      .option('signal', { alias: 's', type: 'string', default: 'SIGKILL', describe: 'Signal to send' })
      .option('all', { alias: 'a', type: 'boolean', default: false, describe: 'Signal all running containers' }),
  handler: async (ctx, argv, io) => {
    const sig = parseSignal(last(argv.signal) ?? 'SIGKILL');
    return forEachContainer(ctx, io, positionals(argv, 'containers'), { all: argv.all === true, verb: 'kill' }, async (rec, ref) => {
      await killContainer(ctx, rec, sig);
      return ref;
    });
  },
};
