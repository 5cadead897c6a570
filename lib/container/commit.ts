// `pman commit`: a container's changes become a new image, its image's layers plus one. The new
// layer is the container's overlay upper dir packed as a tar (tar/pack.ts turns overlay whiteouts
// into OCI ones); the config is the image's, with the container's command, environment, working
// dir, user and labels (as docker and podman commit do), then --change applied. --squash makes the
// whole root filesystem (as export packs it) the image's one layer; --format docker writes docker's
// schema 2 manifest and keeps the config's docker-only fields (healthcheck, shell, onbuild), which
// the OCI format drops, as build does.
import type { Context } from '../context.js';
import { reconcile } from './reconcile.js';
import { PmanError, RuntimeError, systemError } from '../errors.js';
import { resolveContainer } from '../state/containers.js';
import type { ContainerRecord } from '../state/container-record.js';
import { shortId } from '../state/ids.js';
import { withLock } from '../state/lock.js';
import { runcRoot } from '../state/paths.js';
import { rootfsPaths } from '../oci/rootfs.js';
import { runRuntime } from '../oci/runtime.js';
import { packDirectory } from '../archive/pack.js';
import { runtimeLeftovers } from './diff.js';
import { readBlob } from '../image/blobs.js';
import { applyChanges } from '../image/changes.js';
import { commitImage } from '../image/commit.js';
import { parseConfigBlob, runtimeConfig, type HistoryEntry } from '../image/config-blob.js';
import type { ImageConfigSpec, ImageRecord } from '../image/image-record.js';
import { rfc3339Nano } from '../format/go-time.js';
import { commitLayer, discardStaged, stageLayer, sweepTmp, type StagedLayer } from '../image/layers.js';
import { ensureStore, storeLockFile } from '../image/layout.js';
import { plainManifest, type ManifestFormat } from '../image/plain-manifest.js';
import { configForFormat } from '../image/config-edit.js';
import { exportContainer } from './export.js';
import { loadImageRecord } from '../image/records.js';
import { normalizeNewName } from '../image/reference.js';
import { isRunningNotPaused } from '../state/container-status.js';

export interface CommitOptions {
  container: string;
  /** Name for the new image (short names go under localhost/); none: untagged. */
  reference?: string;
  changes: string[];
  message?: string;
  author?: string;
  /** Pause a running container while its upper dir is packed. */
  pause: boolean;
  /** The container's volume mount points become the image's VOLUMEs (commit --include-volumes). */
  includeVolumes?: boolean;
  /** One layer: the container's whole root filesystem (commit --squash). */
  squash?: boolean;
  /** Manifest and config format (commit --format); oci by default. */
  format?: ManifestFormat;
}

/** The container's runtime settings over the image's config (unknown config keys are kept). */
function containerConfig(base: Record<string, unknown>, rec: ContainerRecord, image: ImageRecord): ImageConfigSpec {
  const c = rec.config;
  const out: Record<string, unknown> = { ...base };
  const set = (key: string, value: unknown) => {
    if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) delete out[key];
    else out[key] = value;
  };
  set('Env', c.env);
  set('Entrypoint', c.entrypoint);
  set('Cmd', c.cmd);
  set('WorkingDir', c.workingDir === '/' && !image.config.WorkingDir ? '' : c.workingDir);
  set('User', c.user);
  set('Labels', Object.keys(c.labels).length > 0 ? c.labels : undefined);
  // The engine fills in SIGTERM when the image names none: keep the image's absence then.
  if (image.config.StopSignal !== undefined || c.stopSignal !== 'SIGTERM') set('StopSignal', c.stopSignal);
  return out as ImageConfigSpec;
}

/**
 * A commit's history line, as podman 4.3.1 (buildah) writes it: the image's SHELL (a docker-format
 * image's), else /bin/sh; never the container's command.
 */
function commitCreatedBy(shell: unknown): string {
  return (Array.isArray(shell) ? shell.join(' ') : '') || '/bin/sh';
}

async function withPause<T>(ctx: Context, rec: ContainerRecord, pause: boolean, fn: () => Promise<T>): Promise<T> {
  if (!pause || !isRunningNotPaused(rec)) return fn();
  const rt = { runtime: rec.config.runtime, root: runcRoot(ctx) };
  const r = await runRuntime(rt, ['pause', rec.id]);
  if (r.code !== 0) throw new RuntimeError(`cannot pause container "${rec.name}": ${r.stderr.trim() || `runc exited with ${r.code}`}`);
  try {
    return await fn();
  } finally {
    const resumed = await runRuntime(rt, ['resume', rec.id]);
    if (resumed.code !== 0) ctx.warn(`cannot resume container "${rec.name}": ${resumed.stderr.trim() || `runc exited with ${resumed.code}`}`);
  }
}

