// pman system reset [-f]: removes all containers, images, volumes, networks and state.
import type { Argv } from 'yargs';
import { systemReset } from '../system/reset.js';
import { confirm } from './prompt.js';
import type { CommandSpec } from './types.js';

export const systemResetCmd: CommandSpec = {
  usage: 'system reset [options]',
  positionals: '',
  builder: (y: Argv) => y.option('force', { alias: 'f', type: 'boolean', default: false, describe: 'Do not ask for confirmation' }),
  handler: async (ctx, argv, io) => {
    const question =
      `WARNING! This will remove:\n\t- all containers\n\t- all images\n\t- all networks\n\t- all volumes\n` +
      `and delete ${ctx.root} and ${ctx.runroot}.\nAre you sure you want to continue? [y/N] `;
    if (argv.force !== true && !(await confirm(io, question))) return 0;
    const { errors } = await systemReset(ctx);
    for (const e of errors) io.stderr.write(`Error: ${e.message}\n`);
    return errors.length ? 125 : 0;
  },
};
