import fs from 'node:fs';
import path from 'node:path';
import { extractTar, type ExtractOptions } from '../../../lib/archive/extract.js';
import { native } from '../../../lib/native/native.js';
import { chunks, makeTar, TempDirs, type Member } from './fixtures.js';
import { rootIt } from '../needs-root.js';

const temp = new TempDirs();
afterEach(() => temp.cleanup());

/** Makes an archive of `members`, extracts it into a fresh dir/root and returns that root. */
async function extract(members: Member[], opts: Partial<ExtractOptions> = {}, format: 'pax' | 'gnu' | 'ustar' = 'pax'): Promise<{ root: string; dir: string; warnings: string[] }> {
  const dir = temp.make();
  const root = path.join(dir, 'root');
  fs.mkdirSync(root);
  const tar = makeTar(path.join(dir, 'layer.tar'), members, { format });
  const warnings: string[] = [];
  await extractTar(chunks(tar), root, { rootless: false, warn: (m) => warnings.push(m), ...opts });
  return { root, dir, warnings };
}

/** Extracts and expects a failure; returns the error message and the temp dir (to look for escapes). */
async function extractFails(members: Member[], opts: Partial<ExtractOptions> = {}): Promise<{ message: string; dir: string }> {
  const dir = temp.make();
  const root = path.join(dir, 'root');
  fs.mkdirSync(root);
  const tar = makeTar(path.join(dir, 'layer.tar'), members);
  try {
    await extractTar(chunks(tar), root, { rootless: false, ...opts });
  } catch (err) {
    return { message: (err as Error).message, dir };
  }
  throw new Error('extraction succeeded but was expected to fail');
}


