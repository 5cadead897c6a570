// pman network create [options] [NAME]
import type { Argv } from 'yargs';
import { parseLabels } from '../container/create.js';
import { parseKeyValueFlags } from '../container/parse/metadata.js';
import { createNetwork } from '../network/create.js';
import { list } from './argv.js';
import type { CommandSpec } from './types.js';

export const networkCreate: CommandSpec = {
  usage: 'network create [options] [NAME]',
  positionals: '[name]',
  builder: (y: Argv) =>
    y
      .option('driver', { alias: 'd', type: 'string', default: 'bridge', describe: 'Driver to manage the network (only bridge)' })
      .option('subnet', { type: 'string', describe: 'Subnet in CIDR format (one IPv4 and one IPv6 at most)' })
      .option('gateway', { type: 'string', describe: 'Gateway for the subnet of its family' })
      .option('ip-range', { type: 'string', describe: 'Allocate container IPs from a range (CIDR) of the subnet of its family' })
      .option('ipv6', { type: 'boolean', default: false, describe: 'Enable IPv6 (dual stack): an IPv6 subnet besides the IPv4 one' })
      .option('internal', { type: 'boolean', default: false, describe: 'Restrict external access from this network' })
      .option('disable-dns', { type: 'boolean', default: false, describe: 'Disable DNS plugin' })
      .option('label', { type: 'string', describe: 'Set metadata on a network (KEY=VALUE)' })
      .option('opt', { alias: 'o', type: 'string', describe: 'Set driver specific options (mtu, isolate)' })
      .option('interface-name', { type: 'string', describe: 'Name of the host bridge' })
      .option('ignore', { type: 'boolean', default: false, describe: 'Do not fail if the network already exists' }),
  handler: async (ctx, argv, io) => {
    const rec = await createNetwork(ctx, {
      name: argv.name === undefined ? undefined : String(argv.name),
      driver: argv.driver as string,
      subnets: list(argv.subnet),
      gateways: list(argv.gateway),
      ipRanges: list(argv['ip-range']),
      ipv6: argv.ipv6 === true,
      internal: argv.internal === true,
      disableDns: argv.disableDns === true,
      labels: parseLabels(list(argv.label)),
      options: parseKeyValueFlags(list(argv.opt), '--opt'),
      interfaceName: argv.interfaceName as string | undefined,
      ignore: argv.ignore === true,
    });
    io.stdout.write(`${rec.name}\n`);
    return 0;
  },
};
