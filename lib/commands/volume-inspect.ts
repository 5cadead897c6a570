// pman volume inspect [options] VOLUME...
import type { Argv } from 'yargs';
import { InvalidArgumentError } from '../errors.js';
import { compileTemplate } from '../format/template.js';
import { listVolumeInfos, volumeInfo } from '../volume/list.js';
import { volumeInspectView } from '../volume/view.js';
import { positionals } from './each.js';
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
    const docs: unknown[] = [];
    let code = 0;
    if (argv.all) docs.push(...listVolumeInfos(ctx, []).map((i) => volumeInspectView(ctx, i)));
    for (const name of names) {
      try {
        docs.push(volumeInspectView(ctx, volumeInfo(ctx, name)));
      } catch (err) {
        io.stderr.write(`Error: ${(err as Error).message}\n`);
        code = 125;
      }
    }
    const format = argv.format as string | undefined;
    if (format !== undefined && format !== 'json') {
      const render = compileTemplate(format);
      io.stdout.write(docs.map((d) => `${render(d)}\n`).join(''));
    } else if (docs.length > 0 || code === 0) {
      io.stdout.write(`${JSON.stringify(docs, null, 4)}\n`);
    }
    return code;
  },
};
