// `pman import`: a plain root filesystem tarball becomes a one-layer image, as podman makes it.
// The uncompressed tar is the layer blob verbatim (so its digest is the diff ID), and the created
// time is the file's mtime (now, for stdin), so the same file gives the same image ID as podman.
import fs from 'node:fs';
import type { Context } from '../context.js';
import { InvalidArgumentError, NotFoundError, PmanError, systemError } from '../errors.js';
import { withLock } from '../state/lock.js';
import { sha256Digest } from './blobs.js';
import { applyChanges } from './changes.js';
import { commitImage } from './commit.js';
import type { ImageConfigSpec, ImageRecord } from './image-record.js';
import { commitLayer, discardStaged, stageLayer, sweepTmp, type StagedLayer } from './layers.js';
import { ensureStore, storeLockFile } from './layout.js';
import { ociArchitecture } from './platform.js';
import { objectEvent } from '../events/events-file.js';
import { normalizeNewName } from './reference.js';
import { rfc3339Nano } from '../format/go-time.js';

export interface ImportOptions {
  /** A file path, or '-' for stdin. */
  source: string;
  stdin?: NodeJS.ReadableStream;
  /** Name for the image; short names go under localhost/. None: the image is untagged. */
  reference?: string;
  /** --change instructions. */
  changes?: string[];
  /** --message: the history comment. */
  message?: string;
  /** --arch, --os, --variant: the platform recorded in the image (default: this machine's). */
  arch?: string;
  os?: string;
  variant?: string;
}

/** A platform word as OCI images spell them (amd64, 386, arm64, v8, linux …). */
function platformWord(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^[a-z0-9][a-z0-9_.-]{0,31}$/.test(value)) {
    throw new InvalidArgumentError(`invalid --${flag} "${value}": use an OCI platform name such as ${flag === 'os' ? 'linux' : flag === 'arch' ? 'amd64 or 386' : 'v7 or v8'}`);
  }
  return value;
}

export const MEDIA_TYPE_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const MEDIA_TYPE_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const MEDIA_TYPE_LAYER_TAR = 'application/vnd.oci.image.layer.v1.tar';

/** The config fields in the order podman's (Go's) JSON encoder writes them, so digests match. */
function orderedConfig(c: ImageConfigSpec): ImageConfigSpec {
  const keys: Array<keyof ImageConfigSpec> = ['User', 'ExposedPorts', 'Env', 'Entrypoint', 'Cmd', 'Volumes', 'WorkingDir', 'Labels', 'StopSignal'];
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = c[k];
    // Go's omitempty: empty strings, arrays and maps are left out.
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    if (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) continue;
    out[k] = v;
  }
  return out as ImageConfigSpec;
}

function openSource(ctx: Context, opts: ImportOptions): { input: AsyncIterable<Uint8Array | string>; created: string } {
  if (opts.source === '-') {
    if (!opts.stdin) throw new InvalidArgumentError('cannot import from "-": no standard input');
    return { input: opts.stdin as AsyncIterable<Uint8Array | string>, created: rfc3339Nano(BigInt(Date.now()) * 1_000_000n) };
  }
  if (/^https?:\/\//.test(opts.source)) {
    throw new InvalidArgumentError(`cannot import "${opts.source}": importing from a URL is not supported; download the file and import it`);
  }
  let st: fs.BigIntStats;
  try {
    st = fs.statSync(opts.source, { bigint: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(`cannot import "${opts.source}": no such file`);
    throw systemError(`import "${opts.source}"`, err);
  }
  if (st.isDirectory()) throw new InvalidArgumentError(`cannot import "${opts.source}": it is a directory; give a tar archive`);
  ctx.debug(`importing ${opts.source} (${st.size} bytes)`);
  return { input: fs.createReadStream(opts.source), created: rfc3339Nano(st.mtimeNs) };
}

export async function importImage(ctx: Context, opts: ImportOptions): Promise<ImageRecord> {
  const names = opts.reference !== undefined ? [normalizeNewName(opts.reference)] : [];
  const config = orderedConfig(applyChanges({}, opts.changes ?? []));
  const architecture = platformWord('arch', opts.arch) ?? ociArchitecture();
  const os = platformWord('os', opts.os) ?? 'linux';
  const variant = platformWord('variant', opts.variant);
  const { input, created } = openSource(ctx, opts);
  ensureStore(ctx);
  sweepTmp(ctx);
  let staged: StagedLayer;
  try {
    staged = await stageLayer(ctx, input, { keepBlob: true });
  } catch (err) {
    const shown = opts.source === '-' ? 'standard input' : `"${opts.source}"`;
    if (err instanceof PmanError) throw new PmanError(err.code, `cannot import ${shown}: ${err.message}`, { cause: err, exitCode: err.exitCode });
    throw systemError(`import ${shown}`, err);
  }
  try {
    const diffId = staged.diffId;
    const configBytes = Buffer.from(
      JSON.stringify({
        created,
        architecture,
        ...(variant ? { variant } : {}),
        os,
        config,
        rootfs: { type: 'layers', diff_ids: [diffId] },
        history: [{ created, created_by: `/bin/sh -c #(nop) ADD file:${diffId.slice(7)} in /`, comment: opts.message ?? 'imported from tarball' }],
      }),
    );
    const imported = await withLock(storeLockFile(ctx), () => {
      const chainId = commitLayer(ctx, staged, null);
      const layerDigest = (staged.blob as NonNullable<StagedLayer['blob']>).commit(ctx);
      const manifestBytes = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          config: { mediaType: MEDIA_TYPE_CONFIG, digest: sha256Digest(configBytes), size: configBytes.length },
          layers: [{ mediaType: MEDIA_TYPE_LAYER_TAR, digest: layerDigest, size: staged.size }],
        }),
      );
      return commitImage(ctx, {
        configBytes,
        manifestBytes,
        names,
        fields: { created, size: staged.size, architecture, os, config, layers: [chainId], diffIds: [diffId] },
      });
    });
    objectEvent(ctx, 'image', 'import', imported.id, names[0]);
    return imported;
  } finally {
    discardStaged(staged);
  }
}
