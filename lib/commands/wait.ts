// pman wait CONTAINER...: prints each container's exit code once it has stopped; with --condition
// another state (running, healthy …), printing -1 as podman does.
import type { Argv } from 'yargs';
import { removedExitCode, waitExitCode } from '../container/exit-code.js';
import { parseCondition, waitForCondition, type StateCondition } from '../container/wait-condition.js';
import { InvalidArgumentError } from '../errors.js';
import { parseGoDuration } from '../format/duration.js';
import { last, list } from './argv.js';
import { forEachContainer, selection } from './each.js';
import type { CommandSpec } from './types.js';

export const wait: CommandSpec = {
  usage: 'wait [options] CONTAINER...',
  positionals: '[containers..]',
  builder: (y: Argv) =>
    y
      .option('condition', { type: 'string', describe: 'Condition to wait for: stopped (default), exited, created, running, paused, healthy, unhealthy (repeatable: any)' })
      .option('interval', { alias: 'i', type: 'string', default: '250ms', describe: 'How often to look at the status, for conditions other than stopped (a Go duration)' })
      .option('latest', { alias: 'l', type: 'boolean', default: false, describe: 'Wait for the latest container pman is aware of' }),
  handler: async (ctx, argv, io) => {
    const interval = parseGoDuration(last(argv.interval) ?? '250ms');
    if (interval === null || interval <= 0n) throw new InvalidArgumentError(`invalid --interval "${last(argv.interval)}": use a duration like 250ms or 1s`);
    const [refs, opts] = selection(argv, 'wait');
    const conditions = list(argv.condition).flatMap((c) => c.split(',')).map(parseCondition);
    const states = conditions.filter((c): c is StateCondition => c !== 'exited');
    if (states.length > 0 && states.length === conditions.length) {
      return forEachContainer(ctx, io, refs, opts, async (rec) => {
        await waitForCondition(ctx, rec.id, states, Math.max(1, Number(interval / 1_000_000n)));
        return '-1';
      });
    }
    if (opts.latest) return forEachContainer(ctx, io, [], opts, async (rec) => String(await waitExitCode(ctx, rec)));
    // A full ID of a --rm container that is already gone still has its exit code.
    const gone = refs.flatMap((ref) => {
      const code = removedExitCode(ctx, ref);
      return code === undefined ? [] : [{ ref, code }];
    });
    for (const g of gone) io.stdout.write(`${g.code}\n`);
    const rest = refs.filter((r) => !gone.some((g) => g.ref === r));
    if (rest.length === 0 && gone.length > 0) return 0;
    return forEachContainer(ctx, io, rest, opts, async (rec) => String(await waitExitCode(ctx, rec)));
  },
};
