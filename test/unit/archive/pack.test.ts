import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { native } from '../../../lib/native/native.js';
import { extractTar } from '../../../lib/archive/extract.js';
import { packDirectory, type PackOptions } from '../../../lib/archive/pack.js';
import { TarReader, type TarEntry } from '../../../lib/archive/reader.js';
import { bytes, TempDirs } from './fixtures.js';
import { rootIt } from '../needs-root.js';

const temp = new TempDirs();
afterEach(() => temp.cleanup());


async function pack(root: string, opts: PackOptions = {}): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of packDirectory(root, opts)) parts.push(c);
  return Buffer.concat(parts);
}

async function entries(buf: Buffer): Promise<TarEntry[]> {
  const r = new TarReader(bytes(buf));
  const out: TarEntry[] = [];
  for await (const e of r.entries()) out.push(e);
  return out;
}

function tree(): string {
  const root = path.join(temp.make('pman-pack-'), 'src');
  fs.mkdirSync(path.join(root, 'usr/bin'), { recursive: true });
  fs.writeFileSync(path.join(root, 'usr/bin/tool'), 'binary\n', { mode: 0o755 });
  fs.chmodSync(path.join(root, 'usr/bin/tool'), 0o4755);
  fs.linkSync(path.join(root, 'usr/bin/tool'), path.join(root, 'usr/bin/tool-link'));
  fs.symlinkSync('tool', path.join(root, 'usr/bin/alias'));
  fs.symlinkSync('/etc', path.join(root, 'etc-link'));
  fs.writeFileSync(path.join(root, 'big'), Buffer.alloc(3 * 1024 * 1024 + 7, 0x5a));
  fs.mkdirSync(path.join(root, 'empty'));
  execFileSync('mkfifo', [path.join(root, 'fifo')]);
  fs.utimesSync(path.join(root, 'big'), 1600000000, 1600000000);
  return root;
}

describe('directory packing', () => {
  it('writes every kind of entry, depth first in byte order, and the trailer', async () => {
    const root = tree();
    const list = await entries(await pack(root));
    expect(list.map((e) => `${e.type} ${e.name}${e.linkname ? ` -> ${e.linkname}` : ''}`)).toEqual([
      'file big',
      'dir empty/',
      'symlink etc-link -> /etc',
      'fifo fifo',
      'dir usr/',
      'dir usr/bin/',
      'symlink usr/bin/alias -> tool',
      'file usr/bin/tool',
      'hardlink usr/bin/tool-link -> usr/bin/tool',
    ]);
    const tool = list.find((e) => e.name === 'usr/bin/tool') as TarEntry;
    expect([tool.mode, tool.size]).toEqual([0o4755, 7]);
    expect((list[0] as TarEntry).mtime).toBe(1600000000);
  });

  it('gives the same bytes for the same tree, and a tree that extracts back to the same content', async () => {
    const root = tree();
    const first = await pack(root);
    expect((await pack(root)).equals(first)).toBe(true);
    const out = path.join(temp.make(), 'out');
    fs.mkdirSync(out);
    await extractTar(bytes(first), out, { rootless: process.getuid?.() !== 0 });
    expect(fs.readFileSync(path.join(out, 'big')).equals(fs.readFileSync(path.join(root, 'big')))).toBe(true);
    expect(fs.statSync(path.join(out, 'usr/bin/tool-link')).ino).toBe(fs.statSync(path.join(out, 'usr/bin/tool')).ino);
    expect(fs.readlinkSync(path.join(out, 'etc-link'))).toBe('/etc');
    // GNU tar agrees on the content.
    const listed = execFileSync('tar', ['-tvf', '-'], { input: first }).toString();
    expect(listed).toMatch(/^hrwsr-xr-x .* usr\/bin\/tool-link link to usr\/bin\/tool$/m);
  });

  rootIt('keeps owners, device numbers and file capabilities', async () => {
    const root = tree();
    fs.chownSync(path.join(root, 'big'), 1234, 5678);
    native().mknod(path.join(root, 'null'), 0o020000 | 0o666, 1, 3);
    execFileSync('setcap', ['cap_net_raw+ep', path.join(root, 'usr/bin/tool')]);
    const list = await entries(await pack(root));
    const byName = new Map(list.map((e) => [e.name, e]));
    expect([byName.get('big')?.uid, byName.get('big')?.gid]).toEqual([1234, 5678]);
    expect([byName.get('null')?.type, byName.get('null')?.devmajor, byName.get('null')?.devminor]).toEqual(['char', 1, 3]);
    expect(byName.get('usr/bin/tool')?.xattrs.has('security.capability')).toBe(true);
  });

  rootIt('turns overlay whiteouts and opaque directories into OCI whiteout entries', async () => {
    const upper = path.join(temp.make(), 'upper');
    fs.mkdirSync(path.join(upper, 'etc/conf.d'), { recursive: true });
    native().mknod(path.join(upper, 'etc/gone'), 0o020000, 0, 0);
    native().lsetxattr(path.join(upper, 'etc/conf.d'), 'trusted.overlay.opaque', Buffer.from('y'));
    native().lsetxattr(path.join(upper, 'etc'), 'trusted.overlay.impure', Buffer.from('y'));
    fs.writeFileSync(path.join(upper, 'etc/conf.d/new'), 'n');
    const list = await entries(await pack(upper, { overlay: { rootless: false } }));
    expect(list.map((e) => `${e.type} ${e.name} ${e.mode.toString(8)}`)).toEqual([
      'dir etc/ 755',
      'dir etc/conf.d/ 755',
      'file etc/conf.d/.wh..wh..opq 0',
      'file etc/conf.d/new 644',
      'file etc/.wh.gone 0',
    ]);
    // Overlay bookkeeping never reaches the layer.
    expect(list.every((e) => [...e.xattrs.keys()].every((k) => !k.includes('overlay')))).toBe(true);
    // Without the overlay option the device is packed as what it is.
    expect((await entries(await pack(upper))).find((e) => e.name === 'etc/gone')?.type).toBe('char');
  });

  rootIt('refuses an upper dir that uses overlay redirects', async () => {
    const upper = path.join(temp.make(), 'upper');
    fs.mkdirSync(path.join(upper, 'moved'), { recursive: true });
    native().lsetxattr(path.join(upper, 'moved'), 'trusted.overlay.redirect', Buffer.from('/orig'));
    await expect(pack(upper, { overlay: { rootless: false } })).rejects.toThrow('cannot pack "moved": the overlay uses redirect_dir');
  });

  it('refuses a file name that is not UTF-8', async () => {
    const root = temp.make();
    fs.writeFileSync(Buffer.from([...Buffer.from(`${root}/bad-`), 0xff, 0xfe]), 'x');
    await expect(pack(root)).rejects.toThrow('the file name is not valid UTF-8');
  });

  it('packs a symlink to a directory as a link, never the directory it points to', async () => {
    const root = temp.make();
    fs.symlinkSync('/usr/bin', path.join(root, 'escape'));
    const list = await entries(await pack(root));
    expect(list.map((e) => [e.type, e.name])).toEqual([['symlink', 'escape']]);
  });
});
