// pman stats [options] [CONTAINER...]: resource use of running containers, once (--no-stream) or
// refreshed every --interval seconds until interrupted.
import type { Argv } from 'yargs';
import { reconcile } from '../container/reconcile.js';
import { sampleCgroup, statsJson, statsRow, type CgroupSample, type StatsRow } from '../container/stats.js';
import { InvalidArgumentError, InvalidStateError } from '../errors.js';
import { formatRows } from '../format/template.js';
import type { ContainerRecord } from '../state/container-record.js';
import { listContainers, resolveContainer } from '../state/containers.js';
import type { Context } from '../context.js';
import { positionals } from './argv.js';
import { PODMAN_COLUMNS } from './ps.js';
import type { CommandSpec, IO } from './types.js';

const DEFAULT_FORMAT = 'table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}\t{{.CPU}}\t{{.AvgCPU}}';
const HEADERS: Record<string, string> = {
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

const isRunning = (r: ContainerRecord) => r.state.status === 'running' || r.state.status === 'paused';

async function targets(ctx: Context, refs: string[], all: boolean): Promise<ContainerRecord[]> {
  if (refs.length === 0) {
    const recs = await Promise.all(listContainers(ctx).map((r) => reconcile(ctx, r)));
    return recs.filter((r) => all || isRunning(r));
  }
  const recs = await Promise.all(refs.map((ref) => reconcile(ctx, resolveContainer(ctx, ref))));
  for (const r of recs) {
    if (!isRunning(r)) throw new InvalidStateError(`cannot show stats of container "${r.name}": it is not running (state ${r.state.status})`);
  }
  return recs;
}

function render(rows: StatsRow[], format: string | undefined): string {
  if (format === 'json') return `${JSON.stringify(rows.map(statsJson), null, 1)}\n`;
  const f = format === undefined || format === 'table' ? DEFAULT_FORMAT : format;
  return formatRows(f, rows, HEADERS, PODMAN_COLUMNS);
}

export const stats: CommandSpec = {
  usage: 'stats [options] [CONTAINER...]',
  positionals: '[containers..]',
  builder: (y: Argv) =>
    y
      .option('all', { alias: 'a', type: 'boolean', default: false, describe: 'Show all containers (only running ones have stats)' })
      .option('no-stream', { type: 'boolean', default: false, describe: 'Print the current statistics once and exit' })
      .option('no-reset', { type: 'boolean', default: false, describe: 'Do not clear the screen between updates' })
      .option('format', { type: 'string', describe: 'Go template for the output, or json' })
      .option('interval', { alias: 'i', type: 'number', default: 5, describe: 'Seconds between updates when streaming' }),
  handler: async (ctx, argv, io) => {
    const interval = Number(argv.interval);
    if (!Number.isFinite(interval) || interval < 1) throw new InvalidArgumentError(`invalid --interval "${String(argv.interval)}": use a whole number of seconds, at least 1`);
    const refs = positionals(argv, 'containers');
    const format = argv.format as string | undefined;
    const prev = new Map<string, CgroupSample>();
    const once = async (): Promise<string> => {
      const rows: StatsRow[] = [];
      for (const rec of await targets(ctx, refs, argv.all === true)) {
        const s = sampleCgroup(rec.id);
        if (!s) continue; // exited meanwhile
        rows.push(statsRow(rec, s, prev.get(rec.id)));
        prev.set(rec.id, s);
      }
      return render(rows, format);
    };
    if (argv['no-stream'] === true) {
      io.stdout.write(await once());
      return 0;
    }
    return stream(io, once, interval, argv['no-reset'] !== true);
  },
};

function stream(io: IO, once: () => Promise<string>, intervalSec: number, reset: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const stop = () => {
      if (timer) clearTimeout(timer);
      resolve(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const tick = async () => {
      try {
        const text = await once();
        io.stdout.write(reset ? `\x1b[2J\x1b[H${text}` : text);
        timer = setTimeout(tick, intervalSec * 1000);
      } catch (err) {
        reject(err);
      }
    };
    void tick();
  });
}
