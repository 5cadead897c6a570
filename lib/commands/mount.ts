// pman mount [CONTAINER...] and pman unmount|umount CONTAINER...: podman's `container mount`
// (lib/container/mount.ts). Without names, mount lists the mounted containers.
import type { Argv } from 'yargs';
import { mountContainer, mountedContainers, unmountContainer } from '../container/mount.js';
import { InvalidArgumentError } from '../errors.js';
import { shortId } from '../state/ids.js';
import { mountedByUser } from '../state/mount-count.js';
import { loadContainer } from '../state/containers.js';
import { last } from './argv.js';
import { forEachContainer, reportEach, selection } from './each.js';
import { latestFlag } from './latest-flag.js';
import type { CommandSpec } from './types.js';

export const mount: CommandSpec = {
  usage: 'mount [options] [CONTAINER...]',
  positionals: '[containers..]',
  builder: (y: Argv) =>
    latestFlag(y)
      .option('all', { alias: 'a', type: 'boolean', default: false, describe: 'Mount all containers' })
      .option('format', { type: 'string', describe: 'json: the mounted containers as JSON (listing only)' })
      .option('no-trunc', { alias: 'notruncate', type: 'boolean', default: false, describe: 'Do not truncate IDs in the listing' }),
  handler: async (ctx, argv, io) => {
    const [refs, opts] = selection(argv, 'mount');
    if (refs.length > 0 || opts.all || opts.latest) {
      return forEachContainer(ctx, io, refs, opts, (rec) => mountContainer(ctx, rec));
    }
    const format = last(argv.format);
    if (format !== undefined && format !== 'json') throw new InvalidArgumentError(`unknown --format argument: "${format}": mount lists as a table or json`);
    const mounted = mountedContainers(ctx);
    if (format === 'json') {
      io.stdout.write(`${JSON.stringify(mounted.map((m) => ({ id: m.rec.id, Names: [m.rec.name], mountpoint: m.mountpoint })), null, 1)}\n`);
    } else {
      const full = argv['no-trunc'] === true;
      io.stdout.write(mounted.map((m) => `${full ? m.rec.id : shortId(m.rec.id)}  ${m.mountpoint}\n`).join(''));
    }
    return 0;
  },
};

export const unmount: CommandSpec = {
  usage: 'unmount [options] CONTAINER...',
  positionals: '[containers..]',
  builder: (y: Argv) =>
    latestFlag(y)
      .option('all', { alias: 'a', type: 'boolean', default: false, describe: 'Unmount all containers mounted with pman mount' })
      .option('force', { alias: 'f', type: 'boolean', default: false, describe: 'Undo all of its mounts at once, not one' }),
  handler: async (ctx, argv, io) => {
    const [refs, opts] = selection(argv, 'unmount');
    const force = argv.force === true;
    if (opts.all) {
      // Those the user mounted (a run's own mount is its shim's to undo).
      const targets = mountedByUser(ctx).map((id) => {
        try {
          return { ref: id, rec: loadContainer(ctx, id) };
        } catch (err) {
          return { ref: id, err };
        }
      });
      return reportEach(io, targets, async (rec, ref) => {
        await unmountContainer(ctx, rec, force);
        return ref;
      });
    }
    return forEachContainer(ctx, io, refs, opts, async (rec, ref) => {
      await unmountContainer(ctx, rec, force);
      return ref;
    });
  },
};
