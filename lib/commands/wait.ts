// pman wait CONTAINER...: prints each container's exit code once it has stopped; with --condition
// another state (running, healthy …), printing -1 as podman does.
import type { Argv } from 'yargs';
import { removedExitCode, waitExitCode } from '../container/exit-code.js';
import { parseCondition, waitForCondition, type StateCondition } from '../container/wait-condition.js';
import { list, positionals } from './argv.js';
import { forEachContainer } from './each.js';
import type { CommandSpec } from './types.js';

export const wait: CommandSpec = {
  usage: 'wait [options] CONTAINER...',
  positionals: '[containers..]',
  builder: (y: Argv) =>
    y.option('condition', { type: 'string', describe: 'Condition to wait for: stopped (default), exited, created, running, paused, healthy, unhealthy' }),
  handler: async (ctx, argv, io) => {
    const refs = positionals(argv, 'containers');
    const conditions = list(argv.condition).map(parseCondition);
    const states = conditions.filter((c): c is StateCondition => c !== 'exited');
    if (states.length > 0 && states.length === conditions.length) {
      return forEachContainer(ctx, io, refs, { verb: 'wait' }, async (rec) => {
        await waitForCondition(ctx, rec.id, states);
        return '-1';
      });
    }
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