describe('layer extraction', () => {
  rootIt('preserves owners, modes with setuid/setgid/sticky bits, and mtimes', async () => {
    const { root } = await extract([
      { name: 'bin/', type: 'dir', mode: 0o755, mtime: 1600000000 },
      { name: 'bin/su', data: 'su', mode: 0o4755, uid: 0, gid: 0, mtime: 1500000000 },
      { name: 'bin/wall', data: 'w', mode: 0o2755, uid: 5, gid: 7 },
      { name: 'tmp/', type: 'dir', mode: 0o1777, uid: 1, gid: 2, mtime: 1400000000 },
      { name: 'home/u/file', data: 'x', mode: 0o600, uid: 1000, gid: 1000 },
    ]);
    const su = fs.statSync(path.join(root, 'bin/su'));
    expect(su.mode & 0o7777).toBe(0o4755);
    expect(su.mtimeMs).toBe(1500000000 * 1000);
    const wall = fs.statSync(path.join(root, 'bin/wall'));
    expect([wall.mode & 0o7777, wall.uid, wall.gid]).toEqual([0o2755, 5, 7]);
    const tmp = fs.statSync(path.join(root, 'tmp'));
    expect([tmp.mode & 0o7777, tmp.uid, tmp.gid, tmp.mtimeMs]).toEqual([0o1777, 1, 2, 1400000000 * 1000]);
    // Directory times survive entries written into them later.
    expect(fs.statSync(path.join(root, 'bin')).mtimeMs).toBe(1600000000 * 1000);
    const home = fs.statSync(path.join(root, 'home/u/file'));
    expect([home.uid, home.gid, home.mode & 0o7777]).toEqual([1000, 1000, 0o600]);
    // Parents the archive did not list are created 0755.
    expect(fs.statSync(path.join(root, 'home')).mode & 0o7777).toBe(0o755);
  });

  it('creates symlinks, hard links and FIFOs without following anything', async () => {
    const { root } = await extract([
      { name: 'etc/os-release', data: 'ID=test' },
      { name: 'etc/abs', type: 'symlink', linkname: '/etc/os-release', mtime: 1300000000 },
      { name: 'etc/rel', type: 'symlink', linkname: 'os-release' },
      { name: 'etc/hard', type: 'hardlink', linkname: 'etc/os-release' },
      { name: 'run/fifo', type: 'fifo', mode: 0o620 },
    ]);
    expect(fs.readlinkSync(path.join(root, 'etc/abs'))).toBe('/etc/os-release');
    expect(fs.lstatSync(path.join(root, 'etc/abs')).mtimeMs).toBe(1300000000 * 1000);
    expect(fs.readlinkSync(path.join(root, 'etc/rel'))).toBe('os-release');
    expect(fs.statSync(path.join(root, 'etc/hard')).ino).toBe(fs.statSync(path.join(root, 'etc/os-release')).ino);
    const fifo = fs.lstatSync(path.join(root, 'run/fifo'));
    expect(fifo.isFIFO()).toBe(true);
    expect(fifo.mode & 0o7777).toBe(0o620);
  });

  rootIt('creates character and block devices when root', async () => {
    const { root } = await extract([
      { name: 'dev/null', type: 'char', devmajor: 1, devminor: 3, mode: 0o666 },
      { name: 'dev/loop9', type: 'block', devmajor: 7, devminor: 9, mode: 0o660, gid: 6 },
    ]);
    const nul = fs.lstatSync(path.join(root, 'dev/null'));
    expect(nul.isCharacterDevice()).toBe(true);
    expect([nul.rdev, nul.mode & 0o7777]).toEqual([(1 << 8) | 3, 0o666]);
    const loop = fs.lstatSync(path.join(root, 'dev/loop9'));
    expect([loop.isBlockDevice(), loop.gid]).toEqual([true, 6]);
  });

  rootIt('sets xattrs from PAX headers and drops SELinux and overlay ones', async () => {
    const { root } = await extract([
      {
        name: 'f',
        data: 'x',
        pax: {
          'SCHILY.xattr.user.kept': 'yes',
          'SCHILY.xattr.trusted.other': 'kept too',
          'SCHILY.xattr.security.selinux': 'system_u:object_r:etc_t:s0',
          'SCHILY.xattr.trusted.overlay.opaque': 'y',
          'SCHILY.xattr.user.overlay.opaque': 'y',
        },
      },
    ]);
    const f = path.join(root, 'f');
    expect(native().lgetxattr(f, 'user.kept')?.toString()).toBe('yes');
    expect(native().lgetxattr(f, 'trusted.other')?.toString()).toBe('kept too');
    expect(native().lgetxattr(f, 'trusted.overlay.opaque')).toBeNull();
    expect(native().lgetxattr(f, 'user.overlay.opaque')).toBeNull();
    expect(native().llistxattr(f).filter((n) => n.startsWith('security.selinux'))).toEqual([]);
  });

  rootIt('turns .wh.NAME into a 0:0 character device owned as the header says, removing NAME', async () => {
    const { root } = await extract([
      { name: 'etc/gone', data: 'old' },
      { name: 'etc/.wh.gone', uid: 3, gid: 4 },
      { name: 'etc/.wh.never-there' },
    ]);
    for (const name of ['gone', 'never-there']) {
      const st = fs.lstatSync(path.join(root, 'etc', name));
      expect(st.isCharacterDevice()).toBe(true);
      expect(st.rdev).toBe(0);
    }
    expect([fs.lstatSync(path.join(root, 'etc/gone')).uid, fs.lstatSync(path.join(root, 'etc/gone')).gid]).toEqual([3, 4]);
    expect(fs.existsSync(path.join(root, 'etc/.wh.gone'))).toBe(false);
  });

  it('marks .wh..wh..opq directories opaque and ignores other .wh..wh. names', async () => {
    const { root } = await extract([
      { name: 'var/', type: 'dir' },
      { name: 'var/.wh..wh..opq' },
      { name: 'var/keep', data: 'k' },
      { name: '.wh..wh.plnk/123' },
    ]);
    expect(native().lgetxattr(path.join(root, 'var'), 'trusted.overlay.opaque')?.toString()).toBe('y');
    expect(fs.readdirSync(path.join(root, 'var'))).toEqual(['keep']);
    expect(fs.readdirSync(root)).toEqual(['var']);
  });

  it('uses user.overlay.opaque when rootless', async () => {
    const { root } = await extract([{ name: 'd/.wh..wh..opq' }], { rootless: true });
    expect(native().lgetxattr(path.join(root, 'd'), 'user.overlay.opaque')?.toString()).toBe('y');
    expect(native().lgetxattr(path.join(root, 'd'), 'trusted.overlay.opaque')).toBeNull();
  });

  it('merges a directory over an existing one and replaces anything else', async () => {
    const { root } = await extract([
      { name: 'd/', type: 'dir', mode: 0o700 },
      { name: 'd/inside', data: 'i' },
      { name: 'd/', type: 'dir', mode: 0o750 },
      { name: 'x', type: 'symlink', linkname: '/etc' },
      { name: 'x', data: 'now a file' },
      { name: 'y/', type: 'dir' },
      { name: 'y/sub', data: 's' },
      { name: 'y', data: 'file replaces dir' },
    ]);
    expect(fs.readFileSync(path.join(root, 'd/inside'), 'utf8')).toBe('i');
    expect(fs.statSync(path.join(root, 'd')).mode & 0o7777).toBe(0o750);
    expect(fs.lstatSync(path.join(root, 'x')).isFile()).toBe(true);
    expect(fs.readFileSync(path.join(root, 'y'), 'utf8')).toBe('file replaces dir');
  });

  it('strips a leading slash from member names and applies a "./" entry to the root', async () => {
    const { root } = await extract([
      { name: './', type: 'dir', mode: 0o751 },
      { name: '/etc/hostname', data: 'h' },
      { name: './a/./b', data: 'b' },
    ]);
    expect(fs.readFileSync(path.join(root, 'etc/hostname'), 'utf8')).toBe('h');
    expect(fs.readFileSync(path.join(root, 'a/b'), 'utf8')).toBe('b');
    expect(fs.statSync(root).mode & 0o7777).toBe(0o751);
  });
});

