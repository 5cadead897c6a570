// pman volume inspect [options] VOLUME...
import type { Argv } from 'yargs';
import { InvalidArgumentError } from '../errors.js';
import { printInspected } from './inspect-output.js';
import { listVolumeInfos, volumeInfo } from '../volume/list.js';
import { volumeInspectView } from '../volume/view.js';
import { positionals, last } from './argv.js';
import type { CommandSpec } from './types.js';

export const volumeInspect: CommandSpec = {
  usage: 'volume inspect [options] VOLUME...',
  positionals: '[volumes..]',
  builder: (y: Argv) =>
    y
      .option('format', { alias: 'f', type: 'string', describe: 'Go template applied to each volume' })
      .option('all', { alias: 'a', type: 'boolean', default: false, describe: 'Inspect all volumes' }),
  handler: (ctx, argv, io) => {
    const names = positionals(argv, 'volumes');
    if (!argv.all && names.length === 0) throw new InvalidArgumentError('volume inspect needs at least one volume name (or --all)');
    const all = argv.all ? listVolumeInfos(ctx, []).map((i) => volumeInspectView(ctx, i)) : [];
    return printInspected(io, names, (name) => volumeInspectView(ctx, volumeInfo(ctx, name)), last(argv.format), all);
  },
};
