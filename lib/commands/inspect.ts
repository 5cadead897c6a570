// pman inspect [options] NAME...: containers (and images) as podman-shaped JSON, or --format.
import type { Argv } from 'yargs';
import { reconcile } from '../container/reconcile.js';
import { inspectView } from '../container/view.js';
import { InvalidArgumentError, NotFoundError } from '../errors.js';
import { CONTAINER_GO_FIELDS, IMAGE_GO_FIELDS, withGoFields } from '../format/go-fields.js';
import { printInspected } from './inspect-output.js';
import { resolveContainer } from '../state/containers.js';
import { positionals, last } from './argv.js';
import type { CommandSpec } from './types.js';
import { latestContainer, latestFlag } from './latest-flag.js';

export const inspect: CommandSpec = {
  usage: 'inspect [options] NAME...',
  positionals: '[names..]',
  builder: (y: Argv) =>
    latestFlag(y, 'Inspect the latest container pman is aware of')
      .option('format', { alias: 'f', type: 'string', describe: 'Go template applied to each object' })
      .option('type', { alias: 't', type: 'string', default: 'all', choices: ['all', 'container', 'image'], describe: 'Kind of object' })
      .option('size', { alias: 's', type: 'boolean', default: false, describe: "Display each container's writable layer size (SizeRw) and its image layers' (SizeRootFs)" }),
  handler: async (ctx, argv, io) => {
    const names = positionals(argv, 'names');
    if (argv.latest === true) {
      if (names.length > 0) throw new InvalidArgumentError('inspect: --latest and containers cannot be used together');
      names.push(latestContainer(ctx).id);
    }
    if (names.length === 0) throw new InvalidArgumentError('inspect needs at least one container or image name');
    const type = last(argv.type)!;
    return printInspected(io, names, (name) => inspectOne(ctx, name, type, argv.size === true), last(argv.format));
  },
};

async function inspectOne(ctx: Parameters<CommandSpec['handler']>[0], name: string, type: string, size: boolean): Promise<unknown> {
  if (type !== 'image') {
    try {
      return withGoFields(inspectView(ctx, await reconcile(ctx, resolveContainer(ctx, name)), { size }), CONTAINER_GO_FIELDS);
    } catch (err) {
      if (!(err instanceof NotFoundError) || type === 'container') throw err;
    }
  }
  const { inspectImage } = await import('../image/inspect.js');
  try {
    return withGoFields(inspectImage(ctx, name), IMAGE_GO_FIELDS);
  } catch (err) {
    if (err instanceof NotFoundError && type === 'all') throw new NotFoundError(`no such object: "${name}" is neither a container nor an image`);
    throw err;
  }
}
