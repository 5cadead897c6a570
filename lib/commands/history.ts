// pman history [options] IMAGE
import type { Argv } from 'yargs';
import { last } from './argv.js';
import { humanDuration } from '../format/humanize.js';
import { renderList } from '../format/list-output.js';
import { imageHistory, type HistoryRow } from '../image/history.js';
import { formatBytes, IMAGE_SIZE } from '../format/bytes.js';
import { shortId } from '../state/ids.js';
import type { CommandSpec } from './types.js';

const DEFAULT_FORMAT = 'table {{.ID}}\t{{.Created}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}';
const HEADERS: Record<string, string> = {
  '.ID': 'ID',
  '.Created': 'CREATED',
  '.CreatedSince': 'CREATED',
  '.CreatedAt': 'CREATED AT',
  '.CreatedBy': 'CREATED BY',
  '.Size': 'SIZE',
  '.Comment': 'COMMENT',
  '.Tags': 'TAGS',
};
/** podman cuts CREATED BY to 45 characters unless --no-trunc. */
const CREATED_BY_WIDTH = 45;

function templateRow(r: HistoryRow, opts: { noTrunc: boolean; human: boolean; now: number }): Record<string, unknown> {
  const ms = Date.parse(r.created);
  const since = Number.isNaN(ms) ? '' : `${humanDuration(opts.now - ms)} ago`;
  const at = Number.isNaN(ms) ? '' : new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  const createdBy = !opts.noTrunc && r.createdBy.length > CREATED_BY_WIDTH ? `${r.createdBy.slice(0, CREATED_BY_WIDTH - 3)}...` : r.createdBy;
  return {
    ID: r.id === '<missing>' || opts.noTrunc ? r.id : shortId(r.id),
    Created: opts.human ? since : at,
    CreatedSince: since,
    CreatedAt: Number.isNaN(ms) ? '' : new Date(Math.floor(ms / 1000) * 1000),
    CreatedBy: createdBy,
    Size: opts.human ? formatBytes(r.size, IMAGE_SIZE) : String(r.size),
    Comment: r.comment,
    // podman 4.3.1 takes Tags from the storage layer's own names, which its images never set: always
    // empty there (the image's names are not listed), and so here.
    Tags: [],
  };
}

/** podman's JSON shape for history entries (its `tags` is omitted when empty: always, see Tags). */
function jsonRow(r: HistoryRow): Record<string, unknown> {
  const ms = Date.parse(r.created);
  const Created = Number.isNaN(ms) ? '' : new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  return { id: r.id, created: r.created, CreatedBy: r.createdBy, size: r.size, comment: r.comment, Created };
}

export const history: CommandSpec = {
  usage: 'history [options] IMAGE',
  positionals: '<image>',
  builder: (y: Argv) =>
    y
      .option('format', { type: 'string', describe: 'Go template for the output, or json' })
      .option('human', { alias: 'H', type: 'boolean', default: true, describe: 'Show sizes and dates in human readable form' })
      .option('no-trunc', { type: 'boolean', default: false, describe: 'Do not truncate the output' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print only the IDs' }),
  handler: (ctx, argv, io) => {
    const rows = imageHistory(ctx, String(argv.image));
    const view = rows.map((r) => templateRow(r, { noTrunc: argv['no-trunc'] === true, human: argv.human !== false, now: Date.now() }));
    // podman prints this JSON on one line (json.Encoder without indentation).
    const spec = { defaultFormat: DEFAULT_FORMAT, headers: HEADERS, quiet: () => view.map((v) => String(v.ID)), json: () => rows.map(jsonRow), jsonIndent: 0, jsonTemplateIsDocument: true };
    io.stdout.write(renderList(view, spec, { format: last(argv.format), quiet: argv.quiet === true }));
    return 0;
  },
};
