// pman wait CONTAINER...: prints each container's exit code once it has stopped.
import type { Argv } from 'yargs';
import fs from 'node:fs';
import { waitForExit } from '../container/wait.js';
import { exitCodeFile } from '../state/paths.js';
import { forEachContainer, positionals } from './each.js';
import type { CommandSpec } from './types.js';

export const wait: CommandSpec = {
  usage: 'wait CONTAINER...',
  positionals: '[containers..]',
  builder: (y: Argv) => y,
  handler: async (ctx, argv, io) =>
    forEachContainer(ctx, io, positionals(argv, 'containers'), { verb: 'wait' }, async (rec) => {
      const after = await waitForExit(ctx, rec.id);
      if (after) return String(after.state.exitCode);
      // Removed meanwhile by --rm: its shim kept the exit code.
      try {
        return fs.readFileSync(exitCodeFile(ctx, rec.id), 'utf8').trim();
      } catch {
        return '-1';
      }
    }),
};
