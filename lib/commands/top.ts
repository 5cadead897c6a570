// pman top [options] CONTAINER [FORMAT-DESCRIPTORS...]
import type { Argv } from 'yargs';
import { parseDescriptors, topContainer } from '../container/top.js';
import { InvalidArgumentError } from '../errors.js';
import { alignColumns } from '../format/tabwriter.js';
import { resolveContainer } from '../state/containers.js';
import { positionals } from './argv.js';
import { PODMAN_COLUMNS } from '../format/list-output.js';
import type { CommandSpec } from './types.js';

export const top: CommandSpec = {
  usage: 'top [options] CONTAINER [FORMAT-DESCRIPTORS...]',
  positionals: '[args..]',
  builder: (y: Argv) => y.parserConfiguration({ 'unknown-options-as-args': true }),
  handler: async (ctx, argv, io) => {
    const [ref, ...rest] = positionals(argv, 'args');
    if (ref === undefined) throw new InvalidArgumentError('top needs a container: pman top CONTAINER [DESCRIPTORS...]');
    const descriptors = parseDescriptors(rest);
    const t = await topContainer(ctx, resolveContainer(ctx, ref), descriptors);
    const text = [t.headers, ...t.rows].map((r) => `${r.join('\t')}\n`).join('');
    io.stdout.write(alignColumns(text, PODMAN_COLUMNS));
    return 0;
  },
};
