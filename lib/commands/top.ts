// pman top [options] CONTAINER [FORMAT-DESCRIPTORS...]: podman's AIX descriptors read from /proc;
// any argument that is not one (ps options like -ef or -o pid,comm) hands the whole list to ps(1)
// run inside the container, as podman does (docs/commands.md).
import type { Argv } from 'yargs';
import { isDescriptor, parseDescriptors, topContainer } from '../container/top.js';
import { allDescriptorsKnown } from '../container/top-extra.js';
import { InvalidArgumentError, exitCodeOf } from '../errors.js';
import { alignColumns } from '../format/tabwriter.js';
import { resolveContainer } from '../state/containers.js';
import type { ContainerRecord } from '../state/container-record.js';
import type { Context } from '../context.js';
import { PARSER_CONFIG, positionals } from './argv.js';
import { PODMAN_COLUMNS } from '../format/list-output.js';
import type { CommandSpec, IO } from './types.js';
import { latestContainer, latestFlag } from './latest-flag.js';

/** ps(1) of the container with the user's arguments; its output and status are top's. */
async function containerPs(ctx: Context, rec: ContainerRecord, args: string[], io: IO): Promise<number> {
  const { execInContainer } = await import('../container/exec.js');
  const noPs = () => new InvalidArgumentError(`unknown top descriptors in "${args.join(' ')}", and the container has no ps(1) to pass them to: use descriptors of pman top --help`);
  const r = await execInContainer(ctx, rec, {
    command: ['ps', ...args],
    interactive: false,
    tty: false,
    detach: false,
    env: [],
    envFiles: [],
    hostEnv: {},
    user: '0',
    privileged: false,
    detachKeys: null,
    io,
  }).catch((err: unknown) => {
    // runc could not find or run it (exit 127/126): say so in top's terms.
    throw [126, 127].includes(exitCodeOf(err)) ? noPs() : err;
  });
  const code = r.kind === 'exit' ? r.exitCode : 0;
  if (code === 126 || code === 127) throw noPs();
  return code;
}

export const top: CommandSpec = {
  usage: 'top [options] CONTAINER [FORMAT-DESCRIPTORS...]',
  positionals: '[args..]',
  builder: (y: Argv) => latestFlag(y).parserConfiguration({ ...PARSER_CONFIG, 'unknown-options-as-args': true, 'parse-numbers': false }),
  handler: async (ctx, argv, io) => {
    const words = positionals(argv, 'args');
    // With --latest every word is a descriptor (podman: `top -l pid args`).
    const [ref, ...rest] = argv.latest === true ? ['', ...words] : words;
    if (ref === undefined) throw new InvalidArgumentError('top needs a container: pman top CONTAINER [DESCRIPTORS...]');
    const rec = argv.latest === true ? latestContainer(ctx) : resolveContainer(ctx, ref);
    if (!allDescriptorsKnown(rest, isDescriptor)) return containerPs(ctx, rec, rest, io);
    const t = await topContainer(ctx, rec, parseDescriptors(rest));
    const text = [t.headers, ...t.rows].map((r) => `${r.join('\t')}\n`).join('');
    io.stdout.write(alignColumns(text, PODMAN_COLUMNS));
    return 0;
  },
};
