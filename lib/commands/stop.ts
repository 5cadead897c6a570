// pman stop [options] CONTAINER...
import type { Argv } from 'yargs';
import { stopContainer } from '../container/stop.js';
import { InvalidArgumentError } from '../errors.js';
import { forEachContainer, positionals } from './each.js';
import type { CommandSpec } from './types.js';

export function timeoutFlag(v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(Array.isArray(v) ? v[v.length - 1] : v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`invalid --time "${String(v)}": use a whole number of seconds`);
  return n;
}

export const stop: CommandSpec = {
  usage: 'stop [options] CONTAINER...',
  positionals: '[containers..]',
  builder: (y: Argv) =>
    y
      .option('time', { alias: 't', type: 'string', describe: 'Seconds to wait before killing the container' })
      .option('all', { alias: 'a', type: 'boolean', default: false, describe: 'Stop all containers' }),
  handler: async (ctx, argv, io) => {
    const time = timeoutFlag(argv.time);
    return forEachContainer(ctx, io, positionals(argv, 'containers'), { all: argv.all === true, verb: 'stop' }, async (rec, ref) => {
      await stopContainer(ctx, rec, time);
      return ref;
    });
  },
};
