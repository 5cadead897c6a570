// pman export [options] CONTAINER
import type { Argv } from 'yargs';
import { last } from './argv.js';
import { InvalidArgumentError } from '../errors.js';
import { exportContainer } from '../container/export.js';
import { writeOutput } from '../archive/output.js';
import type { CommandSpec } from './types.js';

export const exportCmd: CommandSpec = {
  usage: 'export [options] CONTAINER',
  positionals: '<container>',
  builder: (y: Argv) => y.option('output', { alias: 'o', type: 'string', describe: 'Write to this file (default: standard output, which must be redirected)' }),
  handler: async (ctx, argv, io) => {
    const output = argv.output === undefined || argv.output === '-' ? undefined : last(argv.output)!;
    if (output === undefined && io.stdout.isTTY) throw new InvalidArgumentError('refusing to write an archive to a terminal: use -o FILE or redirect standard output');
    await exportContainer(ctx, String(argv.container), (tar) => writeOutput(tar, output === undefined ? { stream: io.stdout } : { file: output }));
    return 0;
  },
};
