// pman port [options] CONTAINER [PORT]: published ports. pman has no container networks yet, so
// no container publishes any: the command checks the container exists and prints nothing.
import type { Argv } from 'yargs';
import { InvalidArgumentError } from '../errors.js';
import { listContainers, resolveContainer } from '../state/containers.js';
import { positionals } from './argv.js';
import type { CommandSpec } from './types.js';

export const port: CommandSpec = {
  usage: 'port [options] CONTAINER [PRIVATE_PORT[/PROTO]]',
  positionals: '[args..]',
  builder: (y: Argv) =>
    y
      .option('all', { alias: 'a', type: 'boolean', default: false, describe: 'Display port information for all containers' })
      .option('latest', { alias: 'l', type: 'boolean', default: false, describe: 'Act on the latest container pman knows about' }),
  handler: (ctx, argv) => {
    const [ref, privatePort, extra] = positionals(argv, 'args');
    if (argv.all) {
      if (ref !== undefined) throw new InvalidArgumentError('when using --all, give no container');
      listContainers(ctx);
      return 0;
    }
    if (argv.latest) {
      if (listContainers(ctx).length === 0) throw new InvalidArgumentError('no containers to show ports of');
      return 0;
    }
    if (ref === undefined || extra !== undefined) throw new InvalidArgumentError('port needs one container (and optionally a port): pman port CONTAINER [PORT]');
    if (privatePort !== undefined && !/^[0-9]+(\/(tcp|udp|sctp))?$/.test(privatePort)) {
      throw new InvalidArgumentError(`invalid port "${privatePort}": use PORT or PORT/PROTO`);
    }
    const rec = resolveContainer(ctx, ref);
    if (privatePort !== undefined) {
      const p = privatePort.includes('/') ? privatePort : `${privatePort}/tcp`;
      throw new InvalidArgumentError(`failed to find published port "${p}" of container "${rec.name}": it publishes none`);
    }
    return 0;
  },
};
