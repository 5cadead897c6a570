// pman start [options] CONTAINER...
import type { Argv } from 'yargs';
import { startAttached } from '../container/attach.js';
import { startDetached } from '../container/start.js';
import { InvalidArgumentError, RuntimeError, exitCodeOf } from '../errors.js';
import { isRunningNotPaused } from '../state/container-status.js';
import { detachKeysFlag, detachKeysFrom } from './detach-keys-flag.js';
import { forEachContainer, selectionFrom } from './each.js';
import type { CommandSpec } from './types.js';
import { latestFlag, namedOrLatest } from './latest-flag.js';

export const start: CommandSpec = {
  usage: 'start [options] CONTAINER...',
  positionals: '[containers..]',
  builder: (y: Argv) =>
    detachKeysFlag(
      latestFlag(y)
        .option('all', { type: 'boolean', default: false, describe: 'Start all containers (with --filter: those matching)' })
        .option('filter', { alias: 'f', type: 'string', describe: 'Start the containers matching a ps filter (key=value)' })
        .option('attach', { alias: 'a', type: 'boolean', default: false, describe: "Attach the container's output" })
        .option('interactive', { alias: 'i', type: 'boolean', default: false, describe: 'Attach stdin too' }),
    ).option('sig-proxy', { type: 'boolean', describe: 'Proxy signals to the container (default on with --attach)' }),
  handler: async (ctx, argv, io) => {
    const { refs, opts } = selectionFrom(argv, 'containers', 'start');
    if (argv.attach || argv.interactive) {
      if (refs.length > 1 || opts.all || opts.filters?.length) throw new InvalidArgumentError('start --attach takes exactly one container');
      const [rec] = namedOrLatest(ctx, argv, refs, 'start --attach');
      const r = await startFailure(
        startAttached(ctx, rec, {
          io,
          stdin: argv.interactive === true,
          detachKeys: detachKeysFrom(argv),
          sigProxy: argv['sig-proxy'] !== false,
        }),
      );
      return r.kind === 'exit' ? r.exitCode : 0;
    }
    return forEachContainer(ctx, io, refs, opts, async (rec, ref) => {
      // podman: starting a running container succeeds and prints nothing (scripts "ensure up").
      if (isRunningNotPaused(rec)) return undefined;
      await startFailure(startDetached(ctx, rec));
      return ref;
    });
  },
};

/**
 * podman's start exits 125 when the runtime cannot start the container, a missing or
 * non-executable command included (run exits 127 and 126 for those, and 126 for the others).
 */
async function startFailure<T>(starting: Promise<T>): Promise<T> {
  try {
    return await starting;
  } catch (err) {
    const code = exitCodeOf(err);
    if (code === 126 || code === 127) throw new RuntimeError((err as Error).message, { cause: err, exitCode: 125 });
    throw err;
  }
}
