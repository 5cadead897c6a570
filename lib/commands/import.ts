// pman import [options] FILE|- [REFERENCE]
import type { Argv } from 'yargs';
import { importImage } from '../image/store.js';
import { last, list } from './argv.js';
import type { CommandSpec } from './types.js';

export const importCmd: CommandSpec = {
  usage: 'import [options] FILE|- [REFERENCE]',
  positionals: '<source> [reference]',
  builder: (y: Argv) =>
    y
      .option('change', { alias: 'c', type: 'string', describe: 'Apply a Dockerfile instruction to the image (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR); repeatable' })
      .option('message', { alias: 'm', type: 'string', describe: 'Set the commit message (history comment) of the image' })
      .option('arch', { type: 'string', describe: 'Set the architecture of the imported image (default: this machine\'s)' })
      .option('os', { type: 'string', describe: 'Set the OS of the imported image (default linux)' })
      .option('variant', { type: 'string', describe: 'Set the architecture variant of the imported image' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Suppress progress output (pman prints none)' }),
  handler: async (ctx, argv, io) => {
    const image = await importImage(ctx, {
      // yargs turns a lone "-" positional into true.
      source: argv.source === true ? '-' : String(argv.source),
      stdin: io.stdin,
      reference: argv.reference === undefined ? undefined : last(argv.reference)!,
      changes: list(argv.change),
      message: argv.message === undefined ? undefined : last(argv.message)!,
      arch: last(argv.arch),
      os: last(argv.os),
      variant: last(argv.variant),
    });
    io.stdout.write(`sha256:${image.id}\n`);
    return 0;
  },
};
