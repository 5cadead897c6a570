// pman logs [options] CONTAINER...
import type { Argv } from 'yargs';
import { showLogs } from '../container/logs.js';
import { InvalidArgumentError } from '../errors.js';
import { parseTail, parseTimeFilter } from '../logs/filter.js';
import { resolveContainer } from '../state/containers.js';
import { last, positionals } from './argv.js';
import { write, type CommandSpec } from './types.js';

export const logs: CommandSpec = {
  usage: 'logs [options] CONTAINER...',
  positionals: '[containers..]',
  builder: (y: Argv) =>
    y
      .option('follow', { alias: 'f', type: 'boolean', default: false, describe: 'Follow log output' })
      .option('tail', { type: 'string', describe: 'Output the last N lines (-1: all)' })
      .option('since', { type: 'string', describe: 'Show logs since TIMESTAMP or duration (e.g. 10m)' })
      .option('until', { type: 'string', describe: 'Show logs until TIMESTAMP or duration' })
      .option('timestamps', { alias: 't', type: 'boolean', default: false, describe: 'Show timestamps' })
      .option('names', { alias: 'n', type: 'boolean', default: false, describe: 'Prefix each line with the container name' }),
  handler: async (ctx, argv, io) => {
    const refs = positionals(argv, 'containers');
    if (refs.length === 0) throw new InvalidArgumentError('logs needs at least one container name or ID');
    const now = new Date();
    const tailArg = last(argv.tail);
    const sinceArg = last(argv.since);
    const untilArg = last(argv.until);
    const opts = {
      follow: argv.follow === true,
      tail: tailArg === undefined ? -1 : parseTail(tailArg),
      since: sinceArg === undefined ? undefined : parseTimeFilter(sinceArg, now, 'since'),
      until: untilArg === undefined ? undefined : parseTimeFilter(untilArg, now, 'until'),
      timestamps: argv.timestamps === true,
      names: argv.names === true || refs.length > 1,
    };
    const recs = refs.map((r) => resolveContainer(ctx, r));
    await showLogs(ctx, recs, opts, {
      write: (stream, data) => write(stream === 'stdout' ? io.stdout : io.stderr, data),
      warn: (m) => ctx.warn(m),
    });
    return 0;
  },
};
