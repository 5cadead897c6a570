// pman system prune [-a] [--volumes] [-f] [--filter …]
import type { Argv } from 'yargs';
import { STATS_SIZE, formatBytes } from '../format/bytes.js';
import { systemPrune } from '../system/prune.js';
import { list } from './argv.js';
import { confirm } from './prompt.js';
import type { CommandSpec } from './types.js';

function question(all: boolean, volumes: boolean): string {
  const what = [
    'all stopped containers',
    'all networks not used by at least 1 container',
    ...(volumes ? ['all volumes not used by at least one container'] : []),
    all ? 'all images without at least one container associated with them' : 'all dangling images',
  ];
  return `WARNING! This command removes:\n${what.map((w) => `\t- ${w}\n`).join('')}\nAre you sure you want to continue? [y/N] `;
}

export const systemPruneCmd: CommandSpec = {
  usage: 'system prune [options]',
  positionals: '',
  builder: (y: Argv) =>
    y
      .option('all', { alias: 'a', type: 'boolean', default: false, describe: 'Remove all images no container uses, not only dangling ones' })
      .option('force', { alias: 'f', type: 'boolean', default: false, describe: 'Do not ask for confirmation' })
      .option('volumes', { type: 'boolean', default: false, describe: 'Also remove the volumes no container uses' })
      .option('filter', { type: 'string', describe: 'Only prune what matches (label=, until=); repeatable' }),
  handler: async (ctx, argv, io) => {
    const all = argv.all === true;
    const volumes = argv.volumes === true;
    if (argv.force !== true && !(await confirm(io, question(all, volumes)))) return 0;
    const r = await systemPrune(ctx, { all, volumes, filters: list(argv.filter) });
    const section = (title: string, ids: string[]) => (ids.length ? `Deleted ${title}\n${ids.map((i) => `${i}\n`).join('')}` : '');
    io.stdout.write(
      section('Containers', r.containers) + section('Networks', r.networks) + section('Volumes', r.volumes) + section('Images', r.images) +
        `Total reclaimed space: ${formatBytes(r.reclaimed, STATS_SIZE)}\n`,
    );
    for (const e of r.errors) io.stderr.write(`Error: ${e.message}\n`);
    return r.errors.length ? 125 : 0;
  },
};
