// pman load [options]
import fs from 'node:fs';
import type { Argv } from 'yargs';
import { last } from './argv.js';
import { loadImages } from '../image/load.js';
import { refuseTransportPath } from '../image/transport-name.js';
import type { CommandSpec } from './types.js';

export const load: CommandSpec = {
  usage: 'load [options]',
  builder: (y: Argv) =>
    y
      .option('input', { alias: 'i', type: 'string', describe: 'Read the archive from this file, or the image from this directory (an OCI layout, a dir: image) (default: standard input)' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Suppress progress output (pman prints none)' }),
  handler: async (ctx, argv, io) => {
    const input = argv.input === undefined ? undefined : last(argv.input)!;
    if (input !== undefined) refuseTransportPath(input, 'load -i', fs.existsSync);
    const images = await loadImages(ctx, { input, stdin: io.stdin });
    const lines = images.flatMap((i) => (i.names.length > 0 ? i.names : [`sha256:${i.record.id}`]));
    io.stdout.write(lines.map((n) => `Loaded image: ${n}\n`).join(''));
    return 0;
  },
};
