// pman wait CONTAINER...: prints each container's exit code once it has stopped.
import type { Argv } from 'yargs';
import fs from 'node:fs';
import { waitForExit } from '../container/wait.js';
import type { Context } from '../context.js';
import { ID_RE } from '../state/ids.js';
import { exitCodeFile } from '../state/paths.js';
import { recordPath } from '../state/containers.js';
import { forEachContainer } from './each.js';
import { positionals } from './argv.js';
import type { CommandSpec } from './types.js';

/** The exit code a --rm container's shim kept when it removed the container, if any. */
function keptExitCode(ctx: Context, id: string): string | undefined {
  try {
    return fs.readFileSync(exitCodeFile(ctx, id), 'utf8').trim();
  } catch {
    return undefined;
  }
}

export const wait: CommandSpec = {
  usage: 'wait CONTAINER...',
  positionals: '[containers..]',
  builder: (y: Argv) => y,
  handler: async (ctx, argv, io) => {
    const refs = positionals(argv, 'containers');
    // A full ID of a --rm container that is already gone still has its exit code.
    const gone = refs.filter((r) => ID_RE.test(r) && !fs.existsSync(recordPath(ctx, r)) && keptExitCode(ctx, r) !== undefined);
    for (const id of gone) io.stdout.write(`${keptExitCode(ctx, id)}\n`);
    const rest = refs.filter((r) => !gone.includes(r));
    if (rest.length === 0 && gone.length > 0) return 0;
    return forEachContainer(ctx, io, rest, { verb: 'wait' }, async (rec) => {
      const after = await waitForExit(ctx, rec.id);
      if (after) return String(after.state.exitCode);
      // Removed meanwhile by --rm: its shim kept the exit code.
      return keptExitCode(ctx, rec.id) ?? '-1';
    });
  },
};
