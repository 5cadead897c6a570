// An image archive (docker-archive or oci-archive: an uncompressed tar) opened for random access.
// Its headers are read once to find every member; members are then read where they lie in the
// file, without copying the archive anywhere. The archive is untrusted: member names are only
// lookup keys (nothing is written under them), and links inside it are followed once, inside it.
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, PmanError } from '../errors.js';
import { cleanName } from '../archive/entry-path.js';
import { FileSource } from '../archive/file-source.js';
import { TarReader, type EntryType } from '../archive/reader.js';

interface Member {
  name: string;
  type: EntryType;
  /** File offset of the body. */
  offset: number;
  size: number;
  linkname: string;
}

/** JSON documents (manifests, configs, indexes) are small; a huge one is an attack. */
const MAX_JSON = 16 << 20;

export class ArchiveIndex {
  private readonly members = new Map<string, Member>();

  private constructor(
    readonly file: string,
    private readonly fd: number,
  ) {}

  /** Reads the archive's headers; a truncated or malformed archive is an error here. */
  static async open(file: string): Promise<ArchiveIndex> {
    const fd = fs.openSync(file, 'r');
    const index = new ArchiveIndex(file, fd);
    try {
      const size = fs.fstatSync(fd).size;
      const reader = new TarReader(new FileSource(fd, size));
      for (let e = await reader.next(); e; e = await reader.next()) {
        const name = cleanName(e.name).join('/');
        index.members.set(name, { name, type: e.type, offset: reader.offset, size: e.size, linkname: e.linkname });
      }
      return index;
    } catch (err) {
      index.close();
      throw err;
    }
  }

  close(): void {
    try {
      fs.closeSync(this.fd);
    } catch {
      /* closed already */
    }
  }

  names(): string[] {
    return [...this.members.keys()];
  }

  /** The regular file a name leads to, following one symlink or hard link inside the archive. */
  find(name: string): Member | undefined {
    let key: string;
    try {
      key = cleanName(name).join('/');
    } catch {
      return undefined;
    }
    const m = this.members.get(key);
    if (!m || m.type === 'file') return m;
    if (m.type !== 'symlink' && m.type !== 'hardlink') return undefined;
    let target: string;
    try {
      const base = m.type === 'symlink' && !m.linkname.startsWith('/') ? path.posix.dirname(key) : '';
      target = cleanName(path.posix.join(base, m.linkname)).join('/');
    } catch {
      return undefined;
    }
    const t = this.members.get(target);
    return t?.type === 'file' ? t : undefined;
  }

  has(name: string): boolean {
    return this.find(name) !== undefined;
  }

  private need(name: string, what: string): Member {
    const m = this.find(name);
    if (!m) throw new InvalidArgumentError(`the archive has no ${what} "${name}" (it is incomplete, or not an image archive)`);
    return m;
  }

  size(name: string, what = 'file'): number {
    return this.need(name, what).size;
  }

  /** A small member's whole content. */
  read(name: string, what: string): Buffer {
    const m = this.need(name, what);
    if (m.size > MAX_JSON) throw new InvalidArgumentError(`the ${what} "${name}" in the archive is too large (${m.size} bytes)`);
    const buf = Buffer.alloc(m.size);
    let got = 0;
    while (got < m.size) {
      const n = fs.readSync(this.fd, buf, got, m.size - got, m.offset + got);
      if (n === 0) throw new InvalidArgumentError(`the archive is truncated in "${name}"`);
      got += n;
    }
    return buf;
  }

  /** A member parsed as JSON. */
  json(name: string, what: string): unknown {
    const bytes = this.read(name, what);
    try {
      return JSON.parse(bytes.toString('utf8'));
    } catch (err) {
      throw new InvalidArgumentError(`the ${what} "${name}" in the archive is not valid JSON: ${(err as Error).message}`);
    }
  }

  /** A member's content (from byte `from` on) as a stream of chunks, read where it lies in the file. */
  async *stream(name: string, what: string, from = 0): AsyncGenerator<Buffer> {
    const m = this.need(name, what);
    let pos = m.offset + Math.min(from, m.size);
    const end = m.offset + m.size;
    while (pos < end) {
      const buf = Buffer.allocUnsafe(Math.min(1 << 20, end - pos));
      const n = fs.readSync(this.fd, buf, 0, buf.length, pos);
      if (n === 0) throw new PmanError('invalid-argument', `the archive is truncated in "${name}"`);
      pos += n;
      yield n === buf.length ? buf : buf.subarray(0, n);
    }
  }
}