describe('layer extraction of hostile archives', () => {
  it('refuses a ".." path that escapes the root, naming the entry', async () => {
    const { message, dir } = await extractFails([{ name: '../escaped', data: 'x' }]);
    expect(message).toBe('unsafe archive entry "../escaped": the path escapes the extraction root through ".."');
    expect(fs.existsSync(path.join(dir, 'escaped'))).toBe(false);
  });

  it('refuses a path that climbs out after going down', async () => {
    const { message, dir } = await extractFails([{ name: 'a/../../escaped', data: 'x' }]);
    expect(message).toMatch(/^unsafe archive entry "a\/..\/..\/escaped"/);
    expect(fs.existsSync(path.join(dir, 'escaped'))).toBe(false);
  });

  it('refuses to write through a symlink the archive made earlier', async () => {
    const outside = temp.make();
    const { message } = await extractFails([
      { name: 'etc', type: 'symlink', linkname: outside },
      { name: 'etc/passwd', data: 'root::0:0::/:/bin/sh' },
    ]);
    expect(message).toBe('unsafe archive entry "etc/passwd": its parent "etc" is a symlink; writing through it could leave the extraction root');
    expect(fs.readdirSync(outside)).toEqual([]);
  });

  it('refuses a relative symlink pointing above the root', async () => {
    const { message } = await extractFails([{ name: 'a/l', type: 'symlink', linkname: '../../etc/shadow' }]);
    expect(message).toBe('unsafe archive entry "a/l": its symlink target "../../etc/shadow" points outside the extraction root');
  });

  it('refuses whiteouts and opaque markers inside a symlinked directory', async () => {
    const outside = temp.make();
    fs.writeFileSync(path.join(outside, 'victim'), 'keep me');
    const wh = await extractFails([{ name: 's', type: 'symlink', linkname: outside }, { name: 's/.wh.victim' }]);
    expect(wh.message).toMatch(/^unsafe archive entry "s\/.wh.victim": its parent "s" is a symlink/);
    expect(fs.readFileSync(path.join(outside, 'victim'), 'utf8')).toBe('keep me');
    const opq = await extractFails([{ name: 's', type: 'symlink', linkname: outside }, { name: 's/.wh..wh..opq' }]);
    expect(opq.message).toMatch(/its parent "s" is a symlink/);
    expect(native().lgetxattr(outside, 'trusted.overlay.opaque')).toBeNull();
  });

  it('refuses a hard link to a file outside the root', async () => {
    const { message } = await extractFails([{ name: 'h', type: 'hardlink', linkname: '../../../../etc/passwd' }]);
    expect(message).toBe('unsafe archive entry "h": its hard link target "../../../../etc/passwd" is outside the extraction root');
  });

  it('refuses a hard link whose target is missing from the layer', async () => {
    const { message } = await extractFails([{ name: 'h', type: 'hardlink', linkname: 'etc/passwd' }]);
    expect(message).toBe('unsafe archive entry "h": its hard link target "etc/passwd" is outside the extraction root or missing');
    const direct = await extractFails([{ name: 'h', type: 'hardlink', linkname: 'passwd' }]);
    expect(direct.message).toBe('unsafe archive entry "h": its hard link target "passwd" does not exist earlier in this layer');
  });

  it('refuses a hard link that reaches through a symlink', async () => {
    const { message } = await extractFails([
      { name: 's', type: 'symlink', linkname: '/etc' },
      { name: 'h', type: 'hardlink', linkname: 's/passwd' },
    ]);
    expect(message).toMatch(/^unsafe archive entry "h": its hard link target "s\/passwd"/);
  });

  it('refuses device nodes when rootless, or leaves them out with one warning when asked', async () => {
    const { message } = await extractFails([{ name: 'dev/sda', type: 'block', devmajor: 8, devminor: 0 }], { rootless: true });
    expect(message).toBe('cannot extract "dev/sda": device nodes cannot be created when running rootless');
    const { root, warnings } = await extract(
      [
        { name: 'dev/sda', type: 'block', devmajor: 8 },
        { name: 'dev/null', type: 'char', devmajor: 1, devminor: 3 },
        { name: 'ok', data: 'x' },
      ],
      { rootless: true, devices: 'skip' },
    );
    expect(fs.readdirSync(path.join(root, 'dev'))).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/device node "dev\/sda" and any others in this archive were left out/);
  });

  it('refuses a non-directory entry standing for the root', async () => {
    const { message } = await extractFails([{ name: './', type: 'symlink', linkname: '/' }]);
    expect(message).toBe('unsafe archive entry "./": only a directory may stand for the extraction root');
  });
});
