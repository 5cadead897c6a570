// pman untag IMAGE [NAME...]
import { untagImage } from '../image/tag.js';
import { positionals } from './argv.js';
import type { CommandSpec } from './types.js';

export const untag: CommandSpec = {
  usage: 'untag IMAGE [NAME...]',
  positionals: '<image> [names..]',
  handler: async (ctx, argv) => {
    await untagImage(ctx, String(argv.image), positionals(argv, 'names'));
    return 0;
  },
};
