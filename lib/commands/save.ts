// pman save [options] IMAGE [NAME...]
import type { Argv } from 'yargs';
import { InvalidArgumentError } from '../errors.js';
import { DIRECTORY_FORMATS, SAVE_FORMATS, saveImages, saveToDirectory, type SaveFormat } from '../image/save.js';
import { writeOutput } from '../archive/output.js';
import { refuseTransportPath } from '../image/transport-name.js';
import { list, last } from './argv.js';
import type { CommandSpec } from './types.js';
import { checkSaveCompat, saveCompatFlags } from './transfer-compat-flags.js';

export const save: CommandSpec = {
  usage: 'save [options] IMAGE [NAME...]',
  positionals: '[images..]',
  builder: (y: Argv) =>
    saveCompatFlags(y)
      .option('output', { alias: 'o', type: 'string', describe: 'Write to this file, or directory for oci-dir and docker-dir (default: standard output, which must be redirected)' })
      .option('format', { type: 'string', default: 'docker-archive', describe: `Archive format: ${SAVE_FORMATS.join(', ')}` })
      .option('multi-image-archive', { alias: 'm', type: 'boolean', default: false, describe: 'Every argument is an image, not a name (docker-archive only)' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Suppress progress output (pman prints none)' }),
  handler: async (ctx, argv, io) => {
    checkSaveCompat(argv);
    const format = last(argv.format)! as SaveFormat;
    if (!SAVE_FORMATS.includes(format)) throw new InvalidArgumentError(`unsupported --format "${format}": use ${SAVE_FORMATS.join(', ')}`);
    const output = argv.output === undefined || argv.output === '-' ? undefined : last(argv.output)!;
    if (output !== undefined) refuseTransportPath(output, 'save -o');
    const opts = { refs: list(argv.images), format, multiImage: argv.multiImageArchive === true, compress: argv.compress === true };
    if (DIRECTORY_FORMATS.includes(format)) {
      if (output === undefined) throw new InvalidArgumentError(`--format ${format} writes a directory: give it with -o DIR`);
      await saveToDirectory(ctx, opts, output);
      return 0;
    }
    if (output === undefined && io.stdout.isTTY) throw new InvalidArgumentError('refusing to write an archive to a terminal: use -o FILE or redirect standard output');
    await writeOutput(saveImages(ctx, opts), output === undefined ? { stream: io.stdout } : { file: output });
    return 0;
  },
};
