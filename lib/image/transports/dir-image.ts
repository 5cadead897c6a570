// Writing an image in containers/image's directory transport (`push IMAGE dir:PATH`, `save
// --format docker-dir`): a version file, every blob named by its hex digest, manifest.json last; no
// signatures. As containers/image does, a directory holds one image: writing into a directory
// that already holds one replaces it, and a non-empty directory that is not one is refused rather
// than emptied.
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../../context.js';
import { InvalidArgumentError, systemError } from '../../errors.js';
import { writeFileAtomic } from '../../state/atomic.js';
import type { ImageRecord } from '../image-record.js';
import { exportImage, type ExportOptions } from './exported-image.js';
import { putLayoutBlob } from './oci-layout.js';

export const DIR_VERSION = 'Directory Transport Version: 1.1\n';

function prepare(dir: string): void {
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') throw new InvalidArgumentError(`cannot write the image directory "${dir}": it is not a directory`);
    if (code !== 'ENOENT') throw systemError(`write the image directory "${dir}"`, err);
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
    } catch (e) {
      throw systemError(`create the image directory "${dir}"`, e);
    }
    return;
  }
  if (entries.length === 0) return;
  let version: string | undefined;
  try {
    version = fs.readFileSync(path.join(dir, 'version'), 'utf8');
  } catch {
    version = undefined;
  }
  if (version !== DIR_VERSION) {
    throw new InvalidArgumentError(`cannot write the image directory "${dir}": it is not empty and holds no dir: image (no "version" file saying ${JSON.stringify(DIR_VERSION.trim())}); pman does not overwrite it, use an empty or new directory`);
  }
  for (const e of entries) fs.rmSync(path.join(dir, e), { recursive: true, force: true });
}

export async function writeDirImage(ctx: Context, dir: string, image: ImageRecord, opts: ExportOptions = {}): Promise<void> {
  const exported = await exportImage(ctx, image, opts);
  try {
    prepare(dir);
    writeFileAtomic(path.join(dir, 'version'), DIR_VERSION, 0o644);
    for (const blob of [...exported.layers, exported.config]) await putLayoutBlob(dir, blob);
    writeFileAtomic(path.join(dir, 'manifest.json'), exported.manifest, 0o644);
  } finally {
    exported.cleanup();
  }
}
