// Image transports where podman takes an image name (containers-transports(5)): docker://REF (a
// registry), docker-archive:PATH[:REF] and oci-archive:PATH[:REF] (tar files), oci:DIR[:REF] (an
// OCI layout directory), and containers-storage: (podman's own store, which pman does not read).
// Pulling from a file or directory loads it into pman's store through the same checked path as
// `pman load`, after policy.json accepts it; pushing to one writes it as `pman save` does. The
// module sits with the registry client because docker:// is a registry pull.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Context } from '../context.js';
import { InvalidArgumentError, NotFoundError } from '../errors.js';
import { checkPolicy, loadPolicy, pathScopes } from '../config/policy.js';
import type { ImageRecord } from '../image/image-record.js';
import { normalizeNewName } from '../image/reference.js';
import { writeOutput } from '../archive/output.js';
import type { RegistryOptions } from './options.js';

export type FileTransport = 'docker-archive' | 'oci-archive' | 'oci';
export type TransportName = FileTransport | 'docker' | 'containers-storage' | 'dir';

export interface TransportRef {
  transport: TransportName;
  /** docker: the registry reference; the others: the path. */
  target: string;
  /** The image inside an archive or layout (after PATH:), if given. */
  ref?: string;
}

const PREFIXES: TransportName[] = ['docker-archive', 'oci-archive', 'oci', 'dir', 'containers-storage'];

/** The transport a name starts with, or undefined for a plain image name (a registry or local image). */
export function parseTransport(name: string): TransportRef | undefined {
  if (name.startsWith('docker://')) return { transport: 'docker', target: name.slice('docker://'.length) };
  const colon = name.indexOf(':');
  if (colon < 0) return undefined;
  const transport = PREFIXES.find((p) => p === name.slice(0, colon));
  if (!transport) return undefined;
  const rest = name.slice(colon + 1);
  if (transport === 'containers-storage' || transport === 'dir') return { transport, target: rest };
  // As containers/image splits it: the path ends at the first colon.
  const sep = rest.indexOf(':');
  const target = sep < 0 ? rest : rest.slice(0, sep);
  if (!target) throw new InvalidArgumentError(`invalid image name "${name}": ${transport}: needs a path`);
  return { transport, target, ...(sep >= 0 && rest.slice(sep + 1) ? { ref: rest.slice(sep + 1) } : {}) };
}

function refused(t: TransportRef): InvalidArgumentError {
  if (t.transport === 'containers-storage') {
    return new InvalidArgumentError(`containers-storage: names podman's own image store, which pman does not share: copy the image out with "podman save -o FILE IMAGE" and use docker-archive:FILE`);
  }
  return new InvalidArgumentError(`the dir: transport is not supported: copy the image to an OCI layout (skopeo copy dir:${t.target} oci:DIR) and use oci:DIR`);
}

/** The image a REF names among the loaded ones (the only one when no REF is given). */
function pick(images: { record: ImageRecord; names: string[] }[], t: TransportRef, shown: string): ImageRecord {
  if (t.ref !== undefined) {
    const at = /^@(\d+)$/.exec(t.ref);
    if (at && t.transport === 'docker-archive') {
      const img = images[Number(at[1])];
      if (!img) throw new NotFoundError(`${shown} has no image @${at[1]}: it holds ${images.length}`);
      return img.record;
    }
    const want = normalizeNewName(t.ref);
    const found = images.find((i) => i.names.includes(want) || i.names.some((n) => n.endsWith(`:${t.ref}`) && t.transport !== 'docker-archive'));
    if (!found) throw new NotFoundError(`${shown} has no image named "${t.ref}"`);
    return found.record;
  }
  if (images.length !== 1) throw new InvalidArgumentError(`${shown} holds ${images.length} images: name one (${t.transport}:${t.target}:NAME${t.transport === 'docker-archive' ? ' or :@INDEX' : ''})`);
  return images[0].record;
}

/** Loads the image a file transport names into the store, under policy.json. */
export async function pullFromFile(ctx: Context, t: TransportRef, registry: RegistryOptions): Promise<ImageRecord> {
  if (t.transport === 'containers-storage' || t.transport === 'dir') throw refused(t);
  const shown = `${t.transport}:${t.target}`;
  checkPolicy(loadPolicy(registry.signaturePolicy), t.transport, pathScopes(t.target), `loading "${shown}"`);
  const { loadImages } = await import('../image/load.js');
  let st: fs.Stats;
  try {
    st = fs.statSync(t.target);
  } catch {
    throw new NotFoundError(`cannot pull "${shown}": no such ${t.transport === 'oci' ? 'directory' : 'file'}`);
  }
  if (t.transport === 'oci') {
    if (!st.isDirectory()) throw new InvalidArgumentError(`cannot pull "${shown}": not a directory (for a tar file use oci-archive:)`);
    // The layout is packed into one temporary tar and read as an oci-archive: one checked path.
    const { packDirectory } = await import('../archive/pack.js');
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-oci-'));
    try {
      const tar = path.join(tmp, 'layout.tar');
      await writeOutput(packDirectory(t.target), { file: tar });
      return pick(await loadImages(ctx, { input: tar }), t, `"${shown}"`);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  return pick(await loadImages(ctx, { input: t.target }), t, `"${shown}"`);
}

/** push IMAGE docker-archive:PATH[:REF] | oci-archive:PATH[:REF]: the image written as `pman save` writes it. */
export async function pushToFile(ctx: Context, source: string, t: TransportRef): Promise<void> {
  if (t.transport === 'containers-storage' || t.transport === 'dir') throw refused(t);
  if (t.transport === 'docker') throw new InvalidArgumentError('docker:// is pushed to a registry');
  if (t.transport === 'oci') throw new InvalidArgumentError(`pushing to oci:${t.target} is not supported: push to oci-archive:FILE (an OCI layout in one tar)`);
  const { saveImages } = await import('../image/save.js');
  const refs = t.ref !== undefined ? [source, t.ref] : [source];
  await writeOutput(saveImages(ctx, { refs, format: t.transport, multiImage: false }), { file: t.target });
}
