// A streaming tar reader: yields one entry at a time with GNU long names ('L'/'K') and PAX
// headers ('x' local, 'g' global) already applied. Entry bodies are streamed, never buffered;
// a body the caller does not read is skipped. Malformed and truncated input is an error.
import { InvalidArgumentError } from '../errors.js';
import { BLOCK, cString, isZeroBlock, parseHeader, type RawHeader } from './header.js';
import { paxInteger, parsePax, paxTime, type PaxRecords } from './pax.js';
import { ByteSource, type Source } from './source.js';

export type EntryType = 'file' | 'hardlink' | 'symlink' | 'char' | 'block' | 'dir' | 'fifo';

export interface TarEntry {
  /** The member name as stored (not yet cleaned; extract.ts decides what is safe). */
  name: string;
  type: EntryType;
  /** Permission bits including setuid/setgid/sticky (0o7777). */
  mode: number;
  uid: number;
  gid: number;
  /** Body length in bytes (0 for everything but regular files). */
  size: number;
  /** Seconds since the epoch, possibly fractional (PAX). */
  mtime: number;
  linkname: string;
  devmajor: number;
  devminor: number;
  /** Extended attributes from PAX SCHILY.xattr.* records. */
  xattrs: Map<string, Buffer>;
  /** Archive offset of the entry's (first) header, for messages. */
  offset: number;
}

/**
 * Sees every byte the reader consumes, split into the bodies of regular files the consumer read
 * and everything else (headers, padding, bodies it skipped, the trailer). recipe.ts uses it to
 * rebuild a layer tar byte for byte from the unpacked files.
 */
export interface TarRecorder {
  raw(bytes: Buffer): void;
  body(entry: TarEntry, length: number): void;
}

/** Extension headers (PAX, GNU long names) are small; a huge one is an attack, not a file name. */
const MAX_META = 1 << 20;

const TYPES: Record<string, EntryType> = {
  '0': 'file',
  '7': 'file',
  '1': 'hardlink',
  '2': 'symlink',
  '3': 'char',
  '4': 'block',
  '5': 'dir',
  '6': 'fifo',
  // GNU dump directory: a directory whose body lists names; the body is skipped.
  D: 'dir',
};

function decodeName(raw: Buffer, what: string, offset: number): string {
  const s = raw.toString('utf8');
  if (!Buffer.from(s, 'utf8').equals(raw)) {
    throw new InvalidArgumentError(`invalid tar archive: the ${what} at offset ${offset} is not valid UTF-8`);
  }
  return s;
}

export class TarReader {
  private readonly src: Source;
  private remaining = 0;
  private padding = 0;
  private current: TarEntry | undefined;
  private global: PaxRecords = new Map();
  private finished = false;

  /** `input` is a stream of chunks, or a Source (file-source.ts reads a file without streaming it). */
  constructor(
    input: AsyncIterable<Uint8Array | string> | Source,
    private readonly recorder?: TarRecorder,
  ) {
    this.src = 'readChunk' in input ? input : new ByteSource(input);
  }

  /** The input offset of the next unread byte (right after next(): where the entry's body starts). */
  get offset(): number {
    return this.src.offset;
  }

  /** Reads exactly n bytes, recording them as raw bytes. */
  private async readRaw(n: number): Promise<Buffer> {
    const b = await this.src.read(n);
    this.recorder?.raw(b);
    return b;
  }

  /** Skips n bytes (read and recorded when recording); returns how many there were. */
  private async skipRaw(n: number): Promise<number> {
    if (!this.recorder) return this.src.skip(n);
    let got = 0;
    while (got < n) {
      const c = await this.src.readChunk(Math.min(n - got, 1 << 20));
      if (!c) break;
      this.recorder.raw(c);
      got += c.length;
    }
    return got;
  }

  private truncated(): InvalidArgumentError {
    const where = this.current ? ` in entry "${this.current.name}"` : '';
    return new InvalidArgumentError(`invalid tar archive: unexpected end of data${where} (the archive is truncated)`);
  }

  private async block(): Promise<Buffer | null> {
    const b = await this.readRaw(BLOCK);
    if (b.length === 0) return null;
    if (b.length < BLOCK) throw this.truncated();
    return b;
  }

  /** The body of an extension header, whole (bounded by MAX_META). */
  private async metaBody(h: RawHeader, offset: number): Promise<Buffer> {
    if (h.size > MAX_META) throw new InvalidArgumentError(`invalid tar archive: extension header at offset ${offset} is too large (${h.size} bytes)`);
    const body = await this.readRaw(h.size);
    if (body.length < h.size) throw this.truncated();
    const pad = (BLOCK - (h.size % BLOCK)) % BLOCK;
    if ((await this.skipRaw(pad)) < pad) throw this.truncated();
    return body;
  }

  /** Skips whatever is left of the current entry's body and padding. */
  private async finishCurrent(): Promise<void> {
    const n = this.remaining + this.padding;
    this.remaining = 0;
    this.padding = 0;
    if (n > 0 && (await this.skipRaw(n)) < n) throw this.truncated();
    this.current = undefined;
  }

