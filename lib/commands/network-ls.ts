// pman network ls [options]
import type { Argv } from 'yargs';
import { renderList } from '../format/list-output.js';
import { listNetworksFiltered } from '../network/remove.js';
import { networkInspectView, networkRow } from '../network/view.js';
import { list, last } from './argv.js';
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
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print only the network names' })
      .option('noheading', { type: 'boolean', default: false, describe: 'Do not print headers' }),
  handler: (ctx, argv, io) => {
    const nets = listNetworksFiltered(ctx, list(argv.filter));
    const rows = nets.map((n) => networkRow(n, argv.noTrunc === true));
    // podman's JSON keeps the inspect keys, not the template fields.
    const spec = { defaultFormat: DEFAULT_FORMAT, headers: HEADERS, quiet: () => nets.map((n) => n.name), json: () => nets.map(networkInspectView) };
    io.stdout.write(renderList(rows, spec, { format: last(argv.format), quiet: argv.quiet === true, noHeading: argv.noheading === true }));
    return 0;
  },
};
