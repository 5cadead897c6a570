// pman images [options] [IMAGE]
import type { Argv } from 'yargs';
import type { Context } from '../context.js';
import { InvalidArgumentError } from '../errors.js';
import { renderList } from '../format/list-output.js';
import { filterImages } from '../image/filter.js';
import type { ImageRecord } from '../image/image-record.js';
import { parentIds } from '../image/lineage.js';
import { listImages } from '../image/store.js';
import { imageJson, imageRows, type ImageRow } from '../image/view.js';
import { listContainers } from '../state/containers.js';
import { list, last } from './argv.js';
import type { CommandSpec } from './types.js';

const DEFAULT_FORMAT = 'table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}';
const DIGESTS_FORMAT = 'table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}';
const HEADERS: Record<string, string> = {
  '.ID': 'IMAGE ID',
  '.Id': 'IMAGE ID',
  '.Repository': 'REPOSITORY',
  '.Tag': 'TAG',
  '.Digest': 'DIGEST',
  '.Created': 'CREATED',
  '.CreatedSince': 'CREATED',
  '.CreatedAt': 'CREATED AT',
  '.Size': 'SIZE',
  '.VirtualSize': 'SIZE',
  '.Names': 'NAMES',
  '.Labels': 'LABELS',
  '.History': 'HISTORY',
};
const SORT_KEYS = ['created', 'id', 'repository', 'size', 'tag'];

function containerCounts(ctx: Context): (id: string) => number {
  let counts: Map<string, number> | undefined;
  return (id) => {
    if (!counts) {
      counts = new Map();
      for (const c of listContainers(ctx)) counts.set(c.image, (counts.get(c.image) ?? 0) + 1);
    }
    return counts.get(id) ?? 0;
  };
}

function sortRows(rows: ImageRow[], key: string, sizes: Map<string, number>): ImageRow[] {
  if (key === 'created') return rows; // listImages is newest first already
  const field = (r: ImageRow): string => (key === 'id' ? r.Id : key === 'repository' ? r.Repository : r.Tag);
  const cmp = key === 'size' ? (a: ImageRow, b: ImageRow) => (sizes.get(a.Id) ?? 0) - (sizes.get(b.Id) ?? 0) : (a: ImageRow, b: ImageRow) => field(a).localeCompare(field(b));
  return [...rows].sort(cmp);
}

export const images: CommandSpec = {
  usage: 'images [options] [IMAGE]',
  positionals: '[image]',
  builder: (y: Argv) =>
    y
      .option('all', { alias: 'a', type: 'boolean', default: false, describe: 'Show all images (default hides intermediate images)' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print only the image IDs' })
      .option('digests', { type: 'boolean', default: false, describe: 'Show digests' })
      .option('no-trunc', { type: 'boolean', default: false, describe: 'Do not truncate the output' })
      // While yargs' boolean-negation is on, --no-trunc arrives as trunc=false.
      .option('trunc', { type: 'boolean', hidden: true })
      .option('noheading', { alias: 'n', type: 'boolean', default: false, describe: 'Do not print column headings' })
      .option('filter', { alias: 'f', type: 'string', describe: 'Filter output (dangling=, intermediate=, reference=, label=, before=, since=, id=)' })
      .option('format', { type: 'string', describe: 'Go template for the output, or json' })
      .option('history', { type: 'boolean', default: false, describe: "Add a column of the image's names (podman's name history)" })
      .option('sort', { type: 'string', default: 'created', describe: `Sort by ${SORT_KEYS.join(', ')}` }),
  handler: (ctx, argv, io) => {
    const sort = last(argv.sort)!;
    if (!SORT_KEYS.includes(sort)) throw new InvalidArgumentError(`invalid --sort "${sort}": use one of ${SORT_KEYS.join(', ')}`);
    const filters = list(argv.filter);
    if (argv.image !== undefined) filters.push(`reference=${String(argv.image)}`);
    // As podman: a build's intermediate images (untagged parents of other images) only with -a.
    if (argv.all !== true) filters.push('intermediate=false');
    const all = listImages(ctx);
    const found: ImageRecord[] = filterImages(ctx, all, filters);
    const noTrunc = argv['no-trunc'] === true || argv.trunc === false;
    const count = containerCounts(ctx);
    const rows = sortRows(imageRows(found, { noTrunc, containers: count, parents: parentIds(all) }), sort, new Map(found.map((i) => [i.id, i.size])));
    const spec = {
      defaultFormat: `${argv.digests ? DIGESTS_FORMAT : DEFAULT_FORMAT}${argv.history === true ? '\t{{.History}}' : ''}`,
      headers: HEADERS,
      quiet: () => [...new Set(rows.map((r) => r.ID))],
      json: () => found.map((i) => imageJson(i, count(i.id))),
      jsonTemplateIsDocument: true,
    };
    io.stdout.write(renderList(rows, spec, { format: last(argv.format), quiet: argv.quiet === true, noHeading: argv.noheading === true }));
    return 0;
  },
};
