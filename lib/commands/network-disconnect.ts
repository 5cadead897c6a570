// pman network disconnect NETWORK CONTAINER
import { disconnectContainer } from '../container/network-connect.js';
import { InvalidArgumentError } from '../errors.js';
import type { CommandSpec } from './types.js';

export const networkDisconnect: CommandSpec = {
  usage: 'network disconnect NETWORK CONTAINER',
  positionals: '[network] [container]',
  handler: async (ctx, argv) => {
    if (argv.network === undefined || argv.container === undefined) throw new InvalidArgumentError('network disconnect needs a network and a container: pman network disconnect NETWORK CONTAINER');
    await disconnectContainer(ctx, String(argv.container), String(argv.network));
    return 0;
  },
};
