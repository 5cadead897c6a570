import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseNumeric } from '../../../lib/archive/header.js';
import { parsePax } from '../../../lib/archive/pax.js';
import { TarReader, type TarEntry } from '../../../lib/archive/reader.js';
import { bytes, chunks, makeTar, TempDirs } from './fixtures.js';

const temp = new TempDirs();
afterEach(() => temp.cleanup());

interface Read {
  entry: TarEntry;
  body: string;
}

async function readAll(input: AsyncIterable<Uint8Array | string>, withBodies = true): Promise<Read[]> {
  const r = new TarReader(input);
  const out: Read[] = [];
  for await (const entry of r.entries()) {
    let body = '';
    if (withBodies) for await (const c of r.body()) body += c.toString('latin1');
    out.push({ entry, body });
  }
  return out;
}

describe('tar reader', () => {
  it('reads the entries the tar CLI writes, with types, modes, owners and bodies', async () => {
    const d = temp.make();
    const src = path.join(d, 'src');
    fs.mkdirSync(path.join(src, 'dir'), { recursive: true });
    fs.writeFileSync(path.join(src, 'dir/file'), 'hello');
    fs.chownSync(path.join(src, 'dir/file'), 12, 34);
    fs.chmodSync(path.join(src, 'dir/file'), 0o4750);
    fs.symlinkSync('file', path.join(src, 'dir/link'));
    fs.linkSync(path.join(src, 'dir/file'), path.join(src, 'dir/hard'));
    execFileSync('mkfifo', [path.join(src, 'dir/fifo')]);
    const tar = path.join(d, 't.tar');
    execFileSync('tar', ['-C', src, '--sort=name', '-cf', tar, 'dir']);
    const got = await readAll(chunks(tar));
    const byName = new Map(got.map((g) => [g.entry.name, g]));
    expect([...byName.keys()].sort()).toEqual(['dir/', 'dir/fifo', 'dir/file', 'dir/hard', 'dir/link']);
    const file = byName.get('dir/file') as Read;
    expect(file.entry).toMatchObject({ type: 'file', mode: 0o4750, uid: 12, gid: 34, size: 5 });
    expect(file.body).toBe('hello');
    expect(byName.get('dir/')?.entry.type).toBe('dir');
    expect(byName.get('dir/link')?.entry).toMatchObject({ type: 'symlink', linkname: 'file' });
    expect(byName.get('dir/hard')?.entry).toMatchObject({ type: 'hardlink', linkname: 'dir/file', size: 0 });
    expect(byName.get('dir/fifo')?.entry.type).toBe('fifo');
  });

  it('applies GNU long names and long link targets', async () => {
    const d = temp.make();
    const long = `${'a'.repeat(120)}/${'b'.repeat(110)}`;
    const target = `/${'t'.repeat(150)}`;
    const tar = makeTar(path.join(d, 't.tar'), [{ name: long, data: 'x' }, { name: 'l', type: 'symlink', linkname: target }], { format: 'gnu' });
    const got = await readAll(chunks(tar));
    expect(got.map((g) => g.entry.name)).toEqual([long, 'l']);
    expect(got[1].entry.linkname).toBe(target);
  });

  it('applies PAX path, linkpath, owner, fractional mtime and SCHILY xattrs', async () => {
    const d = temp.make();
    const tar = makeTar(path.join(d, 't.tar'), [
      { name: 'short', data: 'abc', pax: { path: 'é/long-name', uid: '3000000', gid: '4000000', mtime: '1700000000.25', 'SCHILY.xattr.user.k': 'v' } },
      { name: 'l', type: 'symlink', pax: { linkpath: 'ünïcode-target' } },
    ]);
    const got = await readAll(chunks(tar));
    expect(got[0].entry).toMatchObject({ name: 'é/long-name', uid: 3000000, gid: 4000000, mtime: 1700000000.25, size: 3 });
    expect(got[0].entry.xattrs.get('user.k')?.toString()).toBe('v');
    expect(got[0].body).toBe('abc');
    expect(got[1].entry.linkname).toBe('ünïcode-target');
  });

  it('applies global PAX headers to every later entry', async () => {
    const d = temp.make();
    const tar = makeTar(path.join(d, 't.tar'), [{ name: 'a' }, { name: 'b' }], { global: { 'SCHILY.xattr.user.g': 'all' } });
    const got = await readAll(chunks(tar));
    expect(got.map((g) => g.entry.xattrs.get('user.g')?.toString())).toEqual(['all', 'all']);
  });

  it('skips the bodies a caller does not read, even across small chunks', async () => {
    const d = temp.make();
    const big = 'z'.repeat(70_000);
    const tar = makeTar(path.join(d, 't.tar'), [{ name: 'big', data: big }, { name: 'after', data: 'ok' }]);
    const r = new TarReader(chunks(tar, 777));
    expect((await r.next())?.name).toBe('big');
    const after = await r.next();
    expect(after?.name).toBe('after');
    let body = '';
    for await (const c of r.body()) body += c.toString();
    expect(body).toBe('ok');
    expect(await r.next()).toBeNull();
  });

  it('rejects a header whose checksum does not match', async () => {
    const d = temp.make();
    const tar = makeTar(path.join(d, 't.tar'), [{ name: 'file', data: 'x' }], { format: 'ustar' });
    const buf = fs.readFileSync(tar);
    buf[0] = 'g'.charCodeAt(0);
    await expect(readAll(bytes(buf))).rejects.toThrow('invalid tar archive: header at offset 0 has a bad checksum');
  });

  it('rejects an archive truncated inside a body, naming the entry', async () => {
    const d = temp.make();
    const tar = makeTar(path.join(d, 't.tar'), [{ name: 'file', data: 'x'.repeat(2000) }], { format: 'ustar' });
    const buf = fs.readFileSync(tar).subarray(0, 512 + 1000);
    await expect(readAll(bytes(buf))).rejects.toThrow('unexpected end of data in entry "file" (the archive is truncated)');
  });

  it('rejects an archive truncated inside a header', async () => {
    const d = temp.make();
    const tar = makeTar(path.join(d, 't.tar'), [{ name: 'file', data: 'x' }], { format: 'ustar' });
    await expect(readAll(bytes(fs.readFileSync(tar).subarray(0, 300)))).rejects.toThrow('the archive is truncated');
  });

  it('accepts an archive that ends at an entry boundary without the zero-block trailer', async () => {
    const d = temp.make();
    const tar = makeTar(path.join(d, 't.tar'), [{ name: 'a', data: 'x' }], { format: 'ustar' });
    const got = await readAll(bytes(fs.readFileSync(tar).subarray(0, 1024)));
    expect(got.map((g) => g.body)).toEqual(['x']);
  });

  it('rejects an extension header that is not followed by an entry', async () => {
    const d = temp.make();
    const tar = makeTar(path.join(d, 't.tar'), [{ name: 'n'.repeat(200), data: 'x' }], { format: 'gnu' });
    // Keep the 'L' header and its one-block body, then the end-of-archive marker.
    const buf = Buffer.concat([fs.readFileSync(tar).subarray(0, 1024), Buffer.alloc(1024)]);
    await expect(readAll(bytes(buf))).rejects.toThrow('is not followed by an entry');
  });

  it('rejects numeric fields that are not octal', async () => {
    const d = temp.make();
    const tar = makeTar(path.join(d, 't.tar'), [{ name: 'file', data: 'x' }], { format: 'ustar' });
    const buf = fs.readFileSync(tar);
    buf.write('9999999', 108, 'latin1'); // uid
    let sum = 0;
    buf.fill(0x20, 148, 156);
    for (let i = 0; i < 512; i++) sum += buf[i];
    buf.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
    await expect(readAll(bytes(buf))).rejects.toThrow('has an invalid uid field "9999999"');
  });

  it('rejects GNU sparse files as unsupported', async () => {
    const d = temp.make();
    const tar = makeTar(path.join(d, 't.tar'), [{ name: 'file', data: 'x', pax: { 'GNU.sparse.major': '1' } }]);
    await expect(readAll(chunks(tar))).rejects.toThrow('is a sparse file, which is not supported');
  });
});

