// pman ps [options]
import type { Argv } from 'yargs';
import { psListing, type PsListingOptions } from '../container/ps-listing.js';
import { PS_SORT_KEYS } from '../container/ps-rows.js';
import { InvalidArgumentError } from '../errors.js';
import { list, last } from './argv.js';
import type { CommandSpec } from './types.js';
import { repeatOutput } from './repeat-output.js';

export const ps: CommandSpec = {
  usage: 'ps [options]',
  builder: (y: Argv) =>
    y
      .option('all', { alias: 'a', type: 'boolean', default: false, describe: 'Show all containers, not only running ones' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print only the container IDs' })
      .option('no-trunc', { type: 'boolean', default: false, describe: 'Do not truncate the output' })
      .option('filter', { alias: 'f', type: 'string', describe: 'Filter output (status=, name=, id=, label=, exited=, ancestor=, health=)' })
      .option('format', { type: 'string', describe: 'Go template for the output, or json' })
      .option('pod', { alias: 'p', type: 'boolean', default: false, describe: 'Show the pod of each container (POD ID and PODNAME columns)' })
      // podman's other ps flags (#20).
      .option('external', { type: 'boolean', default: false, describe: 'Also show containers not made by pman (there are none)' })
      .option('last', { alias: 'n', type: 'string', default: '-1', describe: 'Print the n last created containers (all states)' })
      .option('latest', { alias: 'l', type: 'boolean', default: false, describe: 'Print the latest created container (all states)' })
      .option('noheading', { type: 'boolean', default: false, describe: 'Do not print headers' })
      .option('size', { alias: 's', type: 'boolean', default: false, describe: "Display each container's writable layer size and its image's" })
      .option('sort', { type: 'string', choices: PS_SORT_KEYS, default: 'created', describe: 'Sort output by this field' })
      .option('sync', { type: 'boolean', default: false, describe: 'Sync container state with the OCI runtime (pman always does)' })
      .option('ns', { type: 'boolean', default: false, describe: "Show the namespaces of each container's process" })
      .option('watch', { alias: 'w', type: 'string', describe: 'Print the list again every N seconds, until interrupted' }),
  handler: async (ctx, argv, io) => {
    const opts = psOptionsFrom(argv);
    const watch = last(argv.watch);
    if (watch === undefined) {
      io.stdout.write(await psListing(ctx, opts));
      return 0;
    }
    const seconds = Number(watch);
    if (!/^[0-9]+$/.test(watch) || seconds < 1) throw new InvalidArgumentError(`invalid --watch "${watch}": use a whole number of seconds, at least 1`);
    if (opts.quiet) throw new InvalidArgumentError('--watch and --quiet cannot be used together');
    return repeatOutput(io, () => psListing(ctx, opts), seconds, true);
  },
};

function psOptionsFrom(argv: Record<string, unknown>): PsListingOptions {
  const lastText = String(last(argv.last));
  if (!/^-?[0-9]+$/.test(lastText)) throw new InvalidArgumentError(`invalid --last "${lastText}": use a whole number of containers`);
  // podman 4.3.1's checks of flags that cannot go together; a --last of 0 or less is no limit there.
  const latest = argv.latest === true;
  if (latest && Number(lastText) >= 0) throw new InvalidArgumentError(`--last ${lastText} and --latest cannot be used together: --latest is the last 1`);
  if (latest && argv.watch !== undefined) throw new InvalidArgumentError('--watch and --latest cannot be used together');
  if (argv.quiet === true && (argv.size === true || argv.ns === true)) throw new InvalidArgumentError(`--quiet and --${argv.size === true ? 'size' : 'ns'} cannot be used together: --quiet prints only the IDs`);
  if (argv.size === true && argv.ns === true) throw new InvalidArgumentError('--size and --ns cannot be used together: --ns shows its own columns');
  return {
    all: argv.all === true,
    filters: list(argv.filter),
    last: latest ? 1 : Math.max(Number(lastText), 0),
    noTrunc: argv['no-trunc'] === true,
    pod: argv.pod === true,
    size: argv.size === true,
    ns: argv.ns === true,
    sort: String(last(argv.sort) ?? 'created'),
    format: last(argv.format),
    quiet: argv.quiet === true,
    noHeading: argv.noheading === true,
  };
}
