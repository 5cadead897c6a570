// The idmapped copies of a container's bind mounts and volumes with the idmap option
// (docs/userns.md), made by the shim before runc binds them. Loaded only for a container with ID
// maps: it needs the volume store.
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { PmanError } from '../errors.js';
import { native } from '../native/native.js';
import type { ContainerRecord } from '../state/container-record.js';
import { containerDir, usernsPath } from '../state/paths.js';
import { volumeDataDir } from '../volume/volumes.js';
import { idmappedBinds, MAPPED_BINDS, releaseIdmapped } from './idmap.js';

/**
 * Mounts the idmapped copies of the bind mounts with the idmap option (before runc, which binds
 * them from there): files owned by host ID N appear owned by container ID N. They go with the
 * root filesystem (unmountRootfs).
 */
export function mountIdmappedMounts(ctx: Context, rec: ContainerRecord): void {
  const cdir = containerDir(ctx, rec.id);
  const binds = idmappedBinds(cdir, rec.config.mounts).map((b) => ({
    source: b.mount.type === 'volume' ? volumeDataDir(ctx, b.mount.source) : b.mount.source,
    at: b.at,
    recursive: !b.mount.options.includes('bind'),
  }));
  const dir = path.join(cdir, MAPPED_BINDS);
  releaseIdmapped(dir);
  if (binds.length === 0) return;
  fs.mkdirSync(dir, { mode: 0o711 });
  const fd = fs.openSync(usernsPath(ctx, rec.id), 'r');
  let source = '';
  try {
    for (const b of binds) {
      source = b.source;
      if (fs.statSync(b.source).isDirectory()) fs.mkdirSync(b.at);
      else fs.closeSync(fs.openSync(b.at, 'w', 0o600));
      native().mountIdmapped(b.source, b.at, fd, b.recursive);
    }
  } catch (err) {
    releaseIdmapped(dir);
    throw new PmanError('system', `cannot make an idmapped mount of "${source}" (the idmap option): ${(err as Error).message}`, { cause: err });
  } finally {
    fs.closeSync(fd);
  }
}
