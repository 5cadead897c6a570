// pman run [options] IMAGE [COMMAND [ARG...]]
import type { Argv } from 'yargs';
import { runContainer } from '../container/run.js';
import { createFlags, createOptionsFrom, podFlagTarget } from './create-flags.js';
import { detachKeysFlag, detachKeysFrom } from './detach-keys-flag.js';
import type { CommandSpec } from './types.js';

export const run: CommandSpec = {
  usage: 'run [options] IMAGE [COMMAND [ARG...]]',
  shortHelp: false,
  builder: (y: Argv) =>
    detachKeysFlag(
      createFlags(y).option('detach', { alias: 'd', type: 'boolean', default: false, describe: 'Run in the background and print the container ID' }),
    ).option('sig-proxy', { type: 'boolean', default: true, describe: 'Proxy received signals to the container' }),
  handler: async (ctx, argv, io) => {
    const opts = await podFlagTarget(ctx, createOptionsFrom(argv, (argv._ as unknown[]).map(String), process.env));
    const detach = argv.detach === true;
    const r = await runContainer(ctx, {
      ...opts,
      detach,
      io,
      detachKeys: detachKeysFrom(argv),
      sigProxy: argv['sig-proxy'] !== false,
    });
    if (r.detached) {
      io.stdout.write(`${r.rec.id}\n`);
      return 0;
    }
    return r.result.kind === 'exit' ? r.result.exitCode : 0;
  },
};
