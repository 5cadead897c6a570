// pman rm [options] CONTAINER...
import type { Argv } from 'yargs';
import { removeContainer } from '../container/remove.js';
import { forEachContainer } from './each.js';
import { positionals, timeoutSeconds } from './argv.js';
import type { CommandSpec } from './types.js';

export const rm: CommandSpec = {
  usage: 'rm [options] CONTAINER...',
  positionals: '[containers..]',
  builder: (y: Argv) =>
    y
      .option('force', { alias: 'f', type: 'boolean', default: false, describe: 'Stop and remove running containers' })
      .option('all', { alias: 'a', type: 'boolean', default: false, describe: 'Remove all containers' })
      .option('time', { alias: 't', type: 'string', describe: 'Seconds to wait for stop before killing (with --force)' })
      .option('volumes', { alias: 'v', type: 'boolean', default: false, describe: 'Remove anonymous volumes associated with the container' }),
  handler: async (ctx, argv, io) => {
    const timeout = timeoutSeconds(argv.time);
    const code = await forEachContainer(ctx, io, positionals(argv, 'containers'), { all: argv.all === true, verb: 'rm' }, async (rec) => {
      await removeContainer(ctx, rec.id, { force: argv.force === true, timeout, volumes: argv.volumes === true });
      return rec.id;
    });
    // --all frees what crashes left outside any container too (docs/reliability.md).
    if (argv.all === true && argv.force === true) await (await import('../container/leftovers.js')).freeLeftovers(ctx);
    return code;
  },
};
