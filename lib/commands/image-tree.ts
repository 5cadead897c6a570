// pman image tree [--whatrequires] IMAGE: an image's layers as a tree (podman 4.3.1's image tree).
import type { Argv } from 'yargs';
import { imageTree, renderImageTree } from '../image/tree.js';
import type { CommandSpec } from './types.js';

export const imageTreeCmd: CommandSpec = {
  usage: 'image tree [options] IMAGE',
  positionals: '<image>',
  builder: (y: Argv) => y.option('whatrequires', { type: 'boolean', default: false, describe: 'Show all child images and layers of the specified image' }),
  handler: (ctx, argv, io) => {
    const opts = { whatRequires: argv.whatrequires === true };
    io.stdout.write(renderImageTree(imageTree(ctx, String(argv.image), opts), opts));
    return 0;
  },
};
