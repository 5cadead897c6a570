import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { encodePaxRecord, parsePax } from '../../../lib/archive/pax.js';
import { TarReader, type TarEntry } from '../../../lib/archive/reader.js';
import { encodeEntry, encodeHeader, END_OF_ARCHIVE, type TarHeader } from '../../../lib/archive/writer.js';
import { bytes, TempDirs } from './fixtures.js';

const temp = new TempDirs();
afterEach(() => temp.cleanup());

async function readAll(buf: Buffer): Promise<TarEntry[]> {
  const r = new TarReader(bytes(buf));
  const out: TarEntry[] = [];
  for await (const e of r.entries()) out.push(e);
  return out;
}

const base = { mode: 0o644, uid: 0, gid: 0, mtime: 1700000000 };
const long = (n: number, c = 'd') => Array.from({ length: n }, (_, i) => `${c}${i}`.padEnd(9, 'x')).join('/');

describe('tar header writer', () => {
  it('writes plain ustar headers that read back field for field', async () => {
    const h: TarHeader = { ...base, name: 'etc/passwd', type: 'file', size: 3, mode: 0o4755, uid: 1000, gid: 100, uname: 'u', gname: 'g' };
    const buf = Buffer.concat([encodeEntry(h, Buffer.from('abc')), END_OF_ARCHIVE]);
    expect(buf.length).toBe(512 * 4);
    const [e] = await readAll(buf);
    expect(e).toMatchObject({ name: 'etc/passwd', type: 'file', mode: 0o4755, uid: 1000, gid: 100, size: 3, mtime: 1700000000 });
  });

  it('splits a long name into the ustar prefix when it can and uses PAX when it cannot', async () => {
    const splittable = `${long(12)}/file`; // > 100 bytes, < 155 + 100
    const unsplittable = `${long(40)}/${'f'.repeat(120)}`;
    const buf = Buffer.concat([
      encodeHeader({ ...base, name: splittable, type: 'file', size: 0 }),
      encodeHeader({ ...base, name: unsplittable, type: 'file', size: 0 }),
      END_OF_ARCHIVE,
    ]);
    expect(buf.subarray(345, 350).toString()).toBe(splittable.slice(0, 5)); // prefix field
    expect((await readAll(buf)).map((e) => e.name)).toEqual([splittable, unsplittable]);
  });

  it('uses PAX for non-ASCII and long link targets, large IDs, negative times and xattrs', async () => {
    const cap = Buffer.from([1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const buf = Buffer.concat([
      encodeHeader({ ...base, name: 'üñï/ſymlink', type: 'symlink', size: 0, linkname: `/${'t'.repeat(150)}` }),
      encodeHeader({ ...base, name: 'big', type: 'file', size: 0, uid: 3_000_000_000, gid: 70_000_000, mtime: -5 }),
      encodeHeader({ ...base, name: 'bin/ping', type: 'file', size: 0, xattrs: new Map([['security.capability', cap], ['user.k', Buffer.from('v')]]) }),
      END_OF_ARCHIVE,
    ]);
    const [sym, big, ping] = await readAll(buf);
    expect([sym.name, sym.linkname]).toEqual(['üñï/ſymlink', `/${'t'.repeat(150)}`]);
    expect([big.uid, big.gid, big.mtime]).toEqual([3_000_000_000, 70_000_000, -5]);
    expect(ping.xattrs.get('security.capability')).toEqual(cap);
    expect(ping.xattrs.get('user.k')?.toString()).toBe('v');
  });

  it('writes device numbers, FIFOs, hard links and directories', async () => {
    const buf = Buffer.concat([
      encodeHeader({ ...base, name: 'dev/', type: 'dir', size: 0, mode: 0o755 }),
      encodeHeader({ ...base, name: 'dev/null', type: 'char', size: 0, devmajor: 1, devminor: 3 }),
      encodeHeader({ ...base, name: 'dev/sda', type: 'block', size: 0, devmajor: 8, devminor: 0 }),
      encodeHeader({ ...base, name: 'dev/fifo', type: 'fifo', size: 0 }),
      encodeHeader({ ...base, name: 'dev/null2', type: 'hardlink', size: 0, linkname: 'dev/null' }),
      END_OF_ARCHIVE,
    ]);
    expect((await readAll(buf)).map((e) => [e.name, e.type, e.devmajor, e.devminor, e.linkname])).toEqual([
      ['dev/', 'dir', 0, 0, ''],
      ['dev/null', 'char', 1, 3, ''],
      ['dev/sda', 'block', 8, 0, ''],
      ['dev/fifo', 'fifo', 0, 0, ''],
      ['dev/null2', 'hardlink', 0, 0, 'dev/null'],
    ]);
  });

  it('writes archives that GNU tar and Python tarfile read the same way', () => {
    const dir = temp.make();
    const file = path.join(dir, 'a.tar');
    const deep = `${long(30)}/leaf.txt`;
    fs.writeFileSync(
      file,
      Buffer.concat([
        encodeEntry({ ...base, name: deep, uid: 2_500_000 }, Buffer.from('deep\n')),
        encodeEntry({ ...base, name: 'x', xattrs: new Map([['user.note', Buffer.from('hi')]]) }, Buffer.from('')),
        END_OF_ARCHIVE,
      ]),
    );
    expect(execFileSync('tar', ['-tf', file]).toString().split('\n')).toEqual([deep, 'x', '']);
    expect(execFileSync('tar', ['-xOf', file, deep]).toString()).toBe('deep\n');
    const py = execFileSync('python3', [
      '-c',
      'import sys,tarfile,json; t=tarfile.open(sys.argv[1]); print(json.dumps([[m.name,m.uid,m.pax_headers.get("SCHILY.xattr.user.note")] for m in t]))',
      file,
    ]);
    expect(JSON.parse(py.toString())).toEqual([
      [deep, 2_500_000, null],
      ['x', 0, 'hi'],
    ]);
  });

  it('refuses values tar cannot hold', () => {
    expect(() => encodeHeader({ ...base, name: 'd', type: 'char', size: 0, devmajor: 1 << 30 })).toThrow('device number');
    expect(() => encodeHeader({ ...base, name: 'f', type: 'file', size: -1 })).toThrow('invalid size');
  });
});

describe('PAX record encoding', () => {
  it('counts the length digits themselves, also when they add a digit', () => {
    for (const n of [1, 80, 88, 89, 90, 91, 95, 990, 993, 994, 995]) {
      const rec = encodePaxRecord('k', Buffer.alloc(n, 0x61));
      const len = Number(rec.toString('latin1').split(' ')[0]);
      expect(len).toBe(rec.length);
      expect(parsePax(rec, 0).get('k')?.length).toBe(n);
    }
  });
});