export async function commitContainer(ctx: Context, opts: CommitOptions): Promise<ImageRecord> {
  const rec = await reconcile(ctx, resolveContainer(ctx, opts.container));
  const names = opts.reference !== undefined ? [normalizeNewName(opts.reference)] : [];
  const image = loadImageRecord(ctx, rec.image);
  const baseBytes = readBlob(ctx, `sha256:${image.id}`);
  const base = parseConfigBlob(baseBytes, `the config of image ${shortId(image.id)}`);
  // Fails on a bad --change before anything is packed.
  const config = applyChanges(containerConfig(base.config ?? {}, rec, image), opts.changes);
  if (opts.includeVolumes) {
    const volumes = (rec.config.mounts ?? []).filter((m) => m.type === 'volume').map((m) => m.destination);
    if (volumes.length > 0) config.Volumes = { ...config.Volumes, ...Object.fromEntries(volumes.map((d) => [d, {}])) };
  }
  ensureStore(ctx);
  sweepTmp(ctx);
  const upper = rootfsPaths(ctx, rec.id).upper;
  const format = opts.format ?? 'oci';
  let staged: StagedLayer;
  try {
    staged = await withPause(ctx, rec, opts.pause, async () => {
      // The tar is kept as the layer blob, as import does: committed layers are small, and a kept
      // blob is what push sends.
      if (!opts.squash) {
        return stageLayer(ctx, packDirectory(upper, { overlay: { rootless: ctx.rootless }, warn: (m) => ctx.warn(m), skip: runtimeLeftovers(upper) }), { keepBlob: true });
      }
      let squashed: StagedLayer | undefined;
      await exportContainer(ctx, rec.id, async (tar) => {
        squashed = await stageLayer(ctx, tar, { keepBlob: true });
      });
      return squashed!;
    });
  } catch (err) {
    if (err instanceof PmanError) throw new PmanError(err.code, `cannot commit container "${rec.name}": ${err.message}`, { cause: err, exitCode: err.exitCode });
    throw systemError(`commit container "${rec.name}"`, err);
  }
  try {
    const created = rfc3339Nano(BigInt(Date.now()) * 1_000_000n);
    const history: HistoryEntry = { created, created_by: commitCreatedBy(base.config?.Shell) };
    if (opts.author !== undefined) history.author = opts.author;
    history.comment = opts.message ?? `FROM ${rec.imageName}`;
    const doc: Record<string, unknown> = { ...base, created };
    if (opts.author !== undefined) doc.author = opts.author;
    const stored = configForFormat(config as Record<string, unknown>, format);
    doc.config = stored;
    // Squashed, the image is its one layer, and its history that layer's one entry.
    const below = opts.squash ? { layers: [], diffIds: [], history: [], size: 0 } : { layers: image.layers, diffIds: base.rootfs.diff_ids, history: base.history ?? [], size: image.size };
    doc.rootfs = { type: 'layers', diff_ids: [...below.diffIds, staged.diffId] };
    doc.history = [...below.history, history];
    const configBytes = Buffer.from(JSON.stringify(doc));
    return await withLock(storeLockFile(ctx), () => {
      const parent = below.layers.length > 0 ? below.layers[below.layers.length - 1] : null;
      const chain = commitLayer(ctx, staged, parent);
      staged.blob?.commit(ctx);
      const layers = [...below.layers, chain];
      return commitImage(ctx, {
        configBytes,
        manifestBytes: plainManifest(ctx, configBytes, layers, format),
        names,
        fields: {
          created,
          size: below.size + staged.size,
          architecture: image.architecture,
          os: image.os,
          config: runtimeConfig(stored),
          layers,
          diffIds: [...below.diffIds, staged.diffId],
          // podman: a commit descends from the container's image (its layers are below), so that
          // image, once untagged, is intermediate (hidden, kept) rather than dangling.
          ...(opts.squash ? {} : { parent: image.id }),
        },
      });
    });
  } finally {
    discardStaged(staged);
  }
}
