// pman wait CONTAINER...: prints each container's exit code once it has stopped.
import type { Argv } from 'yargs';
import { removedExitCode, waitExitCode } from '../container/exit-code.js';
import { reconcile } from '../container/reconcile.js';
import { InvalidArgumentError } from '../errors.js';
import { parseGoDuration } from '../format/duration.js';
import { isExited } from '../state/container-status.js';
import { loadContainer } from '../state/containers.js';
import { last, list, positionals } from './argv.js';
import { forEachContainer, selection } from './each.js';
import type { CommandSpec } from './types.js';

const CONDITIONS = ['stopped', 'exited', 'running', 'paused', 'created'];

export const wait: CommandSpec = {
  usage: 'wait [options] CONTAINER...',
  positionals: '[containers..]',
  builder: (y: Argv) =>
    y
      .option('condition', { type: 'string', describe: 'Status to wait for: stopped (default), exited, running, paused, created (repeatable: any)' })
      .option('interval', { alias: 'i', type: 'string', default: '250ms', describe: 'How often to look at the status, for conditions other than stopped (a Go duration)' })
      .option('latest', { alias: 'l', type: 'boolean', default: false, describe: 'Wait for the latest container pman is aware of' }),
  handler: async (ctx, argv, io) => {
    const conditions = list(argv.condition).flatMap((c) => c.split(','));
    for (const c of conditions) {
      if (!CONDITIONS.includes(c)) throw new InvalidArgumentError(`invalid --condition "${c}": use ${CONDITIONS.join(', ')}`);
    }
    const interval = parseGoDuration(last(argv.interval) ?? '250ms');
    if (interval === null || interval <= 0n) throw new InvalidArgumentError(`invalid --interval "${last(argv.interval)}": use a duration like 250ms or 1s`);
    if (conditions.length > 0 && !conditions.every((c) => c === 'stopped' || c === 'exited')) {
      // podman polls for the other states at --interval, and prints -1 once one is reached.
      const [refs, opts] = selection(argv, 'wait');
      return forEachContainer(ctx, io, refs, opts, async (rec) => {
        for (;;) {
          const now = await reconcile(ctx, loadContainer(ctx, rec.id));
          if (conditions.includes(now.state.status) || (conditions.includes('stopped') && isExited(now))) return '-1';
          await new Promise((r) => setTimeout(r, Number(interval / 1_000_000n)));
        }
      });
    }
    if (argv.latest === true) return forEachContainer(ctx, io, [], { verb: 'wait', latest: true }, async (rec) => String(await waitExitCode(ctx, rec)));
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
