// pman pod top POD [FORMAT-DESCRIPTORS...]: the processes of every running container of the pod
// (its infra's catatonit included), in one table.
import type { Argv } from 'yargs';
import { parseDescriptors, topContainer } from '../container/top.js';
import { InvalidArgumentError } from '../errors.js';
import { PODMAN_COLUMNS } from '../format/list-output.js';
import { alignColumns } from '../format/tabwriter.js';
import { podContainers } from '../pod/members.js';
import { isRunning } from '../state/container-status.js';
import { resolvePod } from '../state/pods.js';
import { PARSER_CONFIG, positionals } from './argv.js';
import type { CommandSpec } from './types.js';

export const podTop: CommandSpec = {
  usage: 'pod top POD [FORMAT-DESCRIPTORS...]',
  positionals: '[args..]',
  builder: (y: Argv) => y.parserConfiguration({ ...PARSER_CONFIG, 'unknown-options-as-args': true, 'parse-numbers': false }),
  handler: async (ctx, argv, io) => {
    const [ref, ...rest] = positionals(argv, 'args');
    if (ref === undefined) throw new InvalidArgumentError('pod top needs a pod: pman pod top POD [DESCRIPTORS...]');
    const descriptors = parseDescriptors(rest);
    const pod = resolvePod(ctx, ref);
    const running = (await podContainers(ctx, pod)).filter(isRunning);
    // podman 4.3.1 prints nothing (no header either) and exits 0 when none runs.
    if (running.length === 0) return 0;
    const tables = [];
    for (const c of running) tables.push(await topContainer(ctx, c, descriptors));
    const rows = tables.flatMap((t) => t.rows);
    io.stdout.write(alignColumns([tables[0].headers, ...rows].map((r) => `${r.join('\t')}\n`).join(''), PODMAN_COLUMNS));
    return 0;
  },
};