describe('tar header numbers', () => {
  it('reads octal with NUL or space padding', () => {
    expect(parseNumeric(Buffer.from('0000755\0'), 'mode', 0)).toBe(0o755);
    expect(parseNumeric(Buffer.from('  755 \0'), 'mode', 0)).toBe(0o755);
    expect(parseNumeric(Buffer.alloc(8), 'mode', 0)).toBe(0);
  });

  it('reads GNU base-256, positive and negative', () => {
    const pos = Buffer.alloc(12);
    pos[0] = 0x80;
    pos.writeUInt32BE(0x12345678, 8);
    expect(parseNumeric(pos, 'size', 0)).toBe(0x12345678);
    const neg = Buffer.alloc(12, 0xff);
    expect(parseNumeric(neg, 'mtime', 0)).toBe(-1);
  });
});

describe('PAX records', () => {
  it('keeps values as bytes and reads several records', () => {
    const body = Buffer.from('11 path=ab\n17 uid=123456789\n');
    const rec = parsePax(body, 0);
    expect(rec.get('path')?.toString()).toBe('ab');
    expect(rec.get('uid')?.toString()).toBe('123456789');
  });

  it('rejects a record whose length does not match', () => {
    expect(() => parsePax(Buffer.from('30 path=ab\n'), 512)).toThrow('PAX header at offset 512 has a record whose length does not match its content');
  });
});
