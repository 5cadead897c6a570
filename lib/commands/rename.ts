// pman rename CONTAINER NEWNAME
import { renameContainer } from '../container/rename.js';
import { InvalidArgumentError } from '../errors.js';
import type { CommandSpec } from './types.js';

export const rename: CommandSpec = {
  usage: 'rename CONTAINER NEWNAME',
  positionals: '<container> [newname]',
  handler: async (ctx, argv) => {
    if (argv.newname === undefined) throw new InvalidArgumentError('missing argument: usage: pman rename CONTAINER NEWNAME');
    await renameContainer(ctx, String(argv.container), String(argv.newname));
    return 0;
  },
};
