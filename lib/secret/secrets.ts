// The secret store (docs/secrets.md): secrets/<id>/secret.json and secrets/<id>/data (0600, in a
// 0700 directory). A secret is written into a temporary directory and renamed into place, so a
// crash leaves either nothing or a whole secret; names are unique under one lock
// (locks/secrets), which container creation does not need: a container records the secret's ID,
// and `secret rm` refuses while a container holds it.
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { ConflictError, InvalidArgumentError, NotFoundError, systemError } from '../errors.js';
import { listStateDir, loadEach, readJsonValidated, writeFileAtomic, writeJsonAtomic } from '../state/atomic.js';
import { NAME_RE } from '../state/ids.js';
import { withLock } from '../state/lock.js';
import { locksDir } from '../state/paths.js';
import { randomBytes } from '../util/random.js';
import { validateSecretRecord, type SecretRecord } from './secret-record.js';

/** podman's limits: a secret holds 1 to 512000 bytes; a name is at most 253 characters. */
export const MAX_SECRET_BYTES = 512000;
const MAX_NAME = 253;
const ID_RE = /^[0-9a-f]{25}$/;

export function secretsDir(ctx: Context): string {
  return path.join(ctx.root, 'secrets');
}

function secretDir(ctx: Context, id: string): string {
  return path.join(secretsDir(ctx), id);
}

const lockFile = (ctx: Context) => path.join(locksDir(ctx), 'secrets');

function loadSecret(ctx: Context, id: string): SecretRecord {
  const rec = readJsonValidated(path.join(secretDir(ctx, id), 'secret.json'), validateSecretRecord, `secret "${id}" record`);
  if (rec.id !== id) throw new NotFoundError(`no secret with ID "${id}"`);
  return rec;
}

export function listSecrets(ctx: Context): SecretRecord[] {
  const ids = listStateDir(secretsDir(ctx), 'secrets', (n) => ID_RE.test(n));
  return loadEach(ids, (id) => loadSecret(ctx, id), (m) => ctx.warn(m)).sort((a, b) => a.created.localeCompare(b.created));
}

/** A secret by exact name, full ID or unique ID prefix (podman's lookup). */
export function resolveSecret(ctx: Context, ref: string): SecretRecord {
  const all = listSecrets(ctx);
  const found = all.find((s) => s.name === ref) ?? all.find((s) => s.id === ref);
  if (found) return found;
  const byPrefix = /^[0-9a-f]+$/.test(ref) ? all.filter((s) => s.id.startsWith(ref)) : [];
  if (byPrefix.length === 1) return byPrefix[0];
  if (byPrefix.length > 1) throw new InvalidArgumentError(`secret ID prefix "${ref}" is ambiguous: give more of the ID or the name`);
  throw new NotFoundError(`no secret with name or id "${ref}": no such secret`);
}

/** The secret's data (read when a container is created or started). */
export function readSecretData(ctx: Context, rec: SecretRecord): Buffer {
  try {
    return fs.readFileSync(path.join(secretDir(ctx, rec.id), 'data'));
  } catch (err) {
    throw systemError(`read the data of secret "${rec.name}"`, err);
  }
}

export interface CreateSecretOptions {
  name: string;
  data: Buffer;
  driver?: string;
  driverOptions?: Record<string, string>;
  labels?: Record<string, string>;
  /** Replace a secret of the same name (keeping nothing of it; refused while in use). */
  replace?: boolean;
}

export function checkSecretName(name: string): void {
  if (!NAME_RE.test(name) || name.length > MAX_NAME) {
    throw new InvalidArgumentError(`invalid secret name "${name}": use letters, digits, "_", "." and "-", starting with a letter or digit, at most ${MAX_NAME} characters`);
  }
}

export async function createSecret(ctx: Context, o: CreateSecretOptions): Promise<SecretRecord> {
  checkSecretName(o.name);
  const driver = o.driver ?? 'file';
  if (driver !== 'file') throw new InvalidArgumentError(`invalid --driver "${driver}": pman has only the file driver (podman's default)`);
  if (o.data.length === 0) throw new InvalidArgumentError('secret data must not be empty');
  if (o.data.length > MAX_SECRET_BYTES) throw new InvalidArgumentError(`secret data is ${o.data.length} bytes: at most ${MAX_SECRET_BYTES} are allowed`);
  return withLock(lockFile(ctx), () => {
    const existing = listSecrets(ctx).find((s) => s.name === o.name);
    if (existing && !o.replace) throw new ConflictError(`a secret named "${o.name}" already exists: remove it first or choose another name`);
    if (existing) removeLocked(ctx, existing);
    const now = new Date().toISOString();
    const id = randomBytes(13).toString('hex').slice(0, 25);
    const rec: SecretRecord = { version: 1, id, name: o.name, driver: 'file', created: now, updated: now, labels: o.labels ?? {}, driverOptions: { path: secretsDir(ctx), ...o.driverOptions } };
    fs.mkdirSync(secretsDir(ctx), { recursive: true, mode: 0o700 });
    const tmp = fs.mkdtempSync(path.join(secretsDir(ctx), '.new-'));
    try {
      writeFileAtomic(path.join(tmp, 'data'), o.data, 0o600);
      writeJsonAtomic(path.join(tmp, 'secret.json'), rec, 0o600);
      fs.renameSync(tmp, secretDir(ctx, id));
    } catch (err) {
      fs.rmSync(tmp, { recursive: true, force: true });
      throw systemError(`store secret "${o.name}"`, err);
    }
    return rec;
  });
}

/**
 * Removes the secret's files. Containers that use it keep their copy (written with their bundle at
 * create), so, as podman does, a secret in use is removed all the same (docs/secrets.md).
 */
function removeLocked(ctx: Context, rec: SecretRecord): void {
  fs.rmSync(secretDir(ctx, rec.id), { recursive: true, force: true });
}

/** Removes a secret (by name or ID), also one containers use. Returns its ID. */
export async function removeSecret(ctx: Context, ref: string): Promise<string> {
  return withLock(lockFile(ctx), () => {
    const rec = resolveSecret(ctx, ref);
    removeLocked(ctx, rec);
    return rec.id;
  });
}
