// pman volume prune [options]: removes the volumes no container uses (asks first unless --force).
import type { Argv } from 'yargs';
import { prunableVolumes, pruneVolumes } from '../volume/remove.js';
import { list } from './argv.js';
import type { CommandSpec, IO } from './types.js';

/** Reads one answer line from stdin (podman asks the same question). */
function confirm(io: IO, names: string[]): Promise<boolean> {
  io.stdout.write('WARNING! This will remove all volumes not used by at least one container. The following volumes will be removed:\n');
  io.stdout.write(names.map((n) => `${n}\n`).join(''));
  io.stdout.write('Are you sure you want to continue? [y/N] ');
  return new Promise((resolve) => {
    let text = '';
    const done = (answer: boolean) => {
      io.stdin.pause();
      io.stdin.removeAllListeners('data');
      resolve(answer);
    };
    io.stdin.on('data', (d: Buffer) => {
      text += d.toString();
      if (text.includes('\n')) done(/^y(es)?$/i.test(text.split('\n')[0].trim()));
    });
    io.stdin.once('end', () => done(/^y(es)?$/i.test(text.trim())));
  });
}

export const volumePrune: CommandSpec = {
  usage: 'volume prune [options]',
  positionals: '',
  builder: (y: Argv) =>
    y
      .option('force', { alias: 'f', type: 'boolean', default: false, describe: 'Do not ask for confirmation' })
      .option('filter', { type: 'string', describe: 'Only prune matching volumes (label=, label!=, name=, until=, anonymous=)' }),
  handler: async (ctx, argv, io) => {
    const filters = list(argv.filter);
    if (argv.force !== true) {
      const names = prunableVolumes(ctx, filters);
      if (names.length === 0 || !(await confirm(io, names))) return 0;
    }
    const removed = await pruneVolumes(ctx, filters);
    io.stdout.write(removed.map((n) => `${n}\n`).join(''));
    return 0;
  },
};
