// pman rm [options] CONTAINER...
import type { Argv } from 'yargs';
import { removeContainer } from '../container/remove.js';
import { InvalidStateError, PmanError } from '../errors.js';
import { forEachContainer, selectionFrom } from './each.js';
import { timeoutSeconds } from './argv.js';
import type { CommandSpec } from './types.js';

export const rm: CommandSpec = {
  usage: 'rm [options] CONTAINER...',
  positionals: '[containers..]',
  builder: (y: Argv) =>
    y
      .option('force', { alias: 'f', type: 'boolean', default: false, describe: 'Stop and remove running containers' })
      .option('all', { alias: 'a', type: 'boolean', default: false, describe: 'Remove all containers' })
      .option('time', { alias: 't', type: 'string', describe: 'Seconds to wait for stop before killing (with --force)' })
      .option('volumes', { alias: 'v', type: 'boolean', default: false, describe: 'Remove anonymous volumes associated with the container' })
      .option('cidfile', { type: 'string', describe: 'Read the container ID from the file (repeatable)' })
      .option('depend', { type: 'boolean', default: false, describe: 'Also remove the containers that depend on it (--requires)' })
      .option('filter', { type: 'string', describe: 'Remove the containers matching a ps filter (repeatable)' })
      .option('ignore', { alias: 'i', type: 'boolean', default: false, describe: 'Ignore errors when a specified container is missing' })
      .option('latest', { alias: 'l', type: 'boolean', default: false, describe: 'Act on the latest container pman is aware of' }),
  handler: async (ctx, argv, io) => {
    const timeout = timeoutSeconds(argv.time);
    const force = argv.force === true;
    // podman: a name that matches nothing is exit 1 (passed over with --force or --ignore), a
    // running container without --force 2.
    const { refs, opts } = selectionFrom(argv, 'containers', 'rm', argv.ignore === true || force);
    const code = await forEachContainer(ctx, io, refs, { ...opts, notFoundExit: 1 }, async (rec, ref) => {
      try {
        // --all removes everything anyway: dependents first, whatever the listing order.
        const dependentsRemoved: string[] = [];
        const removed = await removeContainer(ctx, rec.id, { force, timeout, volumes: argv.volumes === true, depend: argv.depend === true || argv.all === true, dependentsRemoved });
        if (!removed && argv.all === true) return undefined; // went as another's dependent: printed then
        if (dependentsRemoved.length > 0) return [...dependentsRemoved, rec.id].join('\n'); // podman: IDs then
      } catch (err) {
        if (err instanceof InvalidStateError && !force) throw new PmanError('invalid-state', err.message, { exitCode: 2 });
        throw err;
      }
      return ref; // as podman: the name or ID as given (--all and --filter give full IDs)
    });
    // --all frees what crashes left outside any container too (docs/reliability.md).
    if (argv.all === true && argv.force === true) await (await import('../container/leftovers.js')).freeLeftovers(ctx);
    return code;
  },
};
