// pman attach [options] CONTAINER
import type { Argv } from 'yargs';
import { attachSession } from '../container/attach-client.js';
import { reconcile } from '../container/reconcile.js';
import { InvalidArgumentError, InvalidStateError } from '../errors.js';
import { resolveContainer } from '../state/containers.js';
import { detachKeysFlag, detachKeysFrom } from './detach-keys-flag.js';
import type { CommandSpec } from './types.js';

export const attach: CommandSpec = {
  usage: 'attach [options] CONTAINER',
  positionals: '[container]',
  builder: (y: Argv) =>
    detachKeysFlag(y.option('no-stdin', { type: 'boolean', default: false, describe: 'Do not attach stdin' })).option('sig-proxy', { type: 'boolean', default: true, describe: 'Proxy received signals to the container' }),
  handler: async (ctx, argv, io) => {
    const ref = argv.container as string | undefined;
    if (!ref) throw new InvalidArgumentError('attach needs a container name or ID');
    const rec = await reconcile(ctx, resolveContainer(ctx, ref));
    if (rec.state.status !== 'running') {
      throw new InvalidStateError(`cannot attach to container "${rec.name}": it is not running (state ${rec.state.status}); start it with "pman start -a"`);
    }
    const wantStdin = argv['no-stdin'] !== true && rec.config.interactive;
    if (argv['no-stdin'] !== true && !rec.config.interactive && !io.stdin.isTTY) {
      io.stderr.write(`Warning: container "${rec.name}" was not started with -i (--interactive): input is not forwarded\n`);
    }
    const r = await attachSession(ctx, rec, {
      io,
      stdin: wantStdin,
      tty: rec.config.tty,
      start: false,
      detachKeys: detachKeysFrom(argv),
      sigProxy: argv['sig-proxy'] !== false,
    });
    return r.kind === 'exit' ? r.exitCode : 0;
  },
};
