// pman container exists CONTAINER: exit 0 when the container exists, 1 when it does not (podman).
import type { Argv } from 'yargs';
import { NotFoundError } from '../errors.js';
import { resolveContainer } from '../state/containers.js';
import type { CommandSpec } from './types.js';

export const containerExists: CommandSpec = {
  usage: 'container exists [options] CONTAINER',
  positionals: '<container>',
  builder: (y: Argv) => y.option('external', { type: 'boolean', default: false, describe: 'Also look at containers not made by pman (there are none: accepted for podman scripts)' }),
  handler: (ctx, argv) => {
    try {
      resolveContainer(ctx, String(argv.container));
      return 0;
    } catch (err) {
      if (err instanceof NotFoundError) return 1;
      throw err;
    }
  },
};
