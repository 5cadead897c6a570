// pman pod rm [options] POD...: prints each removed pod's ID.
import type { Argv } from 'yargs';
import { removePod } from '../pod/remove.js';
import { positionals, timeoutSeconds } from './argv.js';
import { forEachPod } from './pod-each.js';
import type { CommandSpec } from './types.js';

export const podRm: CommandSpec = {
  usage: 'pod rm [options] POD...',
  positionals: '[pods..]',
  builder: (y: Argv) =>
    y
      .option('all', { alias: 'a', type: 'boolean', default: false, describe: 'Remove all pods' })
      .option('force', { alias: 'f', type: 'boolean', default: false, describe: 'Stop running containers first' })
      .option('ignore', { alias: 'i', type: 'boolean', default: false, describe: 'Ignore errors when a pod does not exist' })
      .option('time', { alias: 't', type: 'string', describe: 'Seconds to wait before killing running containers (with --force)' }),
  handler: async (ctx, argv, io) => {
    const refs = positionals(argv, 'pods');
    const { resolvePod } = await import('../state/pods.js');
    // podman: a pod that does not exist is exit 1, passed over with --ignore or --force.
    const ignore = argv.ignore === true || argv.force === true;
    const wanted = ignore ? refs.filter((r) => { try { resolvePod(ctx, r); return true; } catch { return false; } }) : refs;
    if (ignore && refs.length > 0 && wanted.length === 0) return 0;
    const opts = { force: argv.force === true, timeout: timeoutSeconds(argv.time) };
    return forEachPod(ctx, io, wanted, { all: argv.all === true, verb: 'rm', notFoundExit: 1 }, async (pod) => {
      await removePod(ctx, pod.id, opts);
      return pod.id;
    });
  },
};
