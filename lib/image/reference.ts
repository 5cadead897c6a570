// Image references as docker and podman spell them: [DOMAIN/]PATH[:TAG][@DIGEST]. The first
// path component is a registry only if it has a "." or ":" or is "localhost"; otherwise the
// name is short, and docker.io with "library/" is what it means remotely.
import { InvalidArgumentError } from '../errors.js';

export interface Reference {
  /** Registry host[:port], e.g. "docker.io", "localhost", "127.0.0.1:5000". */
  domain: string;
  /** Repository path inside the registry, e.g. "library/busybox". */
  path: string;
  tag?: string;
  /** "sha256:<64 hex>". */
  digest?: string;
  /** True when the text named no registry (the domain above is then docker.io). */
  short: boolean;
  /** The path as the user typed it when short (before "library/" was added). */
  shortPath: string;
}

export const DEFAULT_DOMAIN = 'docker.io';
export const LOCAL_DOMAIN = 'localhost';
export const DEFAULT_TAG = 'latest';

const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST_RE = /^sha256:[0-9a-f]{64}$/;
const COMPONENT_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_RE = /^(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*|\[[0-9a-fA-F:.]+\])(?::[0-9]+)?$/;

function invalid(ref: string, reason: string): InvalidArgumentError {
  return new InvalidArgumentError(`invalid image reference "${ref}": ${reason}`);
}

function looksLikeDomain(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === LOCAL_DOMAIN;
}

/** Parses and normalizes a reference; throws InvalidArgumentError naming what is wrong. */
export function parseReference(ref: string): Reference {
  if (ref === '') throw invalid(ref, 'the name is empty');
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST_RE.test(digest)) throw invalid(ref, `"${digest}" is not a sha256 digest (sha256: and 64 lowercase hex digits)`);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG_RE.test(tag)) throw invalid(ref, `"${tag}" is not a valid tag`);
  }
  const parts = rest.split('/');
  let domain = DEFAULT_DOMAIN;
  let short = true;
  if (parts.length > 1 && looksLikeDomain(parts[0])) {
    domain = parts.shift() as string;
    short = false;
    if (!DOMAIN_RE.test(domain)) throw invalid(ref, `"${domain}" is not a valid registry host`);
    if (domain === 'index.docker.io') domain = DEFAULT_DOMAIN;
  }
  for (const p of parts) {
    if (COMPONENT_RE.test(p)) continue;
    if (COMPONENT_RE.test(p.toLowerCase())) throw invalid(ref, 'repository name must be lowercase');
    throw invalid(ref, `"${p}" is not a valid repository name component`);
  }
  const shortPath = parts.join('/');
  const path = domain === DEFAULT_DOMAIN && parts.length === 1 ? `library/${shortPath}` : shortPath;
  if (domain.length + 1 + path.length > 255) throw invalid(ref, 'the repository name is longer than 255 characters');
  return { domain, path, tag, digest, short, shortPath };
}

/** "domain/path". */
export function repositoryOf(r: Pick<Reference, 'domain' | 'path'>): string {
  return `${r.domain}/${r.path}`;
}

export function formatReference(r: Reference): string {
  return repositoryOf(r) + (r.tag !== undefined ? `:${r.tag}` : '') + (r.digest !== undefined ? `@${r.digest}` : '');
}

/**
 * The fully qualified name pman gives an image it creates (import, tag): short names go under
 * localhost/ (as podman does), the tag defaults to latest, digests are refused.
 */
export function normalizeNewName(name: string): string {
  const r = parseReference(name);
  if (r.digest !== undefined) throw invalid(name, 'an image cannot be named by a digest; give a name and tag');
  const domain = r.short ? LOCAL_DOMAIN : r.domain;
  const path = r.short ? r.shortPath : r.path;
  return `${domain}/${path}:${r.tag ?? DEFAULT_TAG}`;
}

/** Splits a stored fully qualified name "domain/path:tag" into repository and tag. */
export function splitName(name: string): { repository: string; tag: string } {
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) return { repository: name.slice(0, colon), tag: name.slice(colon + 1) };
  return { repository: name, tag: '' };
}
