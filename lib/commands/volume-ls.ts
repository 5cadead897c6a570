// pman volume ls [options]
import type { Argv } from 'yargs';
import { renderList } from '../format/list-output.js';
import { listVolumeInfos } from '../volume/list.js';
import { volumeRow } from '../volume/view.js';
import { list, last } from './argv.js';
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
      .option('filter', { alias: 'f', type: 'string', describe: 'Filter output (name=, label=, label!=, driver=, opt=, dangling=, anonymous=, until=)' })
      .option('format', { type: 'string', describe: 'Go template for the output ("json" for JSON)' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print only the volume names' })
      .option('noheading', { type: 'boolean', default: false, describe: 'Do not print headers' }),
  handler: (ctx, argv, io) => {
    const rows = listVolumeInfos(ctx, list(argv.filter)).map((i) => volumeRow(ctx, i));
    const spec = { defaultFormat: DEFAULT_FORMAT, headers: HEADERS, quiet: () => rows.map((r) => String(r.Name)) };
    io.stdout.write(renderList(rows, spec, { format: last(argv.format), quiet: argv.quiet === true, noHeading: argv.noheading === true }));
    return 0;
  },
};
