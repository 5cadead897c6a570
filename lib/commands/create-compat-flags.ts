// podman's run/create flags about the container's life around create (#20): --cidfile, --replace,
// and run's --rmi. Kept apart from the configuration flags (create-config-flags.ts) so the
// flag table of other work merges cleanly.
import fs from 'node:fs';
import type { Argv } from 'yargs';
import type { Context } from '../context.js';
import { InvalidArgumentError, NotFoundError, PmanError } from '../errors.js';
import type { ContainerRecord } from '../state/container-record.js';
import { listContainers, resolveContainer } from '../state/containers.js';
import { last } from './argv.js';
import { contentTrustFlag } from './transfer-compat-flags.js';

export function lifecycleFlags(y: Argv, run: boolean): Argv {
  y = contentTrustFlag(y)
    .option('cidfile', { type: 'string', describe: 'Write the container ID to the file (which must not exist)' })
    .option('replace', { type: 'boolean', default: false, describe: 'If a container with the same name exists, remove it first' });
  if (run) y = y.option('rmi', { type: 'boolean', default: false, describe: 'Remove the image after the container exits, unless others use it (implies --rm)' });
  return y;
}

/** Checks and work before create: the cidfile must not exist; --replace removes a same-named container. */
export async function beforeCreate(ctx: Context, argv: Record<string, unknown>): Promise<void> {
  const cidfile = last(argv.cidfile);
  if (cidfile !== undefined && fs.existsSync(cidfile)) {
    throw new InvalidArgumentError(`--cidfile "${cidfile}" already exists: remove it or choose another file`);
  }
  const name = last(argv.name);
  if (argv.replace === true) {
    if (name === undefined) throw new InvalidArgumentError('--replace needs --name: it replaces the container of that name');
    // Loaded only here: `pman run` without --replace never needs rm's code on its start-up path.
    const { removeContainer } = await import('../container/remove.js');
    try {
      await removeContainer(ctx, resolveContainer(ctx, name).id, { force: true, timeout: 0, volumes: true });
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
  }
}

/** Writes the new container's ID to --cidfile (created exclusively: two runs cannot share one). */
export function writeCidfile(argv: Record<string, unknown>, rec: ContainerRecord): void {
  const cidfile = last(argv.cidfile);
  if (cidfile === undefined) return;
  try {
    fs.writeFileSync(cidfile, rec.id, { flag: 'wx', mode: 0o644 });
  } catch (err) {
    throw new PmanError('system', `cannot write --cidfile "${cidfile}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/**
 * run --rmi: once the container is gone, the image as the run named it is removed as `rmi` would
 * (podman 4.3.1): a name of an image with several names only untags it; an image another
 * container uses, or an ID of one with several names, stays, with a warning. `given` is the run's
 * image argument (container cleanup: the name the container was made with); when it names
 * another image by now, or none, the ID.
 */
export async function removeRunImage(ctx: Context, rec: ContainerRecord, given?: string): Promise<void> {
  if (rec.image === '') return; // --rootfs: no image
  const { removeImages, ImageRemovalError } = await import('../image/remove.js');
  const { lookupImage } = await import('../image/resolve.js');
  let ref = rec.image;
  try {
    if (given !== undefined && lookupImage(ctx, given).image.id === rec.image) ref = given;
  } catch {
    /* a transport reference, or a name gone meanwhile: by ID */
  }
  const usedBy = (id: string) => listContainers(ctx).filter((c) => c.image === id).map((c) => c.name);
  try {
    await removeImages(ctx, [ref], { force: false, usedBy, idOfSeveralNamesNeedsForce: true });
  } catch (err) {
    // The run's own exit code stands; what kept the image is said (an image already gone is not).
    const kept = err instanceof ImageRemovalError ? err.errors.filter((e) => e.exitCode !== 1) : [err as Error];
    for (const e of kept) ctx.warn(e.message);
  }
}
