// /images/…: list, pull (progress as Docker's JSON lines), inspect, tag, remove, save, load, push.
import type { Writable } from 'node:stream';
import { filterImages } from '../image/filter.js';
import { withShownSizes } from '../image/image-size.js';
import { listImageRecords } from '../image/records.js';
import { resolveImage } from '../image/resolve.js';
import { removeImages } from '../image/remove.js';
import { tagImage } from '../image/tag.js';
import { loadImages } from '../image/load.js';
import { saveImages } from '../image/save.js';
import { inspectView } from '../image/view.js';
import type { ImageRecord } from '../image/image-record.js';
import { pullImage } from '../registry/pull.js';
import { pushImage } from '../registry/push.js';
import type { TransferProgress } from '../registry/progress.js';
import type { RegistryOptions } from '../registry/options.js';
import { wantedPlatform } from '../registry/platform.js';
import { listContainers } from '../state/containers.js';
import type { Call } from './call.js';
import { ApiError, qBool, qFilters } from './http.js';
import { route, type Route } from './router.js';

function summary(image: ImageRecord, containers: number): Record<string, unknown> {
  return {
    Id: `sha256:${image.id}`,
    ParentId: image.parent ? `sha256:${image.parent}` : '',
    RepoTags: image.names.length > 0 ? image.names : ['<none>:<none>'],
    RepoDigests: image.digest ? image.names.map((n) => `${n.replace(/:[^:/]+$/, '')}@${image.digest}`) : [],
    Created: Math.floor(Date.parse(image.created) / 1000) || 0,
    Size: image.size,
    VirtualSize: image.size,
    SharedSize: -1,
    Labels: image.config.Labels ?? {},
    Containers: containers,
  };
}

async function list(call: Call): Promise<void> {
  const { ctx } = call;
  const images = withShownSizes(ctx, filterImages(ctx, listImageRecords(ctx), qFilters(call.query)));
  const counts = new Map<string, number>();
  for (const c of listContainers(ctx)) counts.set(c.image, (counts.get(c.image) ?? 0) + 1);
  call.json(
    200,
    images.sort((a, b) => Date.parse(b.created) - Date.parse(a.created)).map((i) => summary(i, counts.get(i.id) ?? 0)),
  );
}

async function inspect(call: Call): Promise<void> {
  const image = resolveImage(call.ctx, call.params[0]);
  const v = inspectView(call.ctx, image);
  call.json(200, { ...v, Id: `sha256:${image.id}`, Parent: image.parent ? `sha256:${image.parent}` : '', RepoTags: image.names });
}

/** Docker's progress lines: {"status", "id", "progressDetail"}; an error as {"error", "errorDetail"}. */
function jsonProgress(out: Writable): TransferProgress {
  const line = (o: Record<string, unknown>) => out.write(`${JSON.stringify(o)}\n`);
  const short = (d: string) => d.replace(/^sha256:/, '').slice(0, 12);
  const sizes = new Map<string, { total: number; current: number }>();
  return {
    note: (status) => line({ status }),
    blob: (digest, size, state) => {
      sizes.set(digest, { total: size, current: sizes.get(digest)?.current ?? 0 });
      const text = { waiting: 'Waiting', downloading: 'Downloading', uploading: 'Pushing', done: 'Download complete', exists: 'Already exists', mounted: 'Mounted from another repository' }[state];
      line({ status: text, id: short(digest), progressDetail: {} });
    },
    bytes: (digest, n) => {
      const s = sizes.get(digest) ?? { total: 0, current: 0 };
      s.current += n;
      sizes.set(digest, s);
      line({ status: 'Downloading', id: short(digest), progressDetail: { current: s.current, total: s.total } });
    },
    finish: (status) => line({ status }),
  };
}

