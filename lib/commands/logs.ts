// pman logs [options] CONTAINER...
import type { Argv } from 'yargs';
import { showLogs, type LogsOptions } from '../container/logs.js';
import { parseTail, parseTimeFilter } from '../logs/filter.js';
import type { Context } from '../context.js';
import type { ContainerRecord } from '../state/container-record.js';
import { last, positionals } from './argv.js';
import { write, type CommandSpec, type IO } from './types.js';
import { latestFlag, namedOrLatest } from './latest-flag.js';

/** The flags of logs, shared with pod logs. */
export function logsFlags(y: Argv): Argv {
  return y
    .option('follow', { alias: 'f', type: 'boolean', default: false, describe: 'Follow log output' })
    .option('tail', { type: 'string', describe: 'Output the last N lines (-1: all)' })
    .option('since', { type: 'string', describe: 'Show logs since TIMESTAMP or duration (e.g. 10m)' })
    .option('until', { type: 'string', describe: 'Show logs until TIMESTAMP or duration' })
    .option('timestamps', { alias: 't', type: 'boolean', default: false, describe: 'Show timestamps' })
    .option('names', { alias: 'n', type: 'boolean', default: false, describe: 'Prefix each line with the container name' })
    .option('color', { type: 'boolean', default: false, describe: "Show each container's name prefix in its own colour" });
}

/** Shows the logs of recs with the flags of argv (names prefixed when there are several). */
export async function printLogs(ctx: Context, argv: Record<string, unknown>, io: IO, recs: ContainerRecord[]): Promise<number> {
  const now = new Date();
  const tailArg = last(argv.tail);
  const sinceArg = last(argv.since);
  const untilArg = last(argv.until);
  const opts: LogsOptions = {
    follow: argv.follow === true,
    tail: tailArg === undefined ? -1 : parseTail(tailArg),
    since: sinceArg === undefined ? undefined : parseTimeFilter(sinceArg, now, 'since'),
    until: untilArg === undefined ? undefined : parseTimeFilter(untilArg, now, 'until'),
    timestamps: argv.timestamps === true,
    names: argv.names === true || recs.length > 1,
    color: argv.color === true,
  };
  await showLogs(ctx, recs, opts, {
    write: (stream, data) => write(stream === 'stdout' ? io.stdout : io.stderr, data),
    warn: (m) => ctx.warn(m),
  });
  return 0;
}

export const logs: CommandSpec = {
  usage: 'logs [options] CONTAINER...',
  positionals: '[containers..]',
  builder: (y: Argv) => latestFlag(logsFlags(y), 'Act on the latest container pman is aware of'),
  handler: async (ctx, argv, io) => {
    return printLogs(ctx, argv, io, namedOrLatest(ctx, argv, positionals(argv, 'containers'), 'logs'));
  },
};
