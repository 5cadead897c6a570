// pman run [options] IMAGE [COMMAND [ARG...]]
import type { Argv } from 'yargs';
import { runContainer } from '../container/run.js';
import { DEFAULT_DETACH_KEYS, parseDetachKeys } from '../container/parse/detach-keys.js';
import { createFlags, createOptionsFrom, last } from './create-flags.js';
import type { CommandSpec } from './types.js';

export const run: CommandSpec = {
  usage: 'run [options] IMAGE [COMMAND [ARG...]]',
  shortHelp: false,
  builder: (y: Argv) =>
    createFlags(y)
      .option('detach', { alias: 'd', type: 'boolean', default: false, describe: 'Run in the background and print the container ID' })
      .option('detach-keys', { type: 'string', describe: `Key sequence for detaching (default "${DEFAULT_DETACH_KEYS}", "" disables)` })
      .option('sig-proxy', { type: 'boolean', default: true, describe: 'Proxy received signals to the container' }),
  handler: async (ctx, argv, io) => {
    const opts = createOptionsFrom(argv, (argv._ as unknown[]).map(String), process.env);
    const detach = argv.detach === true;
    const r = await runContainer(ctx, {
      ...opts,
      detach,
      io,
      detachKeys: parseDetachKeys(last(argv['detach-keys']) ?? DEFAULT_DETACH_KEYS),
      sigProxy: argv['sig-proxy'] !== false,
    });
    if (r.detached) {
      io.stdout.write(`${r.rec.id}\n`);
      return 0;
    }
    return r.result.kind === 'exit' ? r.result.exitCode : 0;
  },
};