  /** The next entry, or null at the end of the archive. */
  async next(): Promise<TarEntry | null> {
    if (this.finished) return null;
    await this.finishCurrent();
    let longName: Buffer | undefined;
    let longLink: Buffer | undefined;
    let pax: PaxRecords | undefined;
    let first: number | undefined;
    for (;;) {
      const offset = this.src.offset;
      const block = await this.block();
      if (block === null) {
        // End of input at a block boundary without the zero-block trailer: tolerated (Go's
        // archive/tar and GNU tar do too), unless an extension header was left dangling.
        if (first !== undefined) throw this.truncated();
        this.finished = true;
        return null;
      }
      if (isZeroBlock(block)) {
        if (first !== undefined) throw new InvalidArgumentError(`invalid tar archive: extension header at offset ${first} is not followed by an entry`);
        const second = await this.readRaw(BLOCK);
        if (second.length > 0 && !(second.length === BLOCK && isZeroBlock(second))) {
          throw new InvalidArgumentError(`invalid tar archive: lone zero block at offset ${offset} followed by data`);
        }
        this.finished = true;
        return null;
      }
      const h = parseHeader(block, offset);
      first ??= offset;
      switch (h.typeflag) {
        case 'L':
          longName = cString(await this.metaBody(h, offset));
          continue;
        case 'K':
          longLink = cString(await this.metaBody(h, offset));
          continue;
        case 'x':
          pax = new Map([...(pax ?? []), ...parsePax(await this.metaBody(h, offset), offset)]);
          continue;
        case 'g':
          for (const [k, v] of parsePax(await this.metaBody(h, offset), offset)) {
            if (v.length === 0) this.global.delete(k);
            else this.global.set(k, v);
          }
          first = undefined;
          continue;
        default:
          return this.begin(h, first, longName, longLink, pax);
      }
    }
  }

  private begin(h: RawHeader, offset: number, longName?: Buffer, longLink?: Buffer, local?: PaxRecords): TarEntry {
    const pax: PaxRecords = new Map([...this.global, ...(local ?? [])]);
    for (const key of pax.keys()) {
      if (key.startsWith('GNU.sparse.')) throw new InvalidArgumentError(`invalid tar archive: entry at offset ${offset} is a sparse file, which is not supported`);
    }
    const rawName = pax.get('path') ?? longName ?? h.name;
    const name = decodeName(rawName, 'entry name', offset);
    let type = TYPES[h.typeflag];
    if (type === undefined) {
      const label = h.typeflag === 'S' ? 'a GNU sparse file' : `of unsupported type '${h.typeflag}'`;
      throw new InvalidArgumentError(`invalid tar archive: entry "${name}" at offset ${offset} is ${label}`);
    }
    // Pre-POSIX writers marked directories as regular files with a trailing slash.
    if (type === 'file' && h.typeflag === '0' && name.endsWith('/')) type = 'dir';
    if (name === '') throw new InvalidArgumentError(`invalid tar archive: entry at offset ${offset} has an empty name`);
    const size = paxInteger(pax, 'size', offset) ?? h.size;
    const xattrs = new Map<string, Buffer>();
    for (const [k, v] of pax) if (k.startsWith('SCHILY.xattr.') && k.length > 13) xattrs.set(k.slice(13), v);
    const entry: TarEntry = {
      name,
      type,
      mode: h.mode,
      uid: paxInteger(pax, 'uid', offset) ?? h.uid,
      gid: paxInteger(pax, 'gid', offset) ?? h.gid,
      size: type === 'file' || h.typeflag === 'D' ? size : 0,
      mtime: paxTime(pax, 'mtime', offset) ?? h.mtime,
      linkname: decodeName(pax.get('linkpath') ?? longLink ?? h.linkname, 'link target', offset),
      devmajor: h.devmajor,
      devminor: h.devminor,
      xattrs,
      offset,
    };
    this.current = entry;
    this.remaining = entry.size;
    this.padding = (BLOCK - (entry.size % BLOCK)) % BLOCK;
    if (h.typeflag === 'D') entry.size = 0;
    return entry;
  }

  /** Streams the current entry's body. */
  async *body(): AsyncGenerator<Buffer> {
    while (this.remaining > 0) {
      const c = await this.src.readChunk(Math.min(this.remaining, 1 << 20));
      if (!c) throw this.truncated();
      this.remaining -= c.length;
      this.recorder?.body(this.current as TarEntry, c.length);
      yield c;
    }
  }

  /** Reads the rest of the input after the end-of-archive marker (padding to the record size). */
  async drain(): Promise<void> {
    if (!this.recorder) return this.src.drain();
    for (let c = await this.src.readChunk(1 << 20); c; c = await this.src.readChunk(1 << 20)) this.recorder.raw(c);
  }

  async *entries(): AsyncGenerator<TarEntry> {
    for (let e = await this.next(); e; e = await this.next()) yield e;
  }
}
