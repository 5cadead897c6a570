// pman rmi [options] IMAGE...
import type { Argv } from 'yargs';
import { InvalidArgumentError } from '../errors.js';
import { ImageRemovalError, listImages, removeImages, type RemoveResult } from '../image/store.js';
import { imageUsers, removeImageUsers } from '../container/image-users.js';
import { list } from './argv.js';
import type { CommandSpec } from './types.js';

function report(results: RemoveResult[]): string {
  return results.map((r) => [...r.untagged.map((n) => `Untagged: ${n}\n`), r.deleted ? `Deleted: ${r.deleted}\n` : ''].join('')).join('');
}

export const rmi: CommandSpec = {
  usage: 'rmi [options] IMAGE...',
  positionals: '[images..]',
  builder: (y: Argv) =>
    y
      .option('force', { alias: 'f', type: 'boolean', default: false, describe: 'Ignore missing images; remove the containers that use the image' })
      .option('all', { alias: 'a', type: 'boolean', default: false, describe: 'Remove all images' })
      .option('ignore', { alias: 'i', type: 'boolean', default: false, describe: 'Ignore errors when a given image does not exist' })
      .option('no-prune', { type: 'boolean', default: false, describe: 'Do not remove the dangling parents of a deleted image' })
      // While yargs' boolean-negation is on, --no-prune arrives as prune=false.
      .option('prune', { type: 'boolean', hidden: true }),
  handler: async (ctx, argv, io) => {
    const named = list(argv.images);
    if (argv.all && named.length > 0) throw new InvalidArgumentError('when using --all, give no image names or IDs');
    if (!argv.all && named.length === 0) throw new InvalidArgumentError('rmi needs at least one image name or ID (or --all)');
    const refs = argv.all ? listImages(ctx).map((i) => i.id) : named;
    const opts = {
      force: argv.force === true,
      usedBy: (imageId: string) => imageUsers(ctx, imageId),
      removeUsers: (imageId: string) => removeImageUsers(ctx, imageId),
      idOfSeveralNamesNeedsForce: !argv.all,
      noPrune: argv['no-prune'] === true || argv.prune === false,
      ignore: argv.ignore === true,
    };
    try {
      io.stdout.write(report(await removeImages(ctx, refs, opts)));
      return 0;
    } catch (err) {
      if (!(err instanceof ImageRemovalError)) throw err;
      io.stdout.write(report(err.results));
      for (const e of err.errors) io.stderr.write(`Error: ${e.message}\n`);
      return err.exitCode;
    }
  },
};
