// The infra container's image: one static binary, catatonit in pause mode (it sleeps until a
// signal ends it; podman's pause image is the same). Built once per store from the host's
// catatonit, so a pod needs no registry.
import fs from 'node:fs';
import { Readable } from 'node:stream';
import type { Context } from '../context.js';
import { NotFoundError } from '../errors.js';
import { END_OF_ARCHIVE, encodeEntry } from '../archive/writer.js';
import { importImage } from '../image/import.js';
import { lookupImage } from '../image/resolve.js';

export const PAUSE_IMAGE = 'localhost/pman-pause:latest';
const CATATONIT = ['/usr/bin/catatonit', '/usr/libexec/podman/catatonit', '/usr/libexec/catatonit/catatonit'];

function hostCatatonit(): string {
  const found = CATATONIT.find((p) => fs.existsSync(p));
  if (!found) throw new NotFoundError(`cannot build the pod infra image: catatonit not found (looked in ${CATATONIT.join(', ')}); install catatonit or create the pod with --infra=false`);
  return found;
}

/** The pause image's name, imported first if this store does not have it yet. */
export async function ensurePauseImage(ctx: Context): Promise<string> {
  try {
    lookupImage(ctx, PAUSE_IMAGE);
    return PAUSE_IMAGE;
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
  }
  const body = fs.readFileSync(hostCatatonit());
  const tar = Buffer.concat([encodeEntry({ name: 'catatonit', mode: 0o755, uid: 0, gid: 0, mtime: 0 }, body), END_OF_ARCHIVE]);
  await importImage(ctx, {
    source: '-',
    stdin: Readable.from([tar]),
    reference: PAUSE_IMAGE,
    changes: ['ENTRYPOINT ["/catatonit", "-P"]'],
    message: 'pman pod infra image (catatonit -P)',
  });
  return PAUSE_IMAGE;
}
