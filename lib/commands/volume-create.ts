// pman volume create [options] [NAME]
import type { Argv } from 'yargs';
import { parseLabels } from '../container/create.js';
import { parseKeyValueFlags } from '../container/parse/metadata.js';
import { ConflictError, InvalidArgumentError } from '../errors.js';
import { createVolume, loadVolume, withVolumeLocks } from '../volume/volumes.js';
import { list, last } from './argv.js';
import type { CommandSpec } from './types.js';

export const volumeCreate: CommandSpec = {
  usage: 'volume create [options] [NAME]',
  positionals: '[name]',
  builder: (y: Argv) =>
    y
      .option('label', { alias: 'l', type: 'string', describe: 'Set metadata for a volume (KEY=VALUE)' })
      .option('opt', { alias: 'o', type: 'string', describe: 'Driver options (o=uid=N,gid=N sets the owner)' })
      .option('driver', { alias: 'd', type: 'string', default: 'local', describe: 'Volume driver (only local)' })
      .option('ignore', { type: 'boolean', default: false, describe: 'Do not fail if the volume already exists' }),
  handler: async (ctx, argv, io) => {
    if (argv.driver !== 'local') throw new InvalidArgumentError(`invalid --driver "${last(argv.driver)!}": only the "local" driver exists`);
    const name = argv.name === undefined ? undefined : last(argv.name)!;
    const opts = { name, labels: parseLabels(list(argv.label)), options: parseKeyValueFlags(list(argv.opt), '--opt') };
    const rec = await withVolumeLocks(ctx, name ? [name] : [], () => {
      try {
        return createVolume(ctx, opts);
      } catch (err) {
        if (err instanceof ConflictError && argv.ignore === true && name) return loadVolume(ctx, name);
        throw err;
      }
    });
    io.stdout.write(`${rec.name}\n`);
    return 0;
  },
};
