// pman images [options] [IMAGE]
import type { Argv } from 'yargs';
import { InvalidArgumentError } from '../errors.js';
import { IMAGE_SORT_KEYS, imageListing } from '../image/image-listing.js';
import { list, last } from './argv.js';
import type { CommandSpec } from './types.js';

export const images: CommandSpec = {
  usage: 'images [options] [IMAGE]',
  positionals: '[image]',
  builder: (y: Argv) =>
    y
      .option('all', { alias: 'a', type: 'boolean', default: false, describe: 'Show all images (default hides intermediate images)' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print only the image IDs' })
      .option('digests', { type: 'boolean', default: false, describe: 'Show digests' })
      .option('no-trunc', { type: 'boolean', default: false, describe: 'Do not truncate the output' })
      // While yargs' boolean-negation is on, --no-trunc arrives as trunc=false.
      .option('trunc', { type: 'boolean', hidden: true })
      .option('noheading', { alias: 'n', type: 'boolean', default: false, describe: 'Do not print column headings' })
      .option('filter', { alias: 'f', type: 'string', describe: 'Filter output (dangling=, intermediate=, reference=, label=, before=, since=, id=, until=, readonly=)' })
      .option('format', { type: 'string', describe: 'Go template for the output, or json' })
      .option('history', { type: 'boolean', default: false, describe: "Add a column of the image's names (podman's name history)" })
      .option('sort', { type: 'string', default: 'created', describe: `Sort by ${IMAGE_SORT_KEYS.join(', ')}` }),
  handler: (ctx, argv, io) => {
    const sort = last(argv.sort)!;
    if (!IMAGE_SORT_KEYS.includes(sort)) throw new InvalidArgumentError(`invalid --sort "${sort}": use one of ${IMAGE_SORT_KEYS.join(', ')}`);
    const filters = list(argv.filter);
    if (argv.image !== undefined) filters.push(`reference=${String(argv.image)}`);
    const text = imageListing(ctx, {
      all: argv.all === true,
      filters,
      sort,
      noTrunc: argv['no-trunc'] === true || argv.trunc === false,
      digests: argv.digests === true,
      history: argv.history === true,
      format: last(argv.format),
      quiet: argv.quiet === true,
      noHeading: argv.noheading === true,
    });
    io.stdout.write(text);
    return 0;
  },
};
