// pman top [options] CONTAINER [FORMAT-DESCRIPTORS...]
import type { Argv } from 'yargs';
import { parseDescriptors, topContainer } from '../container/top.js';
import { InvalidArgumentError } from '../errors.js';
import { alignColumns } from '../format/tabwriter.js';
import { resolveContainer } from '../state/containers.js';
import { positionals } from './argv.js';
import { PODMAN_COLUMNS } from '../format/list-output.js';
import type { CommandSpec } from './types.js';
import { latestContainer, latestFlag } from './latest-flag.js';

export const top: CommandSpec = {
  usage: 'top [options] CONTAINER [FORMAT-DESCRIPTORS...]',
  positionals: '[args..]',
  builder: (y: Argv) => latestFlag(y).parserConfiguration({ 'unknown-options-as-args': true }),
  handler: async (ctx, argv, io) => {
    const words = positionals(argv, 'args');
    // With --latest every word is a descriptor (podman: `top -l pid args`).
    const [ref, ...rest] = argv.latest === true ? ['', ...words] : words;
    if (ref === undefined) throw new InvalidArgumentError('top needs a container: pman top CONTAINER [DESCRIPTORS...]');
    const descriptors = parseDescriptors(rest);
    const t = await topContainer(ctx, argv.latest === true ? latestContainer(ctx) : resolveContainer(ctx, ref), descriptors);
    const text = [t.headers, ...t.rows].map((r) => `${r.join('\t')}\n`).join('');
    io.stdout.write(alignColumns(text, PODMAN_COLUMNS));
    return 0;
  },
};
