// pman network inspect [options] NETWORK...
import type { Argv } from 'yargs';
import { InvalidArgumentError } from '../errors.js';
import { loadNetwork } from '../network/networks.js';
import { networkInspectView, networkTemplateView } from '../network/view.js';
import { printInspected } from './inspect-output.js';
import { positionals, last } from './argv.js';
import type { CommandSpec } from './types.js';

export const networkInspect: CommandSpec = {
  usage: 'network inspect [options] NETWORK...',
  positionals: '[networks..]',
  builder: (y: Argv) => y.option('format', { alias: 'f', type: 'string', describe: 'Go template applied to each network' }),
  handler: (ctx, argv, io) => {
    const names = positionals(argv, 'networks');
    if (names.length === 0) throw new InvalidArgumentError('network inspect needs at least one network name or ID');
    const format = last(argv.format);
    // JSON keeps podman's (netavark's) keys; templates may also use podman's Go field names.
    const view = (name: string) => {
      const n = loadNetwork(ctx, name);
      return format === undefined || format === 'json' ? networkInspectView(n) : networkTemplateView(n);
    };
    return printInspected(io, names, view, format);
  },
};
