// pman run [options] IMAGE [COMMAND [ARG...]]
import type { Argv } from 'yargs';
import { runContainer } from '../container/run.js';
import { createFlags, createOptionsFrom, podFlagTarget } from './create-flags.js';
import { detachKeysFlag, detachKeysFrom } from './detach-keys-flag.js';
import { InvalidArgumentError } from '../errors.js';
import { beforeCreate, lifecycleFlags, removeRunImage, writeCidfile } from './create-compat-flags.js';
import type { CommandSpec } from './types.js';

export const run: CommandSpec = {
  usage: 'run [options] IMAGE [COMMAND [ARG...]]',
  shortHelp: false,
  builder: (y: Argv) =>
    detachKeysFlag(
      lifecycleFlags(createFlags(y), true).option('detach', { alias: 'd', type: 'boolean', default: false, describe: 'Run in the background and print the container ID' }),
    ).option('sig-proxy', { type: 'boolean', default: true, describe: 'Proxy received signals to the container' }),
  handler: async (ctx, argv, io) => {
    const opts = await podFlagTarget(ctx, createOptionsFrom(argv, (argv._ as unknown[]).map(String), process.env));
    const detach = argv.detach === true;
    const rmi = argv.rmi === true;
    if (rmi && detach) throw new InvalidArgumentError('--rmi with --detach is not supported: pman removes the image when a foreground run ends');
    await beforeCreate(ctx, argv);
    // --preserve-fds: run hands them to the shim it spawns (create refuses them, lib/container/extras.ts).
    const fdsGiven = opts.extras?.preserveFds;
    if (opts.extras) opts.extras.preserveFds = undefined;
    const preservedFds = fdsGiven === undefined ? undefined : (await import('../container/exec-fds.js')).preservedFds((await import('../container/parse/extras.js')).parseCount(fdsGiven, '--preserve-fds'));
    const r = await runContainer(ctx, {
      ...opts,
      preservedFds,
      rm: opts.rm || rmi,
      detach,
      io,
      detachKeys: detachKeysFrom(argv),
      sigProxy: argv['sig-proxy'] !== false,
      onCreated: (rec) => writeCidfile(argv, rec),
    });
    if (r.detached) {
      io.stdout.write(`${r.rec.id}\n`);
      return 0;
    }
    if (rmi) await removeRunImage(ctx, r.rec, opts.image);
    return r.result.kind === 'exit' ? r.result.exitCode : 0;
  },
};
