// pman network connect [options] NETWORK CONTAINER
import type { Argv } from 'yargs';
import { connectContainer } from '../container/network-connect.js';
import { InvalidArgumentError } from '../errors.js';
import { last, list } from './argv.js';
import type { CommandSpec } from './types.js';

export const networkConnect: CommandSpec = {
  usage: 'network connect [options] NETWORK CONTAINER',
  positionals: '[network] [container]',
  builder: (y: Argv) =>
    y
      .option('ip', { type: 'string', describe: 'IPv4 address for the container on the network' })
      .option('ip6', { type: 'string', describe: 'IPv6 address for the container on the network (one created with --ipv6)' })
      .option('mac-address', { type: 'string', describe: 'MAC address for the container on the network' })
      .option('alias', { type: 'string', describe: 'Add a DNS alias for the container on the network' }),
  handler: async (ctx, argv) => {
    if (argv.network === undefined || argv.container === undefined) throw new InvalidArgumentError('network connect needs a network and a container: pman network connect NETWORK CONTAINER');
    await connectContainer(ctx, String(argv.container), String(argv.network), {
      ip: last(argv.ip),
      ip6: last(argv.ip6),
      mac: last(argv['mac-address']),
      aliases: list(argv.alias).flatMap((a) => a.split(',')).filter(Boolean),
    });
    return 0;
  },
};
