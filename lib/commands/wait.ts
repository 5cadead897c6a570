// pman wait CONTAINER...: prints each container's exit code once it has stopped.
import type { Argv } from 'yargs';
import { removedExitCode, waitExitCode } from '../container/exit-code.js';
import { positionals } from './argv.js';
import { forEachContainer } from './each.js';
import type { CommandSpec } from './types.js';

export const wait: CommandSpec = {
  usage: 'wait CONTAINER...',
  positionals: '[containers..]',
  builder: (y: Argv) => y,
  handler: async (ctx, argv, io) => {
    const refs = positionals(argv, 'containers');
    // A full ID of a --rm container that is already gone still has its exit code.
    const gone = refs.flatMap((ref) => {
      const code = removedExitCode(ctx, ref);
      return code === undefined ? [] : [{ ref, code }];
    });
    for (const g of gone) io.stdout.write(`${g.code}\n`);
    const rest = refs.filter((r) => !gone.some((g) => g.ref === r));
    if (rest.length === 0 && gone.length > 0) return 0;
    return forEachContainer(ctx, io, rest, { verb: 'wait' }, async (rec) => String(await waitExitCode(ctx, rec)));
  },
};
