// Test archives: crafted entry by entry with python3's tarfile module (which will write names and
// links no sane tar CLI would, so hostile archives can be made), plus temp dirs that clean up.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Member {
  name: string;
  type?: 'file' | 'dir' | 'symlink' | 'hardlink' | 'char' | 'block' | 'fifo';
  data?: string;
  /** A file whose bytes are the body (binary content), instead of data. */
  file?: string;
  linkname?: string;
  mode?: number;
  uid?: number;
  gid?: number;
  mtime?: number;
  devmajor?: number;
  devminor?: number;
  /** PAX records for this member (pax format only). */
  pax?: Record<string, string>;
}

const SCRIPT = `
import io, json, sys, tarfile
types = {'file': tarfile.REGTYPE, 'dir': tarfile.DIRTYPE, 'symlink': tarfile.SYMTYPE, 'hardlink': tarfile.LNKTYPE,
         'char': tarfile.CHRTYPE, 'block': tarfile.BLKTYPE, 'fifo': tarfile.FIFOTYPE}
for spec in json.loads(sys.argv[1]):
    fmt = {'pax': tarfile.PAX_FORMAT, 'gnu': tarfile.GNU_FORMAT, 'ustar': tarfile.USTAR_FORMAT}[spec['format']]
    with tarfile.open(spec['out'], 'w', format=fmt, pax_headers=spec.get('global') or {}) as tf:
        for m in spec['members']:
            ti = tarfile.TarInfo(m['name'])
            ti.type = types[m.get('type', 'file')]
            ti.mode = m.get('mode', 0o755 if ti.type == tarfile.DIRTYPE else 0o644)
            ti.uid = m.get('uid', 0); ti.gid = m.get('gid', 0)
            ti.mtime = m.get('mtime', 1700000000)
            ti.linkname = m.get('linkname', '')
            ti.devmajor = m.get('devmajor', 0); ti.devminor = m.get('devminor', 0)
            if m.get('pax'): ti.pax_headers = m['pax']
            data = open(m['file'], 'rb').read() if m.get('file') else m.get('data', '').encode()
            ti.size = len(data) if ti.type == tarfile.REGTYPE else 0
            tf.addfile(ti, io.BytesIO(data) if ti.type == tarfile.REGTYPE else None)
`;

export interface TarSpec {
  out: string;
  members: Member[];
  format?: 'pax' | 'gnu' | 'ustar';
  global?: Record<string, string>;
}

/** Writes several tar archives with one python run (python starts slowly); returns their paths. */
export function makeTars(specs: TarSpec[]): string[] {
  const json = specs.map((s) => ({ out: s.out, members: s.members, format: s.format ?? 'pax', global: s.global }));
  execFileSync('python3', ['-c', SCRIPT, JSON.stringify(json)]);
  return specs.map((s) => s.out);
}

/** Writes a tar archive with exactly these members (in this order) and returns its path. */
export function makeTar(out: string, members: Member[], opts: { format?: 'pax' | 'gnu' | 'ustar'; global?: Record<string, string> } = {}): string {
  return makeTars([{ out, members, ...opts }])[0];
}

/** Temp directories for one test file; `cleanup()` in afterEach/afterAll removes them all. */
export class TempDirs {
  private readonly dirs: string[] = [];

  make(prefix = 'pman-tar-'): string {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    this.dirs.push(d);
    return d;
  }

  cleanup(): void {
    for (const d of this.dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  }
}

/** Reads a whole file as the async chunk stream the tar code consumes. */
export function chunks(file: string, highWaterMark?: number): AsyncIterable<Buffer> {
  return fs.createReadStream(file, highWaterMark ? { highWaterMark } : undefined) as AsyncIterable<Buffer>;
}

/** In-memory bytes as a chunk stream. */
export async function* bytes(...bufs: Buffer[]): AsyncGenerator<Buffer> {
  for (const b of bufs) yield b;
}
