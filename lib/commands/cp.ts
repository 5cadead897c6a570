// pman cp [options] SRC_PATH DEST_PATH: CONTAINER:PATH on one side, a host path or "-" (a tar
// stream on standard input or output) on the other.
import type { Argv } from 'yargs';
import { copyFiles } from '../container/cp.js';
import { InvalidArgumentError } from '../errors.js';
import { positionals } from './argv.js';
import type { CommandSpec } from './types.js';

export const cp: CommandSpec = {
  usage: 'cp [options] [CONTAINER:]SRC_PATH [CONTAINER:]DEST_PATH',
  positionals: '[paths..]',
  builder: (y: Argv) =>
    y
      .option('archive', { alias: 'a', type: 'string', describe: 'Files copied into the container belong to its user (default true; false keeps the owners)' })
      .option('overwrite', { type: 'boolean', default: false, describe: 'Accepted for compatibility: directories and files are always replaced' }),
  handler: async (ctx, argv, io) => {
    const paths = positionals(argv, 'paths');
    if (paths.length !== 2) throw new InvalidArgumentError('cp needs a source and a destination: pman cp [CONTAINER:]SRC [CONTAINER:]DEST');
    const a = argv.archive === undefined || argv.archive === '' ? 'true' : String(argv.archive);
    if (a !== 'true' && a !== 'false') throw new InvalidArgumentError(`invalid --archive "${a}": use true or false`);
    await copyFiles(ctx, { source: paths[0], destination: paths[1], archive: a === 'true', stdin: io.stdin, stdout: io.stdout }, process.cwd());
    return 0;
  },
};
