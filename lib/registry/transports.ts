// Image transports where podman takes an image name (containers-transports(5)): docker://REF (a
// registry), docker-archive:PATH[:REF] and oci-archive:PATH[:REF] (tar files), oci:DIR[:REF] (an
// OCI layout directory), and containers-storage:NAME (the engine's own store: for pman, NAME in
// pman's store, as lib/image/transport-name.ts reads it).
// Pulling from a file or directory loads it into pman's store through the same checked path as
// `pman load`, after policy.json accepts it; pushing to one writes it as `pman save` does (dir:
// and oci: through lib/image/transports/). The module sits with the registry client because
// docker:// is a registry pull.
import fs from 'node:fs';
import type { Context } from '../context.js';
import { InvalidArgumentError, NotFoundError } from '../errors.js';
import { checkPolicy, loadPolicy, pathScopes } from '../config/policy.js';
import type { ImageRecord } from '../image/image-record.js';
import { normalizeNewName, parseReference } from '../image/reference.js';
import { storageName, supportedTransport, transportOf } from '../image/transport-name.js';
import type { ManifestFormat } from '../image/plain-manifest.js';
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

/** The transport a name starts with, or undefined for a plain image name (a registry or local image). */
export function parseTransport(name: string): TransportRef | undefined {
  const found = transportOf(name);
  if (found === undefined) return undefined;
  const transport = supportedTransport(found, name) as TransportName;
  if (transport === 'docker') return { transport, target: name.slice('docker://'.length) };
  const rest = name.slice(transport.length + 1);
  if (transport === 'containers-storage' || transport === 'dir') return { transport, target: rest };
  // As containers/image splits it: the path ends at the first colon.
  const sep = rest.indexOf(':');
  const target = sep < 0 ? rest : rest.slice(0, sep);
  if (!target) throw new InvalidArgumentError(`invalid image name "${name}": ${transport}: needs a path`);
  return { transport, target, ...(sep >= 0 && rest.slice(sep + 1) ? { ref: rest.slice(sep + 1) } : {}) };
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
  // From the store into the store: the image is there or it is not, as in podman.
  if (t.transport === 'containers-storage') return (await import('../image/resolve.js')).resolveImage(ctx, `${t.transport}:${t.target}`);
  const shown = `${t.transport}:${t.target}`;
  checkPolicy(loadPolicy(registry.signaturePolicy), t.transport, pathScopes(t.target), `loading "${shown}"`);
  const { loadImages } = await import('../image/load.js');
  const isDir = t.transport === 'oci' || t.transport === 'dir';
  let st: fs.Stats;
  try {
    st = fs.statSync(t.target);
  } catch {
    throw new NotFoundError(`cannot pull "${shown}": no such ${isDir ? 'directory' : 'file'}`);
  }
  if (isDir && !st.isDirectory()) throw new InvalidArgumentError(`cannot pull "${shown}": not a directory${t.transport === 'oci' ? ' (for a tar file use oci-archive:)' : ''}`);
  // A directory is read as load reads one: packed into a temporary tar, one checked path.
  return pick(await loadImages(ctx, { input: t.target }), t, `"${shown}"`);
}

export interface PushToFileOptions {
  /** Convert the manifest (push --format), where the destination has one: oci:, oci-archive:, dir:. */
  format?: ManifestFormat;
  /** dir: gzip the layers that are plain tars (push --compress). */
  compress?: boolean;
}

/**
 * push IMAGE TRANSPORT:PATH[:REF], named as podman names it: docker-archive gets REF (as docker
 * names it) and the image's own name as RepoTags, oci-archive: and oci: get REF as the ref.name
 * annotation as given, or none; dir: has no names; containers-storage:NAME tags the image NAME.
 */
export async function pushToFile(ctx: Context, source: string, t: TransportRef, opts: PushToFileOptions = {}): Promise<void> {
  if (t.transport === 'containers-storage') {
    // Into the store it is in: podman's copy stores the image under the new name, a tag.
    const { tagImage } = await import('../image/tag.js');
    await tagImage(ctx, source, [storageName(t.target, `${t.transport}:${t.target}`)]);
    return;
  }
  if (t.transport === 'docker') throw new InvalidArgumentError('docker:// is pushed to a registry');
  if (t.transport === 'dir' || t.transport === 'oci') {
    const { resolveImage } = await import('../image/resolve.js');
    const image = resolveImage(ctx, source);
    if (t.transport === 'dir') {
      const { writeDirImage } = await import('../image/transports/dir-image.js');
      await writeDirImage(ctx, t.target, image, opts);
    } else {
      const { writeOciLayout } = await import('../image/transports/oci-layout.js');
      await writeOciLayout(ctx, t.target, [{ image, ref: t.ref }], { format: opts.format });
    }
    return;
  }
  const { saveImages } = await import('../image/save.js');
  const { lookupImage } = await import('../image/resolve.js');
  let names: string[];
  if (t.transport === 'oci-archive') names = t.ref !== undefined ? [t.ref] : [];
  else {
    const own = lookupImage(ctx, source).name;
    const ref = t.ref !== undefined ? dockerArchiveName(t.ref) : undefined;
    names = [...new Set([ref, own].filter((n): n is string => n !== undefined))];
  }
  const chunks = saveImages(ctx, { refs: [source], format: t.transport, multiImage: false, names, manifestFormat: opts.format });
  await writeOutput(chunks, { file: t.target });
}

/** A docker-archive REF as docker (and containers/image) name it: "foo/bar:v2" is docker.io/foo/bar:v2. */
function dockerArchiveName(ref: string): string {
  if (/^@\d+$/.test(ref)) throw new InvalidArgumentError(`cannot push to docker-archive:…:${ref}: an index names an image to read, give a name to write`);
  const r = parseReference(ref);
  if (r.digest !== undefined) throw new InvalidArgumentError(`cannot push to docker-archive:…:${ref}: a digest is not a name`);
  return `${r.domain}/${r.path}:${r.tag ?? 'latest'}`;
}
