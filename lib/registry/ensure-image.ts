// The image a new container needs, under a --pull policy (podman's): "missing" pulls only when
// no local image matches, "always" pulls every time (cheap when nothing changed: only the manifest
// and config travel), "newer" pulls but falls back to the local image when the registry cannot be
// reached, "never" uses local images only.
import { parseTransport, pullFromFile } from './transports.js';
import type { Context } from '../context.js';
import { InvalidArgumentError, NotFoundError } from '../errors.js';
import type { ImageRecord } from '../image/image-record.js';
import { listImageRecords } from '../image/records.js';
import { parseReference } from '../image/reference.js';
import { resolveImage } from '../image/resolve.js';
import type { PullOptions } from './pull.js';
import { RegistryError } from './registry-error.js';

export type PullPolicy = 'missing' | 'always' | 'never' | 'newer';
export const PULL_POLICIES: PullPolicy[] = ['missing', 'always', 'never', 'newer'];

export function parsePullPolicy(text: string | undefined): PullPolicy {
  if (text === undefined) return 'missing';
  const v = text.toLowerCase();
  if (v === 'true') return 'always';
  if (v === 'false') return 'missing';
  if ((PULL_POLICIES as string[]).includes(v)) return v as PullPolicy;
  throw new InvalidArgumentError(`invalid --pull "${text}": use missing, always, never or newer`);
}

const ID_LIKE = /^(?:sha256:)?[0-9a-f]{12,64}$/;

function local(ctx: Context, ref: string): ImageRecord | undefined {
  try {
    return resolveImage(ctx, ref);
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
  }
  // A pull by digest leaves the image without a name: find it by its manifest digest.
  const digest = ref.includes('@') ? ref.slice(ref.indexOf('@') + 1) : undefined;
  return digest ? listImageRecords(ctx).find((i) => i.digest === digest) : undefined;
}

export async function ensureImage(ctx: Context, name: string, policy: PullPolicy, pull: Omit<PullOptions, 'reference'>): Promise<ImageRecord> {
  // docker-archive:, oci-archive:, oci: … are loaded every time, as podman does; docker:// is a registry name.
  const transport = parseTransport(name);
  if (transport && transport.transport !== 'docker') return pullFromFile(ctx, transport, pull.registry);
  const ref = transport ? transport.target : name;
  if (policy === 'never') return resolveImage(ctx, ref);
  const have = local(ctx, ref);
  if (policy === 'missing') {
    if (have) return have;
    if (ID_LIKE.test(ref)) throw new NotFoundError(`image "${ref}" not found in local storage: an image ID cannot be pulled`);
    parseReference(ref);
  }
  // Loaded only when a pull happens: `pman run` of a local image stays as quick to start as before.
  const { pullImage } = await import('./pull.js');
  const { closeAgents } = await import('./http.js');
  try {
    return (await pullImage(ctx, { ...pull, reference: ref })).image;
  } catch (err) {
    if (policy === 'newer' && have && err instanceof RegistryError && (err.kind === 'unreachable' || err.kind === 'auth')) {
      ctx.warn(`${err.message}; using the local image`);
      return have;
    }
    throw err;
  } finally {
    closeAgents();
  }
}
