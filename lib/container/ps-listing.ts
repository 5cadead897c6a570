// What `pman ps` prints: the listed containers' rows (health, ports and pods; sizes and namespaces
// when asked), sorted, rendered as a table, a Go template, JSON or IDs (lib/format/list-output.ts).
import type { Context } from '../context.js';
import { renderList } from '../format/list-output.js';
import { portsText } from '../network/container-view.js';
import { networkHolder } from '../network/join.js';
import { runningHealth } from './healthcheck.js';
import { listForPs } from './ps.js';
import { NS_FORMAT, NS_HEADERS, namespacesJson, psNamespaces, type PsNamespaces } from './ps-namespaces.js';
import { containerSize, sortPsRows } from './ps-rows.js';
import { psJson, psRow } from './view.js';

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

export interface PsListingOptions {
  /** All containers, not only running ones (implied by `last`). */
  all: boolean;
  filters: string[];
  /** Only the `last` newest containers, in all states (still listed oldest first); 0: no limit. */
  last: number;
  noTrunc: boolean;
  /** Extra columns: POD ID and PODNAME, the sizes, the namespaces (which replace the default ones). */
  pod: boolean;
  size: boolean;
  ns: boolean;
  /** A PS_SORT_KEYS key. */
  sort: string;
  format?: string;
  quiet: boolean;
  noHeading: boolean;
}

/** One listing as ps prints it. */
export async function psListing(ctx: Context, opts: PsListingOptions): Promise<string> {
  const n = opts.last;
  let recs = await listForPs(ctx, { all: opts.all || n > 0, filters: opts.filters });
  if (n > 0) recs = recs.slice(0, n); // listForPs gives them newest first
  // podman 4.3.1 lists oldest first (docker newest first); -n N takes the N newest, printed oldest first.
  recs.reverse();
  const noTrunc = opts.noTrunc;
  const now = Date.now();
  const health = new Map(recs.map((r) => [r.id, runningHealth(ctx, r)]));
  const podNames = recs.some((r) => r.config.pod) ? await podNamesById(ctx) : new Map<string, string>();
  const layerSizes = new Map<string, number>();
  const rows = recs.map((r) => {
    // Assigned onto the row, not spread: that keeps its Label method.
    const row = Object.assign(psRow(r, noTrunc, now, health.get(r.id), portsText(networkHolder(ctx, r))), {
      Pod: r.config.pod ? (noTrunc ? r.config.pod : r.config.pod.slice(0, 12)) : '',
      PodName: podNames.get(r.config.pod ?? '') ?? '',
    });
    if (opts.size) Object.assign(row, containerSize(ctx, r, layerSizes));
    if (opts.ns) row.Namespaces = psNamespaces(r.state.pid);
    return row;
  });
  const byId = new Map(recs.map((r) => [r.id, r]));
  sortPsRows(rows, opts.sort, (row) => byId.get(String(row.FullID))!);
  const base = opts.ns ? NS_FORMAT : opts.pod ? `${DEFAULT_FORMAT}\t{{.Pod}}\t{{.PodName}}` : DEFAULT_FORMAT;
  const format = opts.format ?? (opts.size ? `${base}\t{{.Size}}` : undefined);
  // podman 4.3.1 prints {{.Size}} empty without --size and says why on stderr (exit 0).
  if (!opts.size && rows.length > 0 && format !== undefined && /\.Size\b/.test(format)) ctx.warn('{{.Size}} is empty without --size: add --size to compute the containers\' sizes');
  const spec = {
    defaultFormat: base,
    headers: opts.ns ? { ...HEADERS, ...NS_HEADERS } : HEADERS,
    quiet: () => rows.map((r) => String(r.ID)),
    json: () =>
      rows.map((r) => {
        const rec = byId.get(String(r.FullID))!;
        return { ...psJson(rec, now, health.get(rec.id)), Pod: rec.config.pod ?? '', PodName: r.PodName, ...(r.Namespaces ? { Namespaces: namespacesJson(r.Namespaces as PsNamespaces) } : {}) };
      }),
  };
  return renderList(rows, spec, { format, quiet: opts.quiet, noHeading: opts.noHeading });
}

async function podNamesById(ctx: Context): Promise<Map<string, string>> {
  const { listPods } = await import('../state/pods.js');
  return new Map(listPods(ctx).map((p) => [p.id, p.name]));
}
