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
      .option('subnet', { type: 'string', describe: 'Subnet in CIDR format' })
      .option('gateway', { type: 'string', describe: 'IPv4 gateway for the subnet' })
      .option('ip-range', { type: 'string', describe: 'Allocate container IPs from a range (CIDR)' })
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
      subnet: argv.subnet as string | undefined,
      gateway: argv.gateway as string | undefined,
      ipRange: argv.ipRange as string | undefined,
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
