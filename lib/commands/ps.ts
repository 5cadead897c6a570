// pman ps [options]
import type { Argv } from 'yargs';
import { listForPs } from '../container/ps.js';
import { containerSize, PS_SORT_KEYS, sortPsRows } from '../container/ps-rows.js';
import { runningHealth } from '../container/healthcheck.js';
import { psJson, psRow } from '../container/view.js';
import { portsText } from '../network/container-view.js';
import { networkHolder } from '../network/join.js';
import { renderList } from '../format/list-output.js';
import { list, last } from './argv.js';
import type { Context } from '../context.js';
import { InvalidArgumentError } from '../errors.js';
import type { CommandSpec } from './types.js';
import { repeatOutput } from './repeat-output.js';
import { NS_FORMAT, NS_HEADERS, namespacesJson, psNamespaces, type PsNamespaces } from '../container/ps-namespaces.js';

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
  '.Size': 'SIZE',
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
      .option('pod', { alias: 'p', type: 'boolean', default: false, describe: 'Show the pod of each container (POD ID and PODNAME columns)' })
      // podman's other ps flags (#20).
      .option('external', { type: 'boolean', default: false, describe: 'Also show containers not made by pman (there are none)' })
      .option('last', { alias: 'n', type: 'string', default: '-1', describe: 'Print the n last created containers (all states)' })
      .option('latest', { alias: 'l', type: 'boolean', default: false, describe: 'Print the latest created container (all states)' })
      .option('noheading', { type: 'boolean', default: false, describe: 'Do not print headers' })
      .option('size', { alias: 's', type: 'boolean', default: false, describe: "Display each container's writable layer size and its image's" })
      .option('sort', { type: 'string', choices: PS_SORT_KEYS, default: 'created', describe: 'Sort output by this field' })
      .option('sync', { type: 'boolean', default: false, describe: 'Sync container state with the OCI runtime (pman always does)' })
      .option('ns', { type: 'boolean', default: false, describe: "Show the namespaces of each container's process" })
      .option('watch', { alias: 'w', type: 'string', describe: 'Print the list again every N seconds, until interrupted' }),
  handler: async (ctx, argv, io) => {
    const n = argv.latest === true ? 1 : Number(last(argv.last));
    if (!/^-?[0-9]+$/.test(String(last(argv.last))) || n < -1) throw new InvalidArgumentError(`invalid --last "${last(argv.last)}": use a whole number of containers`);
    const watch = last(argv.watch);
    if (watch === undefined) {
      io.stdout.write(await psOutput(ctx, argv, n));
      return 0;
    }
    const seconds = Number(watch);
    if (!/^[0-9]+$/.test(watch) || seconds < 1) throw new InvalidArgumentError(`invalid --watch "${watch}": use a whole number of seconds, at least 1`);
    if (argv.quiet === true) throw new InvalidArgumentError('--watch and --quiet cannot be used together');
    return repeatOutput(io, () => psOutput(ctx, argv, n), seconds, true);
  },
};

/** One listing as ps prints it. */
async function psOutput(ctx: Context, argv: Record<string, unknown>, n: number): Promise<string> {
  let recs = await listForPs(ctx, { all: argv.all === true || n >= 0, filters: list(argv.filter) });
  if (n >= 0) recs = recs.slice(0, n); // newest first already
  const noTrunc = argv['no-trunc'] === true;
  const now = Date.now();
  const health = new Map(recs.map((r) => [r.id, runningHealth(ctx, r)]));
  const podNames = recs.some((r) => r.config.pod) ? await podNamesById(ctx) : new Map<string, string>();
  const rows = recs.map((r) => {
    const row: Record<string, unknown> = {
      ...psRow(r, noTrunc, now, health.get(r.id), portsText(networkHolder(ctx, r))),
      Pod: r.config.pod ? (noTrunc ? r.config.pod : r.config.pod.slice(0, 12)) : '',
      PodName: podNames.get(r.config.pod ?? '') ?? '',
    };
    if (argv.size === true) Object.assign(row, containerSize(ctx, r));
    if (argv.ns === true) row.Namespaces = psNamespaces(r.state.pid);
    return row;
  });
  sortPsRows(rows, String(last(argv.sort) ?? 'created'));
  const base = argv.ns === true ? NS_FORMAT : argv.pod === true ? `${DEFAULT_FORMAT}\t{{.Pod}}\t{{.PodName}}` : DEFAULT_FORMAT;
  const format = last(argv.format) ?? (argv.size === true ? `${base}\t{{.Size}}` : undefined);
  const byId = new Map(recs.map((r) => [r.id, r]));
  const spec = {
    defaultFormat: base,
    headers: argv.ns === true ? { ...HEADERS, ...NS_HEADERS } : HEADERS,
    quiet: () => rows.map((r) => String(r.ID)),
    json: () =>
      rows.map((r) => {
        const rec = byId.get(String(r.FullID))!;
        return { ...psJson(rec, now, health.get(rec.id)), Pod: rec.config.pod ?? '', PodName: r.PodName, ...(r.Namespaces ? { Namespaces: namespacesJson(r.Namespaces as PsNamespaces) } : {}) };
      }),
  };
  return renderList(rows, spec, { format, quiet: argv.quiet === true, noHeading: argv.noheading === true });
}

async function podNamesById(ctx: Context): Promise<Map<string, string>> {
  const { listPods } = await import('../state/pods.js');
  return new Map(listPods(ctx).map((p) => [p.id, p.name]));
}
