// pman init [--all] [--latest] CONTAINER...: podman's `container init` (lib/container/init.ts).
import type { Argv } from 'yargs';
import { initContainer } from '../container/init.js';
import { isCreated, isExited } from '../state/container-status.js';
import { forEachContainer, selection } from './each.js';
import { latestFlag } from './latest-flag.js';
import type { CommandSpec } from './types.js';

export const init: CommandSpec = {
  usage: 'init [options] CONTAINER...',
  positionals: '[containers..]',
  builder: (y: Argv) => latestFlag(y).option('all', { alias: 'a', type: 'boolean', default: false, describe: 'Initialize all containers that are not running' }),
  handler: (ctx, argv, io) => {
    const [refs, opts] = selection(argv, 'init');
    return forEachContainer(ctx, io, refs, opts, async (rec, ref) => {
      // --all passes over those running or initialized already, as podman's does.
      if (opts.all && !isCreated(rec) && !isExited(rec)) return undefined;
      await initContainer(ctx, rec);
      return ref;
    });
  },
};
