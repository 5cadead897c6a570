// pman wait CONTAINER...: prints each container's exit code once it has stopped.
import type { Argv } from 'yargs';
import { waitForExit } from '../container/wait.js';
import { forEachContainer, positionals } from './each.js';
import type { CommandSpec } from './types.js';

export const wait: CommandSpec = {
  usage: 'wait CONTAINER...',
  positionals: '[containers..]',
  builder: (y: Argv) => y,
  handler: async (ctx, argv, io) =>
    forEachContainer(ctx, io, positionals(argv, 'containers'), { verb: 'wait' }, async (rec) => {
      const after = await waitForExit(ctx, rec.id);
      // Removed meanwhile (--rm): its last status is no longer known.
      return String(after ? after.state.exitCode : -1);
    }),
};
