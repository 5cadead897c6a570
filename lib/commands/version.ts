// pman version
import type { Argv } from 'yargs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../project.js';
import { compileTemplate } from '../format/template.js';
import type { CommandSpec } from './types.js';

export function pmanVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

export const version: CommandSpec = {
  usage: 'version [options]',
  builder: (y: Argv) => y.option('format', { alias: 'f', type: 'string', describe: 'Go template for the output' }),
  handler: (_ctx, argv, io) => {
    const data = {
      Client: { Version: pmanVersion(), APIVersion: '1', GoVersion: '', NodeVersion: process.version, OsArch: `linux/${process.arch === 'x64' ? 'amd64' : process.arch}` },
    };
    if (argv.format) io.stdout.write(`${compileTemplate(argv.format as string)(data)}\n`);
    else io.stdout.write(`Version:      ${data.Client.Version}\nAPI Version:  ${data.Client.APIVersion}\nNode Version: ${data.Client.NodeVersion}\nOS/Arch:      ${data.Client.OsArch}\n`);
    return 0;
  },
};
