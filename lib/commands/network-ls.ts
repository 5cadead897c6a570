// pman network ls [options]
import type { Argv } from 'yargs';
import { formatRows } from '../format/template.js';
import { listNetworksFiltered } from '../network/remove.js';
import { networkInspectView, networkRow } from '../network/view.js';
import { list } from './create-flags.js';
import { PODMAN_COLUMNS } from './ps.js';
import type { CommandSpec } from './types.js';

const DEFAULT_FORMAT = 'table {{.ID}}\t{{.Name}}\t{{.Driver}}';
const HEADERS: Record<string, string> = {
  '.ID': 'NETWORK ID',
  '.Name': 'NAME',
  '.Driver': 'DRIVER',
  '.NetworkInterface': 'NETWORK INTERFACE',
  '.Created': 'CREATED',
  '.Labels': 'LABELS',
  '.DNSEnabled': 'DNS ENABLED',
  '.Internal': 'INTERNAL',
  '.IPv6Enabled': 'IPV6 ENABLED',
};

export const networkLs: CommandSpec = {
  usage: 'network ls [options]',
  positionals: '',
  builder: (y: Argv) =>
    y
      .option('filter', { alias: 'f', type: 'string', describe: 'Filter output (name=, id=, driver=, label=, label!=, dangling=, until=)' })
      .option('format', { type: 'string', describe: 'Go template for the output ("json" for JSON)' })
      .option('no-trunc', { type: 'boolean', default: false, describe: 'Do not truncate the network ID' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print only the network names' }),
  handler: (ctx, argv, io) => {
    const nets = listNetworksFiltered(ctx, list(argv.filter));
    if (argv.quiet) {
      io.stdout.write(nets.map((n) => `${n.name}\n`).join(''));
      return 0;
    }
    const format = (argv.format as string | undefined) ?? DEFAULT_FORMAT;
    if (format === 'json') {
      io.stdout.write(`${JSON.stringify(nets.map(networkInspectView), null, 4)}\n`);
      return 0;
    }
    const rows = nets.map((n) => networkRow(n, argv.noTrunc === true));
    io.stdout.write(formatRows(format === 'table' ? DEFAULT_FORMAT : format, rows, HEADERS, PODMAN_COLUMNS));
    return 0;
  },
};
