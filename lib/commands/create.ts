// pman create [options] IMAGE [COMMAND [ARG...]]
import type { Argv } from 'yargs';
import { createContainer } from '../container/create.js';
import { createFlags, createOptionsFrom, podFlagTarget } from './create-flags.js';
import type { CommandSpec } from './types.js';

export const create: CommandSpec = {
  usage: 'create [options] IMAGE [COMMAND [ARG...]]',
  shortHelp: false,
  builder: (y: Argv) => createFlags(y),
  handler: async (ctx, argv, io) => {
    const rec = await createContainer(ctx, await podFlagTarget(ctx, createOptionsFrom(argv, (argv._ as unknown[]).map(String), process.env)));
    io.stdout.write(`${rec.id}\n`);
    return 0;
  },
};
