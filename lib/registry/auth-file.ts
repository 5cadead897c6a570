// Credentials in the containers' auth.json format (containers-auth.json(5)), which docker's
// config.json shares: {"auths": {"KEY": {"auth": base64("user:pass"), "identitytoken": …}}}.
// KEY is "host[:port]" or "host[:port]/namespace/repo"; lookups go from the most to the least
// specific key, file by file. Docker's "https://index.docker.io/v1/" keys mean docker.io.
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, systemError } from '../errors.js';
import { writeFileAtomic } from '../state/atomic.js';

export interface Credentials {
  username: string;
  password: string;
  /** An OAuth refresh token (docker's "identitytoken"); used instead of the password for bearer auth. */
  identityToken?: string;
}

export interface FoundCredentials {
  credentials: Credentials;
  /** The file and key they came from. */
  file: string;
  key: string;
}

interface AuthEntry {
  auth?: string;
  identitytoken?: string;
  [k: string]: unknown;
}

interface AuthDoc {
  auths?: Record<string, AuthEntry>;
  [k: string]: unknown;
}

/** "https://index.docker.io/v1/" -> "docker.io"; "HOST:PORT/" -> "HOST:PORT"; paths kept. */
export function normalizeAuthKey(key: string): string {
  let k = key.trim().replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '');
  k = k.replace(/\/v[12]$/, '');
  const slash = k.indexOf('/');
  const host = (slash < 0 ? k : k.slice(0, slash)).toLowerCase();
  const rest = slash < 0 ? '' : k.slice(slash);
  const h = host === 'index.docker.io' || host === 'registry-1.docker.io' ? 'docker.io' : host;
  return h + rest;
}

/** Keys that may hold credentials for "host/path", most specific first. */
export function lookupKeys(repository: string): string[] {
  const parts = normalizeAuthKey(repository).split('/');
  const keys: string[] = [];
  for (let n = parts.length; n >= 1; n--) keys.push(parts.slice(0, n).join('/'));
  return keys;
}

function readDoc(file: string): AuthDoc | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw systemError(`read the credentials file "${file}"`, err);
  }
  if (text.trim() === '') return {};
  try {
    const doc = JSON.parse(text) as unknown;
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new Error('not a JSON object');
    const d = doc as AuthDoc;
    if (d.auths !== undefined && (typeof d.auths !== 'object' || d.auths === null || Array.isArray(d.auths))) throw new Error('"auths" is not an object');
    return d;
  } catch (err) {
    // Never quote the content: it holds secrets.
    throw new InvalidArgumentError(`invalid credentials file "${file}": ${(err as Error).message.replace(/ in JSON at .*$/, '')}`);
  }
}

function decodeEntry(entry: AuthEntry, file: string, key: string): Credentials | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const token = typeof entry.identitytoken === 'string' && entry.identitytoken !== '' ? entry.identitytoken : undefined;
  if (typeof entry.auth !== 'string' || entry.auth === '') {
    return token ? { username: '', password: '', identityToken: token } : undefined;
  }
  const plain = Buffer.from(entry.auth, 'base64').toString('utf8');
  const colon = plain.indexOf(':');
  if (colon < 0) throw new InvalidArgumentError(`invalid credentials for "${key}" in "${file}": the "auth" value is not base64 of "user:password"`);
  return { username: plain.slice(0, colon), password: plain.slice(colon + 1), identityToken: token };
}

/** Finds credentials for a repository ("host[:port]/path") in the files, in order. */
export function findCredentials(files: string[], repository: string): FoundCredentials | undefined {
  const wanted = lookupKeys(repository);
  for (const file of files) {
    const doc = readDoc(file);
    if (!doc?.auths) continue;
    const byKey = new Map<string, string>();
    for (const k of Object.keys(doc.auths)) if (!byKey.has(normalizeAuthKey(k))) byKey.set(normalizeAuthKey(k), k);
    for (const key of wanted) {
      const raw = byKey.get(key);
      if (raw === undefined) continue;
      const credentials = decodeEntry(doc.auths[raw], file, raw);
      if (credentials) return { credentials, file, key: raw };
    }
  }
  return undefined;
}

function writeDoc(file: string, doc: AuthDoc): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  } catch (err) {
    throw systemError(`create the directory of "${file}"`, err);
  }
  writeFileAtomic(file, `${JSON.stringify(doc, null, '\t')}\n`, 0o600);
}

/** Stores credentials under `key` (mode 0600), keeping everything else in the file. */
export function storeCredentials(file: string, key: string, c: Credentials): void {
  const doc = readDoc(file) ?? {};
  const auths = { ...(doc.auths ?? {}) };
  for (const k of Object.keys(auths)) if (normalizeAuthKey(k) === normalizeAuthKey(key)) delete auths[k];
  auths[key] = { auth: Buffer.from(`${c.username}:${c.password}`).toString('base64') };
  writeDoc(file, { ...doc, auths });
}

/** Removes the entry for `key`; false when there was none. */
export function removeCredentials(file: string, key: string): boolean {
  const doc = readDoc(file);
  if (!doc?.auths) return false;
  const auths = { ...doc.auths };
  let found = false;
  for (const k of Object.keys(auths)) {
    if (normalizeAuthKey(k) === normalizeAuthKey(key)) {
      delete auths[k];
      found = true;
    }
  }
  if (found) writeDoc(file, { ...doc, auths });
  return found;
}

/** Removes every entry (the file keeps its other settings). */
export function removeAllCredentials(file: string): void {
  const doc = readDoc(file);
  if (doc === undefined) return;
  writeDoc(file, { ...doc, auths: {} });
}

/** True when `file` has any entry for exactly `key`. */
export function hasCredentials(file: string, key: string): boolean {
  const doc = readDoc(file);
  return Object.keys(doc?.auths ?? {}).some((k) => normalizeAuthKey(k) === normalizeAuthKey(key));
}
