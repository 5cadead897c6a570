// What `pman images` prints: the store's images through podman's filters (intermediate images
// only with --all), sorted, with their container counts, as a table, a Go template, JSON or IDs.
import type { Context } from '../context.js';
import { renderList } from '../format/list-output.js';
import { listContainers } from '../state/containers.js';
import { filterImages } from './filter.js';
import { withShownSizes } from './image-size.js';
import type { ImageRecord } from './image-record.js';
import { parentIds } from './lineage.js';
import { sortImageRows } from './image-sort.js';
import { listImages } from './store.js';
import { imageJson, imageRows, type ImageRow } from './view.js';

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
export const IMAGE_SORT_KEYS = ['created', 'id', 'repository', 'size', 'tag'];

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

export interface ImageListingOptions {
  /** --all: a build's intermediate images (untagged parents of other images) too. */
  all: boolean;
  /** --filter keys, and reference=IMAGE for the name given. */
  filters: string[];
  /** One of IMAGE_SORT_KEYS. */
  sort: string;
  noTrunc: boolean;
  /** Extra columns: the digest, podman's name history. */
  digests: boolean;
  history: boolean;
  format?: string;
  quiet: boolean;
  noHeading: boolean;
}

/** One listing as images prints it. */
export function imageListing(ctx: Context, opts: ImageListingOptions): string {
  // As podman: a build's intermediate images (untagged parents of other images) only with -a.
  const filters = opts.all ? opts.filters : [...opts.filters, 'intermediate=false'];
  const all = listImages(ctx);
  const found: ImageRecord[] = withShownSizes(ctx, filterImages(ctx, all, filters));
  const count = containerCounts(ctx);
  const rows = sortImageRows(ctx, imageRows(found, { noTrunc: opts.noTrunc, containers: count, parents: parentIds(all) }), opts.sort, found);
  const spec = {
    defaultFormat: `${opts.digests ? DIGESTS_FORMAT : DEFAULT_FORMAT}${opts.history ? '\t{{.History}}' : ''}`,
    headers: HEADERS,
    quiet: () => [...new Set(rows.map((r) => r.ID))],
    json: () => found.map((i) => imageJson(i, count(i.id))),
    jsonTemplateIsDocument: true,
  };
  return renderList(rows, spec, { format: opts.format, quiet: opts.quiet, noHeading: opts.noHeading });
}
