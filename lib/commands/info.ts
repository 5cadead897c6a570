// pman info: where state lives, the runtime and its version, rootless or not, storage, cgroups.
import type { Argv } from 'yargs';
import { last } from './argv.js';
import { renderObject } from '../format/list-output.js';
import { toYaml } from '../format/yaml.js';
import { systemInfo } from '../system/info.js';
import type { CommandSpec } from './types.js';

export const info: CommandSpec = {
  usage: 'info [options]',
  builder: (y: Argv) => y.option('format', { alias: 'f', type: 'string', describe: 'Go template for the output, or json' }),
  handler: async (ctx, argv, io) => {
    const data = await systemInfo(ctx);
    io.stdout.write(renderObject(data, last(argv.format), (d) => toYaml(d)));
    return 0;
  },
};
