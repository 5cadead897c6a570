// pman stats [options] [CONTAINER...]: resource use of running containers, once (--no-stream) or
// refreshed every --interval seconds until interrupted.
import type { Argv } from 'yargs';
import { statsSampler } from '../container/stats-sampler.js';
import { statsJson, type StatsRow } from '../container/stats.js';
import { InvalidArgumentError } from '../errors.js';
import { renderList } from '../format/list-output.js';
import { positionals, last } from './argv.js';
import type { CommandSpec, IO } from './types.js';
import { latestFlag, namedOrLatest } from './latest-flag.js';
import { repeatOutput } from './repeat-output.js';

const DEFAULT_FORMAT = 'table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}\t{{.CPU}}\t{{.AvgCPU}}';
export const HEADERS: Record<string, string> = {
  '.ID': 'ID',
  '.Name': 'NAME',
  '.CPUPerc': 'CPU %',
  '.MemUsage': 'MEM USAGE / LIMIT',
  '.MemUsageBytes': 'MEM USAGE / LIMIT',
  '.MemPerc': 'MEM %',
  '.NetIO': 'NET IO',
  '.BlockIO': 'BLOCK IO',
  '.PIDs': 'PIDS',
  '.CPU': 'CPU TIME',
  '.CPUNano': 'CPU TIME',
  '.AvgCPU': 'AVG CPU %',
  '.UpTime': 'UPTIME',
};

function render(rows: StatsRow[], format: string | undefined): string {
  return renderList(rows, { defaultFormat: DEFAULT_FORMAT, headers: HEADERS, json: () => rows.map(statsJson), jsonIndent: 1 }, { format });
}

/** The flags of stats, shared with pod stats (whose --all means all pods). */
export function statsFlags(y: Argv, all: string): Argv {
  return y
    .option('all', { alias: 'a', type: 'boolean', default: false, describe: all })
    .option('no-stream', { type: 'boolean', default: false, describe: 'Print the current statistics once and exit' })
    .option('no-reset', { type: 'boolean', default: false, describe: 'Do not clear the screen between updates' })
    .option('format', { type: 'string', describe: 'Go template for the output, or json' })
    .option('interval', { alias: 'i', type: 'number', default: 5, describe: 'Seconds between updates when streaming' });
}

/** Prints once() once (--no-stream) or every --interval seconds until interrupted. */
export async function showStats(io: IO, argv: Record<string, unknown>, once: () => Promise<string>): Promise<number> {
  const interval = Number(last(argv.interval));
  if (!Number.isFinite(interval) || interval < 1) throw new InvalidArgumentError(`invalid --interval "${last(argv.interval)!}": use a whole number of seconds, at least 1`);
  if (argv['no-stream'] === true) {
    io.stdout.write(await once());
    return 0;
  }
  return repeatOutput(io, once, interval, argv['no-reset'] !== true);
}

export const stats: CommandSpec = {
  usage: 'stats [options] [CONTAINER...]',
  positionals: '[containers..]',
  builder: (y: Argv) =>
    latestFlag(statsFlags(y, 'Show all containers (only running ones have stats)')).option('no-trunc', { type: 'boolean', default: false, describe: 'Do not truncate the container IDs' }),
  handler: async (ctx, argv, io) => {
    const named = positionals(argv, 'containers');
    const refs = argv.latest === true ? namedOrLatest(ctx, argv, named, 'stats').map((r) => r.id) : named;
    const sample = statsSampler(ctx, { refs, all: argv.all === true, noTrunc: argv['no-trunc'] === true });
    return showStats(io, argv, async () => render(await sample(), last(argv.format)));
  },
};
