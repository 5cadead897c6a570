// pman create [options] IMAGE [COMMAND [ARG...]]
import type { Argv } from 'yargs';
import { createContainer } from '../container/create.js';
import { createFlags, createOptionsFrom, podFlagTarget } from './create-flags.js';
import { beforeCreate, lifecycleFlags, writeCidfile } from './create-compat-flags.js';
import type { CommandSpec } from './types.js';

export const create: CommandSpec = {
  usage: 'create [options] IMAGE [COMMAND [ARG...]]',
  shortHelp: false,
  builder: (y: Argv) =>
    lifecycleFlags(createFlags(y), false).option('preserve-fds', {
      type: 'string',
      describe: 'not supported: pman passes descriptors to the process it starts with them, with pman run and pman exec (0 is accepted)',
    }),
  handler: async (ctx, argv, io) => {
    const opts = await podFlagTarget(ctx, createOptionsFrom(argv, (argv._ as unknown[]).map(String), process.env));
    await beforeCreate(ctx, argv);
    const rec = await createContainer(ctx, opts);
    writeCidfile(argv, rec);
    io.stdout.write(`${rec.id}\n`);
    return 0;
  },
};
