// pman network exists NETWORK: exit 0 when it exists, 1 when not (podman's codes).
import { InvalidArgumentError } from '../errors.js';
import { networkExists } from '../network/networks.js';
import type { CommandSpec } from './types.js';

export const networkExistsCmd: CommandSpec = {
  usage: 'network exists NETWORK',
  positionals: '[network]',
  handler: (ctx, argv) => {
    if (argv.network === undefined) throw new InvalidArgumentError('network exists needs a network name or ID');
    return networkExists(ctx, String(argv.network)) ? 0 : 1;
  },
};
