// pman version
import type { Argv } from 'yargs';
import { last } from './argv.js';
import { renderObject } from '../format/list-output.js';
import { versionInfo, type VersionInfo } from '../system/version.js';
import type { CommandSpec } from './types.js';

function plain({ Client: c }: VersionInfo): string {
  return `Version:      ${c.Version}\nAPI Version:  ${c.APIVersion}\nNode Version: ${c.NodeVersion}\nOS/Arch:      ${c.OsArch}\n`;
}

export const version: CommandSpec = {
  usage: 'version [options]',
  builder: (y: Argv) =>
    y
      .option('format', { alias: 'f', type: 'string', describe: 'Go template for the output, or json' })
      // podman's global -v/--version (`pman -v` is routed here): one line, as podman prints it.
      .option('version', { alias: 'v', type: 'boolean', hidden: true, describe: 'Print the version in one line' }),
  handler: (_ctx, argv, io) => {
    const format = argv.version === true ? 'pman version {{.Client.Version}}' : last(argv.format);
    const doc = versionInfo();
    // podman renders a template that names neither .Client nor .Server over the client alone
    // (`{{.Version}}`).
    const scope = format && format !== 'json' && !/\.(Client|Server)\b/.test(format) ? doc.Client : doc;
    io.stdout.write(renderObject(scope as typeof doc, format, plain));
    return 0;
  },
};
