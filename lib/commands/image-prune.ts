// pman image prune [options]
import type { Argv } from 'yargs';
import { ImageRemovalError } from '../image/remove.js';
import { pruneImages } from '../image/prune.js';
import { listContainers } from '../state/containers.js';
import { list } from './argv.js';
import { confirm } from './prompt.js';
import type { CommandSpec } from './types.js';

const QUESTION = {
  dangling: 'WARNING! This command removes all dangling images.\nAre you sure you want to continue? [y/N] ',
  all: 'WARNING! This command removes all images without at least one container associated with them.\nAre you sure you want to continue? [y/N] ',
};

export const imagePrune: CommandSpec = {
  usage: 'image prune [options]',
  builder: (y: Argv) =>
    y
      .option('all', { alias: 'a', type: 'boolean', default: false, describe: 'Remove all images no container uses, not only dangling ones' })
      .option('force', { alias: 'f', type: 'boolean', default: false, describe: 'Do not ask for confirmation' })
      .option('filter', { type: 'string', describe: 'Only prune images that match (label=, before=, since=, reference=, id=); repeatable' }),
  handler: async (ctx, argv, io) => {
    if (!argv.force && !(await confirm(io, argv.all === true ? QUESTION.all : QUESTION.dangling))) return 0;
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