/** Credentials from X-Registry-Auth (base64url JSON {username, password}), used instead of stored ones. */
function registryFor(call: Call): RegistryOptions {
  const base = call.service.registry;
  const header = call.req.headers['x-registry-auth'];
  if (typeof header !== 'string' || header === '') return base;
  let auth: Record<string, unknown>;
  try {
    auth = JSON.parse(Buffer.from(header.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new ApiError(400, 'invalid X-Registry-Auth header: expected base64-encoded JSON');
  }
  if (typeof auth.username === 'string' && auth.username && typeof auth.password === 'string') {
    return { ...base, credentials: { username: auth.username, password: auth.password } };
  }
  return base;
}

async function create(call: Call): Promise<void> {
  const from = call.query.get('fromImage');
  if (!from) throw new ApiError(501, 'only pulling (fromImage=) is supported: importing with fromSrc is not yet');
  const tag = call.query.get('tag');
  const reference = tag ? (tag.startsWith('sha256:') ? `${from}@${tag}` : `${from}:${tag}`) : from;
  const registry = registryFor(call);
  const platform = wantedPlatform({ platform: call.query.get('platform') || undefined });
  const out = call.stream('application/json');
  try {
    const r = await pullImage(call.ctx, { reference, registry, platform, progress: jsonProgress(out) });
    out.write(`${JSON.stringify({ status: `Digest: ${r.manifestDigest}` })}\n`);
    out.write(`${JSON.stringify({ status: `Status: Downloaded newer image for ${r.reference}` })}\n`);
  } catch (err) {
    // The status line is gone already: Docker reports a failed pull inside the stream.
    const message = err instanceof Error ? err.message : String(err);
    out.write(`${JSON.stringify({ errorDetail: { message }, error: message })}\n`);
  }
  out.end();
}

async function push(call: Call): Promise<void> {
  const tag = call.query.get('tag');
  const source = tag ? `${call.params[0]}:${tag}` : call.params[0];
  const out = call.stream('application/json');
  try {
    const r = await pushImage(call.ctx, { source, registry: registryFor(call), progress: jsonProgress(out) });
    out.write(`${JSON.stringify({ status: `${tag ?? 'latest'}: digest: ${r.digest}` })}\n`);
    out.write(`${JSON.stringify({ aux: { Tag: tag ?? 'latest', Digest: r.digest } })}\n`);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    out.write(`${JSON.stringify({ errorDetail: { message }, error: message })}\n`);
  }
  out.end();
}

async function tag(call: Call): Promise<void> {
  const repo = call.query.get('repo');
  if (!repo) throw new ApiError(400, 'missing repo: give the new name as ?repo=NAME&tag=TAG');
  await tagImage(call.ctx, call.params[0], [`${repo}:${call.query.get('tag') || 'latest'}`]);
  call.empty(201);
}

async function remove(call: Call): Promise<void> {
  const { ctx } = call;
  const usedBy = (imageId: string) => listContainers(ctx).filter((c) => c.image === imageId).map((c) => c.name);
  const results = await removeImages(ctx, [call.params[0]], { force: qBool(call.query, 'force'), usedBy, noPrune: qBool(call.query, 'noprune') });
  const out: Array<Record<string, string>> = [];
  for (const r of results) {
    for (const u of r.untagged) out.push({ Untagged: u });
    if (r.deleted) out.push({ Deleted: `sha256:${r.deleted}` });
  }
  call.json(200, out);
}

async function save(call: Call, refs: string[]): Promise<void> {
  if (refs.length === 0) throw new ApiError(400, 'no image named: give names= (or the image in the path)');
  for (const r of refs) resolveImage(call.ctx, r); // a missing image is a 404 before the stream starts
  const gen = saveImages(call.ctx, { refs, format: 'docker-archive', multiImage: true });
  const out = call.stream('application/x-tar');
  for await (const chunk of gen) {
    if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
  }
  out.end();
}

async function load(call: Call): Promise<void> {
  const images = await loadImages(call.ctx, { stdin: call.bodyStream() });
  const names = images.flatMap((i) => (i.names.length > 0 ? i.names : [`sha256:${i.record.id}`]));
  const out = call.stream('application/json');
  for (const n of names) out.write(`${JSON.stringify({ stream: `Loaded image: ${n}\n` })}\n`);
  out.end();
}

export function imageRoutes(): Route[] {
  return [
    route('GET', '/images/json', list),
    route('POST', '/images/create', create),
    route('POST', '/images/load', load),
    route('GET', '/images/get', (call) => save(call, call.query.getAll('names'))),
    route('GET', '/images/{name*}/json', inspect),
    route('GET', '/images/{name*}/get', (call) => save(call, [call.params[0]])),
    route('POST', '/images/{name*}/tag', tag),
    route('POST', '/images/{name*}/push', push),
    route('DELETE', '/images/{name*}', remove),
  ];
}
