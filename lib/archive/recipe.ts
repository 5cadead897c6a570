// Rebuilding a layer tar byte for byte from its unpacked directory. While a layer is unpacked,
// every byte that is not the body of a regular file (headers, padding, the trailer, bodies the
// extractor skipped) is kept, with a pointer to the unpacked file that holds each body. `pman
// save` replays that, so the store needs no second copy of every layer tar and the layer keeps
// its diff ID (containers/storage keeps its "tar-split" data for the same reason).
//
// File format: gzip members of JSON lines: {"v":1}, then {"raw":"<base64>"} and
// {"file":"<cleaned path>","size":N} in archive order.
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import zlib from 'node:zlib';
import { CorruptStateError } from '../errors.js';
import { cleanName } from './entry-path.js';
import type { TarEntry, TarRecorder } from './reader.js';

const FLUSH_BYTES = 1 << 20;

export class RecipeRecorder implements TarRecorder {
  private fd: number | undefined;
  private lines: string[] = [];
  private lineBytes = 0;
  private raws: Buffer[] = [];
  private rawBytes = 0;
  private file: { entry: TarEntry; path: string; size: number } | undefined;

  constructor(readonly path: string) {
    this.fd = fs.openSync(path, 'wx', 0o600);
    this.push({ v: 1 });
  }

  raw(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.endFile();
    // Copied: the reader may hand out views of buffers it reuses.
    this.raws.push(Buffer.from(bytes));
    this.rawBytes += bytes.length;
    if (this.rawBytes >= FLUSH_BYTES) this.endRaw();
  }

  body(entry: TarEntry, length: number): void {
    if (this.file?.entry === entry) {
      this.file.size += length;
      return;
    }
    this.endRaw();
    this.endFile();
    this.file = { entry, path: cleanName(entry.name).join('/'), size: length };
  }

  /** Writes what is buffered and closes the file. */
  finish(): void {
    this.endRaw();
    this.endFile();
    this.flush();
    if (this.fd !== undefined) {
      fs.closeSync(this.fd);
      this.fd = undefined;
    }
  }

  /** Closes and deletes the file. */
  abort(): void {
    if (this.fd !== undefined) {
      fs.closeSync(this.fd);
      this.fd = undefined;
    }
    fs.rmSync(this.path, { force: true });
  }

  private endRaw(): void {
    if (this.rawBytes === 0) return;
    this.push({ raw: Buffer.concat(this.raws, this.rawBytes).toString('base64') });
    this.raws = [];
    this.rawBytes = 0;
  }

  private endFile(): void {
    if (!this.file) return;
    this.push({ file: this.file.path, size: this.file.size });
    this.file = undefined;
  }

  private push(line: object): void {
    const text = JSON.stringify(line);
    this.lines.push(text);
    this.lineBytes += text.length + 1;
    if (this.lineBytes >= FLUSH_BYTES) this.flush();
  }

  private flush(): void {
    if (this.lines.length === 0 || this.fd === undefined) return;
    const gz = zlib.gzipSync(`${this.lines.join('\n')}\n`, { level: 6 });
    for (let off = 0; off < gz.length; ) off += fs.writeSync(this.fd, gz, off, gz.length - off);
    this.lines = [];
    this.lineBytes = 0;
  }
}

function corrupt(recipe: string, why: string): CorruptStateError {
  return new CorruptStateError(`cannot rebuild the layer tar from "${recipe}": ${why}; remove the image and load or pull it again`);
}

/** Reads `size` bytes of a regular file in the unpacked layer. */
async function* fileBody(recipe: string, diffDir: string, rel: string, size: number): AsyncGenerator<Buffer> {
  const parts = rel.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..')) throw corrupt(recipe, `it names an invalid path "${rel}"`);
  let fd: number;
  try {
    fd = fs.openSync(path.join(diffDir, ...parts), fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  } catch (err) {
    throw corrupt(recipe, `"${rel}" cannot be opened (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    let left = size;
    let pos = 0;
    while (left > 0) {
      const buf = Buffer.allocUnsafe(Math.min(left, 1 << 20));
      const n = fs.readSync(fd, buf, 0, buf.length, pos);
      if (n === 0) throw corrupt(recipe, `"${rel}" is shorter than recorded`);
      pos += n;
      left -= n;
      yield n === buf.length ? buf : buf.subarray(0, n);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** The layer tar, rebuilt from the recipe and the unpacked files in diffDir. */
export async function* replayRecipe(recipe: string, diffDir: string): AsyncGenerator<Buffer> {
  const input = fs.createReadStream(recipe).pipe(zlib.createGunzip());
  const lines = createInterface({ input, crlfDelay: Infinity });
  let first = true;
  try {
    for await (const line of lines) {
      if (line === '') continue;
      let rec: { v?: number; raw?: string; file?: string; size?: number };
      try {
        rec = JSON.parse(line) as typeof rec;
      } catch {
        throw corrupt(recipe, 'it is not valid JSON lines');
      }
      if (first) {
        if (rec.v !== 1) throw corrupt(recipe, `it has an unknown version ${JSON.stringify(rec.v)}`);
        first = false;
      } else if (typeof rec.raw === 'string') yield Buffer.from(rec.raw, 'base64');
      else if (typeof rec.file === 'string' && Number.isSafeInteger(rec.size) && (rec.size as number) >= 0) yield* fileBody(recipe, diffDir, rec.file, rec.size as number);
      else throw corrupt(recipe, 'it has a malformed line');
    }
  } catch (err) {
    if (err instanceof CorruptStateError) throw err;
    throw corrupt(recipe, (err as Error).message);
  } finally {
    lines.close();
    input.destroy();
  }
  if (first) throw corrupt(recipe, 'it is empty');
}
