// The tags of a repository (distribution API `GET /v2/<name>/tags/list`, paginated by its Link
// header), for `pman pull --all-tags`. A short name is tried against each candidate registry in
// order, as pull does; the first that knows the repository answers.
import type { Context } from '../context.js';
import { InvalidArgumentError } from '../errors.js';
import { formatReference, type Reference } from '../image/reference.js';
import { pullScope, RegistryClient } from './client.js';
import { discard, readBody } from './http.js';
import type { RegistryOptions } from './options.js';
import { loadRegistriesConf } from './registries-conf.js';
import { RegistryError, unexpectedStatus } from './registry-error.js';
import { pullCandidates } from './short-names.js';

const MAX_TAGS_PAGE = 4 << 20;
const MAX_PAGES = 1000;

/** Fully qualified references, one per tag of the repository `text` names (which carries no tag). */
export async function listTagReferences(ctx: Context, text: string, registry: RegistryOptions): Promise<string[]> {
  const conf = loadRegistriesConf(registry.registriesConf);
  const { refs } = pullCandidates(text, conf);
  if (refs[0].tag !== undefined || refs[0].digest !== undefined) throw new InvalidArgumentError(`cannot pull "${text}" with --all-tags: give the repository without a tag or digest`);
  let lastErr: unknown;
  for (const ref of refs) {
    try {
      const client = new RegistryClient(ctx, ref.domain, registry, conf, `${ref.domain}/${ref.path}`);
      return (await tagsOf(client, ref.path)).map((tag) => formatReference({ ...ref, tag } as Reference));
    } catch (err) {
      lastErr = err;
      if (!(err instanceof RegistryError) || refs.length === 1) throw err;
    }
  }
  throw lastErr;
}

async function tagsOf(client: RegistryClient, repoPath: string): Promise<string[]> {
  const tags: string[] = [];
  let next: string | URL | undefined = `/v2/${repoPath}/tags/list`;
  for (let page = 0; next !== undefined && page < MAX_PAGES; page++) {
    const res = await client.request('GET', next, { scopes: [pullScope(repoPath)] });
    if (res.status === 404) {
      discard(res);
      throw new RegistryError('not-found', `${client.registry}/${repoPath}: no such repository`, { status: 404 });
    }
    if (res.status !== 200) throw await unexpectedStatus(res, `cannot list the tags of ${client.registry}/${repoPath}`);
    const text = (await readBody(res, MAX_TAGS_PAGE, 'tag list')).toString();
    let body: { tags?: unknown };
    try {
      body = JSON.parse(text) as { tags?: unknown };
    } catch {
      throw new RegistryError('invalid', `the tag list of ${client.registry}/${repoPath} is not JSON: refused`);
    }
    if (body.tags !== null && body.tags !== undefined && !Array.isArray(body.tags)) throw new RegistryError('invalid', `the tag list of ${client.registry}/${repoPath} is not a list: refused`);
    for (const t of (body.tags as unknown[] | null) ?? []) {
      if (typeof t === 'string' && /^[\w][\w.-]{0,127}$/.test(t)) tags.push(t);
    }
    const link = /<([^>]+)>\s*;\s*rel="?next"?/.exec(String(res.headers.link ?? ''))?.[1];
    next = link === undefined ? undefined : new URL(link, res.url);
  }
  return tags;
}
