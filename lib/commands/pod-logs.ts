// pman pod logs [options] POD: the logs of the pod's containers (not its infra's), each line
// prefixed with its container's name; -c picks one container.
import type { Argv } from 'yargs';
import { InvalidArgumentError, NotFoundError } from '../errors.js';
import { podContainers } from '../pod/members.js';
import { resolvePod } from '../state/pods.js';
import { last } from './argv.js';
import { logsFlags, printLogs } from './logs.js';
import type { CommandSpec } from './types.js';

export const podLogs: CommandSpec = {
  usage: 'pod logs [options] POD',
  positionals: '[pod]',
  builder: (y: Argv) => logsFlags(y).option('container', { alias: 'c', type: 'string', describe: 'Show only this container of the pod (name or ID)' }),
  handler: async (ctx, argv, io) => {
    if (argv.pod === undefined) throw new InvalidArgumentError('pod logs needs a pod name or ID');
    const pod = resolvePod(ctx, String(argv.pod));
    let recs = (await podContainers(ctx, pod)).filter((c) => c.id !== pod.infraId);
    const only = last(argv.container);
    if (only !== undefined) {
      recs = recs.filter((c) => c.name === only || c.id.startsWith(only));
      if (recs.length === 0) throw new NotFoundError(`pod "${pod.name}" has no container "${only}"`);
    }
    // podman 4.3.1: a pod without containers (or only its infra) has no logs: nothing, exit 0.
    if (recs.length === 0) return 0;
    return printLogs(ctx, { ...argv, names: argv.names === true || only === undefined }, io, recs);
  },
};
