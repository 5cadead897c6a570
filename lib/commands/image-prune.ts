// pman image prune [options]
import type { Argv } from 'yargs';
import { createInterface } from 'node:readline';
import { ImageRemovalError } from '../image/remove.js';
import { pruneImages } from '../image/prune.js';
import { listContainers } from '../state/containers.js';
import { list } from './argv.js';
import type { CommandSpec, IO } from './types.js';

/** Asks on the terminal, as podman does; anything but y/yes is no. */
async function confirm(io: IO, all: boolean): Promise<boolean> {
  io.stdout.write(
    all
      ? 'WARNING! This command removes all images without at least one container associated with them.\nAre you sure you want to continue? [y/N] '
      : 'WARNING! This command removes all dangling images.\nAre you sure you want to continue? [y/N] ',
  );
  const rl = createInterface({ input: io.stdin, terminal: false });
  try {
    for await (const line of rl) return /^\s*y(es)?\s*$/i.test(line);
    return false;
  } finally {
    rl.close();
  }
}

export const imagePrune: CommandSpec = {
  usage: 'image prune [options]',
  builder: (y: Argv) =>
    y
      .option('all', { alias: 'a', type: 'boolean', default: false, describe: 'Remove all images no container uses, not only dangling ones' })
      .option('force', { alias: 'f', type: 'boolean', default: false, describe: 'Do not ask for confirmation' })
      .option('filter', { type: 'string', describe: 'Only prune images that match (label=, before=, since=, reference=, id=); repeatable' }),
  handler: async (ctx, argv, io) => {
    if (!argv.force && !(await confirm(io, argv.all === true))) return 0;
    const usedBy = (imageId: string) => listContainers(ctx).filter((c) => c.image === imageId).map((c) => c.name);
    try {
      const removed = await pruneImages(ctx, { all: argv.all === true, filters: list(argv.filter), usedBy });
      io.stdout.write(removed.map((id) => `${id}\n`).join(''));
      return 0;
    } catch (err) {
      if (!(err instanceof ImageRemovalError)) throw err;
      io.stdout.write(err.results.flatMap((r) => (r.deleted ? [`${r.deleted}\n`] : [])).join(''));
      for (const e of err.errors) io.stderr.write(`Error: ${e.message}\n`);
      return err.exitCode;
    }
  },
};
