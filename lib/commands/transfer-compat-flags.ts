// podman's push, pull and save flags about signatures, compression and manifest formats (#20),
// apart from the transfer commands themselves (their files also carry image transports). What pman
// cannot do is refused with one line saying why; docker's content-trust flag is accepted and
// ignored, as podman does.
import type { Argv } from 'yargs';
import type { Context } from '../context.js';
import { InvalidArgumentError } from '../errors.js';
import { readBlob } from '../image/blobs.js';
import { resolveImage } from '../image/resolve.js';
import { last } from './argv.js';

export function contentTrustFlag(y: Argv): Argv {
  return y.option('disable-content-trust', { type: 'boolean', hidden: true, describe: 'Accepted and ignored (a docker compatibility no-op, as in podman)' });
}

const NO_SIGNING = 'pman does not sign images (sign them with skopeo or cosign after the push)';

export function pushCompatFlags(y: Argv): Argv {
  return contentTrustFlag(y)
    .option('format', { alias: 'f', type: 'string', describe: 'Manifest format: oci or v2s2 (a registry gets the stored manifest byte for byte, so only its format; dir:, oci: and oci-archive: get it converted; v2s1 is refused)' })
    .option('compress', { type: 'boolean', default: false, describe: 'Compress plain layers (gzip) when pushing to a dir: destination; layers go to a registry as stored' })
    .option('compression-format', { type: 'string', describe: 'gzip (the default; layers are pushed as stored, never recompressed); zstd is refused' })
    .option('remove-signatures', { type: 'boolean', default: false, describe: 'Accepted: pman never copies signatures' })
    .option('sign-by', { type: 'string', describe: `not supported: ${NO_SIGNING}` })
    .option('sign-by-sigstore-private-key', { type: 'string', describe: `not supported: ${NO_SIGNING}` })
    .option('sign-passphrase-file', { type: 'string', describe: `not supported: ${NO_SIGNING}` });
}

const MANIFEST_TYPES: Record<string, string> = {
  oci: 'application/vnd.oci.image.manifest.v1+json',
  v2s2: 'application/vnd.docker.distribution.manifest.v2+json',
};

/**
 * Refuses what push cannot honour, before anything is sent. A file or directory destination
 * (`toFile`) gets the manifest converted to --format; a registry gets the stored one unchanged.
 */
export function checkPushCompat(ctx: Context, argv: Record<string, unknown>, image: string, toFile = false): void {
  for (const flag of ['sign-by', 'sign-by-sigstore-private-key', 'sign-passphrase-file']) {
    if (argv[flag] !== undefined) throw new InvalidArgumentError(`--${flag} is not supported: ${NO_SIGNING}`);
  }
  const compression = last(argv['compression-format']);
  if (compression === 'zstd') throw new InvalidArgumentError('--compression-format zstd is not supported: Node 20 has no zstd encoder and pman adds no dependency for it; use gzip');
  if (compression !== undefined && compression !== 'gzip') throw new InvalidArgumentError(`invalid --compression-format "${compression}": use gzip`);
  const format = last(argv.format);
  if (format === undefined) return;
  if (format === 'v2s1') throw new InvalidArgumentError('--format v2s1 is not supported: Docker schema 1 manifests are deprecated and pman does not write them; use oci or v2s2');
  const wanted = MANIFEST_TYPES[format];
  if (!wanted) throw new InvalidArgumentError(`invalid --format "${format}": use oci or v2s2`);
  if (toFile) return;
  const stored = (JSON.parse(readBlob(ctx, resolveImage(ctx, image).digest).toString()) as { mediaType?: string }).mediaType ?? MANIFEST_TYPES.oci;
  if (stored !== wanted) {
    const has = Object.entries(MANIFEST_TYPES).find(([, t]) => t === stored)?.[0] ?? stored;
    throw new InvalidArgumentError(`cannot push "${image}" as ${format}: pman pushes the stored manifest unchanged and this image is stored as ${has}; push it without --format or as ${has}`);
  }
}

/** The manifest format push --format asks for, as a destination file or directory takes it. */
export function pushManifestFormat(argv: Record<string, unknown>): 'oci' | 'docker' | undefined {
  const format = last(argv.format);
  return format === undefined ? undefined : format === 'v2s2' ? 'docker' : 'oci';
}

export function saveCompatFlags(y: Argv): Argv {
  return y
    .option('compress', { type: 'boolean', default: false, describe: 'Compress (gzip) the plain layers of a docker-dir' })
    .option('uncompressed', { type: 'boolean', default: false, describe: 'Accepted: pman writes layers as stored, uncompressed ones included' });
}

/** podman refuses --compress except for docker-dir; so does pman. */
export function checkSaveCompat(argv: Record<string, unknown>): void {
  if (argv.compress === true && last(argv.format) !== 'docker-dir') throw new InvalidArgumentError("--compress can only be set when --format is 'docker-dir'");
}
