// pman start [options] CONTAINER...
import type { Argv } from 'yargs';
import { attachSession } from '../container/attach-client.js';
import { reconcile } from '../container/reconcile.js';
import { spawnShim, startDetached } from '../container/start.js';
import { InvalidArgumentError, InvalidStateError } from '../errors.js';
import { resolveContainer } from '../state/containers.js';
import { forEachContainer } from './each.js';
import { positionals } from './argv.js';
import { detachKeysFlag, detachKeysFrom } from './detach-keys-flag.js';
import type { CommandSpec } from './types.js';

export const start: CommandSpec = {
  usage: 'start [options] CONTAINER...',
  positionals: '[containers..]',
  builder: (y: Argv) =>
    detachKeysFlag(
      y
        .option('attach', { alias: 'a', type: 'boolean', default: false, describe: "Attach the container's output" })
        .option('interactive', { alias: 'i', type: 'boolean', default: false, describe: 'Attach stdin too' }),
    ).option('sig-proxy', { type: 'boolean', describe: 'Proxy signals to the container (default on with --attach)' }),
  handler: async (ctx, argv, io) => {
    const refs = positionals(argv, 'containers');
    if (argv.attach || argv.interactive) {
      if (refs.length !== 1) throw new InvalidArgumentError('start --attach takes exactly one container');
      const rec = await reconcile(ctx, resolveContainer(ctx, refs[0]));
      if (rec.state.status === 'running') throw new InvalidStateError(`container "${rec.name}" is already running: use "pman attach"`);
      await spawnShim(ctx, rec, false);
      const r = await attachSession(ctx, rec, {
        io,
        stdin: argv.interactive === true && rec.config.interactive,
        tty: rec.config.tty,
        start: true,
        detachKeys: detachKeysFrom(argv),
        sigProxy: argv['sig-proxy'] !== false,
      });
      return r.kind === 'exit' ? r.exitCode : 0;
    }
    return forEachContainer(ctx, io, refs, { verb: 'start' }, async (rec, ref) => {
      await startDetached(ctx, rec);
      return ref;
    });
  },
};
