// Durable, atomic writes: a record is written to a temp file in the same directory, fsynced,
// then renamed over the old one, so a reader sees the old or the new content, never a torn mix.
import fs from 'node:fs';
import path from 'node:path';
import { CorruptStateError, NotFoundError, systemError } from '../errors.js';

/**
 * `sync: false` leaves out the fsync: still atomic for readers, but not durable across a machine
 * crash. Only for files that need not outlive one (a --rm container's bundle, docs/performance.md).
 */
export function writeFileAtomic(file: string, data: string | Buffer, mode = 0o600, { sync = true }: { sync?: boolean } = {}): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'wx', mode);
    fs.writeFileSync(fd, data);
    if (sync) fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, file);
  } catch (err) {
    if (fd !== undefined) fs.closeSync(fd);
    try {
      fs.unlinkSync(tmp);
    } catch {
      /* the temp file may not exist */
    }
    throw systemError(`write "${file}"`, err);
  }
}

export function writeJsonAtomic(file: string, value: unknown, mode = 0o600): void {
  writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n', mode);
}

export type Validator<T> = ((value: unknown) => value is T) & { errors?: Array<{ instancePath?: string; message?: string }> | null };

/**
 * Reads and validates a JSON state file. A missing file is NotFoundError (the caller names the
 * thing); unparsable or invalid content is CorruptStateError naming the file.
 */
export function readJsonValidated<T>(file: string, validate: Validator<T>, what: string): T {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(`${what} not found: ${file} does not exist`);
    throw systemError(`read ${what} "${file}"`, err);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new CorruptStateError(
      `cannot read ${what}: "${file}" is not valid JSON (corrupt or truncated); remove it or restore it from a backup`,
      { cause: err },
    );
  }
  if (!validate(value)) {
    const first = validate.errors?.[0];
    const where = first ? `${first.instancePath || '/'} ${first.message ?? ''}`.trim() : 'schema mismatch';
    throw new CorruptStateError(`cannot read ${what}: "${file}" is invalid (${where}); remove it or restore it from a backup`);
  }
  return value;
}

/** The entries of a state directory that pass `keep`; a directory not made yet has none. */
export function listStateDir(dir: string, what: string, keep: (name: string) => boolean): string[] {
  try {
    return fs.readdirSync(dir).filter(keep);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw systemError(`list ${what} in "${dir}"`, err);
  }
}

/**
 * Loads the record of every key. A corrupt record is reported with one warning naming its file and
 * left out (never silently dropped or overwritten); one removed meanwhile is skipped.
 */
export function loadEach<T>(keys: string[], load: (key: string) => T, warn: (message: string) => void): T[] {
  const out: T[] = [];
  for (const key of keys) {
    try {
      out.push(load(key));
    } catch (err) {
      if (err instanceof NotFoundError) continue;
      if (err instanceof CorruptStateError) {
        warn(err.message);
        continue;
      }
      throw err;
    }
  }
  return out;
}
