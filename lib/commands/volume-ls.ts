// pman volume ls [options]
import type { Argv } from 'yargs';
import { formatRows } from '../format/template.js';
import { listVolumeInfos } from '../volume/list.js';
import { volumeRow } from '../volume/view.js';
import { list } from './argv.js';
import { PODMAN_COLUMNS } from './ps.js';
import type { CommandSpec } from './types.js';

const DEFAULT_FORMAT = 'table {{.Driver}}\t{{.Name}}';
const HEADERS: Record<string, string> = {
  '.Driver': 'DRIVER',
  '.Name': 'VOLUME NAME',
  '.Mountpoint': 'MOUNTPOINT',
  '.CreatedAt': 'CREATED AT',
  '.Labels': 'LABELS',
  '.Scope': 'SCOPE',
  '.Options': 'OPTIONS',
};

export const volumeLs: CommandSpec = {
  usage: 'volume ls [options]',
  positionals: '',
  builder: (y: Argv) =>
    y
      .option('filter', { alias: 'f', type: 'string', describe: 'Filter output (name=, label=, label!=, driver=, dangling=, anonymous=, until=)' })
      .option('format', { type: 'string', describe: 'Go template for the output ("json" for JSON)' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print only the volume names' }),
  handler: (ctx, argv, io) => {
    const rows = listVolumeInfos(ctx, list(argv.filter)).map((i) => volumeRow(ctx, i));
    if (argv.quiet) {
      io.stdout.write(rows.map((r) => `${String(r.Name)}\n`).join(''));
      return 0;
    }
    const format = (argv.format as string | undefined) ?? DEFAULT_FORMAT;
    if (format === 'json') {
      io.stdout.write(`${JSON.stringify(rows, null, 4)}\n`);
      return 0;
    }
    io.stdout.write(formatRows(format === 'table' ? DEFAULT_FORMAT : format, rows, HEADERS, PODMAN_COLUMNS));
    return 0;
  },
};
