// pman ps [options]
import type { Argv } from 'yargs';
import { listForPs } from '../container/ps.js';
import { runningHealth } from '../container/healthcheck.js';
import { psJson, psRow } from '../container/view.js';
import { portsText } from '../network/container-view.js';
import { networkHolder } from '../network/join.js';
import { renderList } from '../format/list-output.js';
import { list, last } from './argv.js';
import type { Context } from '../context.js';
import { InvalidArgumentError } from '../errors.js';
import { STATS_SIZE, formatBytes } from '../format/bytes.js';
import { loadImageRecord } from '../image/records.js';
import { rootfsPaths } from '../oci/rootfs.js';
import type { ContainerRecord } from '../state/container-record.js';
import { treeSize } from '../util/tree-size.js';
import type { CommandSpec } from './types.js';

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

const SORT_KEYS = ['command', 'created', 'id', 'image', 'names', 'runningfor', 'size', 'status'];

/** podman's --sort: created (and runningfor) newest first, the others ascending by their text. */
function sortRows(rows: Array<Record<string, unknown>>, key: string): void {
  if (key === 'created' || key === 'runningfor') return; // listForPs gives them newest first
  const field = { command: 'Command', id: 'ID', image: 'Image', names: 'Names', size: 'SizeBytes', status: 'Status' }[key] ?? 'ID';
  rows.sort((a, b) => {
    const x = a[field] as string | number;
    const y = b[field] as string | number;
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/** ps --size: "12B (virtual 1.98MB)", the writable layer and it plus the image. */
function containerSize(ctx: Context, rec: ContainerRecord): string {
  const rw = treeSize(rootfsPaths(ctx, rec.id).upper);
  let image = 0;
  try {
    image = loadImageRecord(ctx, rec.image).size;
  } catch {
    /* image gone */
  }
  return `${formatBytes(rw, STATS_SIZE)} (virtual ${formatBytes(rw + image, STATS_SIZE)})`;
}

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
      .option('last', { alias: 'n', type: 'number', default: -1, describe: 'Print the n last created containers (all states)' })
      .option('latest', { alias: 'l', type: 'boolean', default: false, describe: 'Print the latest created container (all states)' })
      .option('noheading', { type: 'boolean', default: false, describe: 'Do not print headers' })
      .option('size', { alias: 's', type: 'boolean', default: false, describe: "Display each container's writable layer size and its image's" })
      .option('sort', { type: 'string', choices: SORT_KEYS, default: 'created', describe: 'Sort output by this field' })
      .option('sync', { type: 'boolean', default: false, describe: 'Sync container state with the OCI runtime (pman always does)' }),
  handler: async (ctx, argv, io) => {
    const n = argv.latest === true ? 1 : Number(last(argv.last));
    if (!Number.isInteger(n) || n < -1) throw new InvalidArgumentError(`invalid --last "${String(argv.last)}": use a whole number of containers`);
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
      if (argv.size === true) row.Size = containerSize(ctx, r);
      return row;
    });
    sortRows(rows, String(last(argv.sort) ?? 'created'));
    const base = argv.pod === true ? `${DEFAULT_FORMAT}\t{{.Pod}}\t{{.PodName}}` : DEFAULT_FORMAT;
    const format = last(argv.format) ?? (argv.size === true ? `${base}\t{{.Size}}` : undefined);
    const byId = new Map(recs.map((r) => [r.id, r]));
    const spec = {
      defaultFormat: base,
      headers: HEADERS,
      quiet: () => rows.map((r) => String(r.ID)),
      json: () =>
        rows.map((r) => {
          const rec = byId.get(String(r.FullID))!;
          return { ...psJson(rec, now, health.get(rec.id)), Pod: rec.config.pod ?? '', PodName: r.PodName };
        }),
    };
    io.stdout.write(renderList(rows, spec, { format, quiet: argv.quiet === true, noHeading: argv.noheading === true }));
    return 0;
  },
};

async function podNamesById(ctx: Context): Promise<Map<string, string>> {
  const { listPods } = await import('../state/pods.js');
  return new Map(listPods(ctx).map((p) => [p.id, p.name]));
}
