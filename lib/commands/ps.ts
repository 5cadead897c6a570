// pman ps [options]
import type { Argv } from 'yargs';
import { listForPs } from '../container/ps.js';
import { runningHealth } from '../container/healthcheck.js';
import { psJson, psRow } from '../container/view.js';
import { portsText } from '../network/container-view.js';
import { networkHolder } from '../network/join.js';
import { renderList } from '../format/list-output.js';
import { list } from './argv.js';
import type { CommandSpec } from './types.js';
import type { Context } from '../context.js';

const DEFAULT_FORMAT = 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.CreatedHuman}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}';
const HEADERS: Record<string, string> = {
  '.ID': 'CONTAINER ID',
  '.Image': 'IMAGE',
  '.ImageID': 'IMAGE ID',
  '.Command': 'COMMAND',
  '.CreatedHuman': 'CREATED',
  '.CreatedAt': 'CREATED AT',
  '.RunningFor': 'CREATED',
  '.Created': 'CREATED',
  '.Status': 'STATUS',
  '.State': 'STATE',
  '.Ports': 'PORTS',
  '.Names': 'NAMES',
  '.Labels': 'LABELS',
  '.ExitCode': 'EXIT CODE',
  '.Pid': 'PID',
  '.Pod': 'POD ID',
  '.PodName': 'PODNAME',
};

export const ps: CommandSpec = {
  usage: 'ps [options]',
  builder: (y: Argv) =>
    y
      .option('all', { alias: 'a', type: 'boolean', default: false, describe: 'Show all containers, not only running ones' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print only the container IDs' })
      .option('no-trunc', { type: 'boolean', default: false, describe: 'Do not truncate the output' })
      .option('filter', { alias: 'f', type: 'string', describe: 'Filter output (status=, name=, id=, label=, exited=, ancestor=, health=)' })
      .option('format', { type: 'string', describe: 'Go template for the output, or json' })
      .option('pod', { alias: 'p', type: 'boolean', default: false, describe: 'Show the pod of each container (POD ID and PODNAME columns)' }),
  handler: async (ctx, argv, io) => {
    const recs = await listForPs(ctx, { all: argv.all === true, filters: list(argv.filter) });
    const noTrunc = argv['no-trunc'] === true;
    const now = Date.now();
    const health = recs.map((r) => runningHealth(ctx, r));
    const podNames = recs.some((r) => r.config.pod) ? await podNamesById(ctx) : new Map<string, string>();
    const rows: Array<Record<string, unknown>> = recs.map((r, i) => ({
      ...psRow(r, noTrunc, now, health[i], portsText(networkHolder(ctx, r))),
      Pod: r.config.pod ? (noTrunc ? r.config.pod : r.config.pod.slice(0, 12)) : '',
      PodName: podNames.get(r.config.pod ?? '') ?? '',
    }));
    const spec = {
      defaultFormat: argv.pod === true ? `${DEFAULT_FORMAT}\t{{.Pod}}\t{{.PodName}}` : DEFAULT_FORMAT,
      headers: HEADERS,
      quiet: () => rows.map((r) => String(r.ID)),
      json: () => recs.map((r, i) => ({ ...psJson(r, now, health[i]), Pod: r.config.pod ?? '', PodName: rows[i].PodName })),
    };
    io.stdout.write(renderList(rows, spec, { format: argv.format as string | undefined, quiet: argv.quiet === true }));
    return 0;
  },
};

async function podNamesById(ctx: Context): Promise<Map<string, string>> {
  const { listPods } = await import('../state/pods.js');
  return new Map(listPods(ctx).map((p) => [p.id, p.name]));
}
