// pman tag IMAGE NAME...
import { tagImage } from '../image/tag.js';
import { positionals } from './argv.js';
import type { CommandSpec } from './types.js';

export const tag: CommandSpec = {
  usage: 'tag IMAGE NAME...',
  positionals: '<image> [names..]',
  handler: async (ctx, argv) => {
    await tagImage(ctx, String(argv.image), positionals(argv, 'names'));
    return 0;
  },
};
