// pman info: podman's info document — host, OCI runtime, security, store, plugins, version — as
// YAML (podman's plain form), JSON, or a template over podman's Go field names.
import { createRequire } from 'node:module';
import type { Argv } from 'yargs';
import { renderObject } from '../format/list-output.js';
import { goNames, systemInfo } from '../system/info.js';
import { last } from './argv.js';
import type { CommandSpec } from './types.js';

/** The yaml package, loaded only here (info is off every hot path). */
function toYaml(doc: object): string {
  const { stringify } = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  return stringify(doc, { lineWidth: 0 });
}

export const info: CommandSpec = {
  usage: 'info [options]',
  builder: (y: Argv) => y.option('format', { alias: 'f', type: 'string', describe: 'Go template for the output, or json' }),
  handler: async (ctx, argv, io) => {
    const data = goNames(await systemInfo(ctx));
    io.stdout.write(renderObject(data, last(argv.format), (d) => toYaml(d)));
    return 0;
  },
};
