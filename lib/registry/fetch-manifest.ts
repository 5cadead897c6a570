// Fetching the manifest of one image: by tag or digest, verified against the digest asked for
// (or the registry's Docker-Content-Digest), capped at 4 MiB, and, for a manifest list or OCI
// index, the entry for the wanted platform fetched in turn.
import type { RegistryClient } from './client.js';
import { pullScope } from './client.js';
import { BodyTooLargeError, discard, readBody } from './http.js';
import { MANIFEST_ACCEPT, MAX_MANIFEST_BYTES, parseManifest, type ImageIndex, type ImageManifest, type Manifest } from './manifest.js';
import { availablePlatforms, choosePlatform, formatPlatform, type WantedPlatform } from './platform.js';
import { RegistryError, unexpectedStatus } from './registry-error.js';

export async function fetchManifest(client: RegistryClient, repoPath: string, reference: string): Promise<Manifest> {
  const where = `${client.registry}/${repoPath}${reference.startsWith('sha256:') ? '@' : ':'}${reference}`;
  const res = await client.request('GET', `/v2/${repoPath}/manifests/${reference}`, {
    scopes: [pullScope(repoPath)],
    headers: { Accept: MANIFEST_ACCEPT },
  });
  if (res.status === 404) {
    discard(res);
    throw new RegistryError('not-found', `${where}: manifest unknown (no such repository, tag or digest)`, { status: 404 });
  }
  if (res.status !== 200) throw await unexpectedStatus(res, `cannot fetch the manifest of ${where}`);
  let bytes: Buffer;
  try {
    bytes = await readBody(res, MAX_MANIFEST_BYTES, 'manifest');
  } catch (err) {
    if (err instanceof BodyTooLargeError) throw new RegistryError('invalid', `the manifest of ${where} is larger than ${MAX_MANIFEST_BYTES} bytes: refused`);
    throw new RegistryError('unreachable', `cannot fetch the manifest of ${where}: ${(err as Error).message}`, { cause: err });
  }
  const m = parseManifest(bytes, res.headers['content-type'], `manifest of ${where}`);
  if (reference.startsWith('sha256:') && m.digest !== reference) {
    throw new RegistryError('invalid', `the manifest of ${where} has the wrong digest (got ${m.digest}): refused`);
  }
  const claimed = res.headers['docker-content-digest'];
  if (typeof claimed === 'string' && claimed.startsWith('sha256:') && claimed !== m.digest) {
    throw new RegistryError('invalid', `the manifest of ${where} does not match the digest the registry gave for it (${claimed} vs ${m.digest}): refused`);
  }
  return m;
}

export interface ResolvedManifest {
  manifest: ImageManifest;
  /** The index it was chosen from, if any. */
  index?: ImageIndex;
}

/** The image manifest for `want`, going through an index if the reference names one. */
export async function resolveManifest(client: RegistryClient, repoPath: string, reference: string, want: WantedPlatform): Promise<ResolvedManifest> {
  const top = await fetchManifest(client, repoPath, reference);
  if (top.kind === 'image') return { manifest: top };
  const entry = choosePlatform(top.manifests, want);
  if (!entry) {
    throw new RegistryError(
      'not-found',
      `no image for platform ${formatPlatform(want)} in the manifest list of ${client.registry}/${repoPath} (available: ${availablePlatforms(top.manifests)})`,
    );
  }
  const child = await fetchManifest(client, repoPath, entry.digest);
  if (child.kind !== 'image') throw new RegistryError('invalid', `the manifest list of ${client.registry}/${repoPath} nests another list (${entry.digest}): not supported`);
  return { manifest: child, index: top };
}
