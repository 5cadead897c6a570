// pman start [options] CONTAINER...
import type { Argv } from 'yargs';
import { startAttached } from '../container/attach.js';
import { startDetached } from '../container/start.js';
import { InvalidArgumentError } from '../errors.js';
import { resolveContainer } from '../state/containers.js';
import { positionals } from './argv.js';
import { detachKeysFlag, detachKeysFrom } from './detach-keys-flag.js';
import { forEachContainer } from './each.js';
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
      const r = await startAttached(ctx, resolveContainer(ctx, refs[0]), {
        io,
        stdin: argv.interactive === true,
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
