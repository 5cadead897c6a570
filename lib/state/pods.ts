// The pod store: records on disk, ID and name resolution, locked updates. Pod names share the
// names/ directory with containers, as podman's do (a pod and a container cannot have one name).
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { InvalidArgumentError, NotFoundError, systemError } from '../errors.js';
import { listStateDir, loadEach, readJsonValidated, writeJsonAtomic } from './atomic.js';
import { nameOwner, releaseName } from './containers.js';
import { ID_RE, NAME_RE, shortId } from './ids.js';
import { withLock } from './lock.js';
import { podRecordPath, podsDir } from './paths.js';
import { validatePodRecord, type PodRecord } from './pod-record.js';

export function loadPod(ctx: Context, id: string): PodRecord {
  return readJsonValidated(podRecordPath(ctx, id), validatePodRecord, `pod ${shortId(id)} record`);
}

export function savePod(ctx: Context, rec: PodRecord): void {
  writeJsonAtomic(podRecordPath(ctx, rec.id), rec);
}

export function podExists(ctx: Context, id: string): boolean {
  return fs.existsSync(podRecordPath(ctx, id));
}

/** Runs fn under the pod's lock (held while its members are created or removed). */
export async function withPodLock<T>(ctx: Context, id: string, fn: () => Promise<T> | T): Promise<T> {
  return withLock(podRecordPath(ctx, id), fn);
}

export async function updatePod(ctx: Context, id: string, fn: (rec: PodRecord) => void): Promise<PodRecord> {
  return withPodLock(ctx, id, () => {
    const rec = loadPod(ctx, id);
    fn(rec);
    savePod(ctx, rec);
    return rec;
  });
}

export function listPods(ctx: Context): PodRecord[] {
  const ids = listStateDir(podsDir(ctx), 'pods', (n) => ID_RE.test(n));
  return loadEach(ids, (id) => loadPod(ctx, id), ctx.warn);
}

/** A pod by full ID, name, or unique ID prefix. */
export function resolvePod(ctx: Context, ref: string): PodRecord {
  if (!ref) throw new InvalidArgumentError('a pod name or ID is required');
  if (ID_RE.test(ref) && podExists(ctx, ref)) return loadPod(ctx, ref);
  if (NAME_RE.test(ref)) {
    const owner = nameOwner(ctx, ref);
    if (owner && podExists(ctx, owner)) return loadPod(ctx, owner);
  }
  if (/^[0-9a-f]+$/.test(ref)) {
    const matches = listStateDir(podsDir(ctx), 'pods', (n) => ID_RE.test(n) && n.startsWith(ref));
    if (matches.length > 1) throw new InvalidArgumentError(`pod ID prefix "${ref}" is ambiguous: it matches ${matches.map(shortId).join(', ')}; give more characters`);
    if (matches.length === 1) return loadPod(ctx, matches[0]);
  }
  throw new NotFoundError(`no pod with name or ID "${ref}" found: run "pman pod ps" to list pods`);
}

/** Creates the pod's directory and first record; the name must already be reserved. */
export function createPodRecord(ctx: Context, rec: PodRecord): void {
  try {
    fs.mkdirSync(path.join(podsDir(ctx), rec.id), { recursive: true, mode: 0o700 });
  } catch (err) {
    throw systemError(`create pod directory for "${rec.name}"`, err);
  }
  savePod(ctx, rec);
}

/** Removes the pod's record and name (its containers are already gone). */
export function deletePodFiles(ctx: Context, rec: PodRecord): void {
  fs.rmSync(podRecordPath(ctx, rec.id), { force: true });
  fs.rmSync(path.join(podsDir(ctx), rec.id), { recursive: true, force: true });
  releaseName(ctx, rec.name, rec.id);
}
