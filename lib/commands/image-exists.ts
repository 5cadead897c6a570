// pman image exists IMAGE: exit 0 when the image is in local storage, 1 when it is not.
import { NotFoundError } from '../errors.js';
import { resolveImage } from '../image/resolve.js';
import type { CommandSpec } from './types.js';

export const imageExists: CommandSpec = {
  usage: 'image exists IMAGE',
  positionals: '<image>',
  handler: (ctx, argv) => {
    try {
      resolveImage(ctx, String(argv.image));
      return 0;
    } catch (err) {
      if (err instanceof NotFoundError) return 1;
      throw err;
    }
  },
};
