// pman port [options] CONTAINER [PRIVATE_PORT[/PROTO]]: a container's published ports, as podman
// prints them ("80/tcp -> 0.0.0.0:8080"; only the host side when a port is asked for).
import type { Argv } from 'yargs';
import { InvalidArgumentError } from '../errors.js';
import { portLines } from '../network/container-view.js';
import { networkHolder } from '../network/join.js';
import { shortId } from '../state/ids.js';
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
  handler: (ctx, argv, io) => {
    const [ref, privatePort, extra] = positionals(argv, 'args');
    if (argv.all) {
      if (ref !== undefined) throw new InvalidArgumentError('when using --all, give no container');
      for (const rec of listContainers(ctx)) {
        io.stdout.write(portLines(networkHolder(ctx, rec)).map((l) => `${shortId(rec.id)}\t${l.key} -> ${l.host}\n`).join(''));
      }
      return 0;
    }
    let rec;
    if (argv.latest) {
      const all = listContainers(ctx).sort((a, b) => Date.parse(b.created) - Date.parse(a.created));
      if (all.length === 0) throw new InvalidArgumentError('no containers to show ports of');
      rec = all[0];
    } else {
      if (ref === undefined || extra !== undefined) throw new InvalidArgumentError('port needs one container (and optionally a port): pman port CONTAINER [PORT]');
      rec = resolveContainer(ctx, ref);
    }
    const wanted = argv.latest ? ref : privatePort;
    const lines = portLines(networkHolder(ctx, rec));
    if (wanted !== undefined) {
      if (!/^[0-9]+(\/(tcp|udp|sctp))?$/.test(wanted)) throw new InvalidArgumentError(`invalid port "${wanted}": use PORT or PORT/PROTO`);
      const key = wanted.includes('/') ? wanted : `${wanted}/tcp`;
      const hits = lines.filter((l) => l.key === key);
      if (hits.length === 0) throw new InvalidArgumentError(`failed to find published port "${key}" of container "${rec.name}"`);
      io.stdout.write(hits.map((l) => `${l.host}\n`).join(''));
      return 0;
    }
    io.stdout.write(lines.map((l) => `${l.key} -> ${l.host}\n`).join(''));
    return 0;
  },
};
