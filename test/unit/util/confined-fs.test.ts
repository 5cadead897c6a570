import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { at, ConfinedRoot } from '../../../lib/util/confined-fs.js';
import { copyEntry } from '../../../lib/util/copy-tree.js';

let dir: string;
let rootDir: string;
let outside: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-confined-'));
  rootDir = path.join(dir, 'root');
  outside = path.join(dir, 'outside');
  fs.mkdirSync(path.join(rootDir, 'etc'), { recursive: true });
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(rootDir, 'etc/passwd'), 'inside\n');
  fs.writeFileSync(path.join(outside, 'secret'), 'outside\n');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function resolvedPath(root: ConfinedRoot, p: string, follow = true): string {
  const r = root.resolve(p, follow);
  try {
    const parent = fs.readlinkSync(at(r.dirFd));
    return path.join(path.relative(rootDir, parent) || '.', r.name);
  } finally {
    fs.closeSync(r.dirFd);
  }
}

describe('confined path resolution', () => {
  it('reads absolute symlinks as if the root were /', () => {
    fs.symlinkSync(outside, path.join(rootDir, 'escape'));
    fs.symlinkSync('/etc', path.join(rootDir, 'etclink'));
    const root = ConfinedRoot.open(rootDir);
    try {
      expect(resolvedPath(root, '/etclink/passwd')).toBe('etc/passwd');
      expect(() => root.resolve('/escape/secret', true)).toThrow(/ENOENT|no such file/);
      expect(root.readFile('/escape/secret')).toBe('');
    } finally {
      root.close();
    }
  });

  it('never climbs above the root with ..', () => {
    fs.symlinkSync('../../../../outside', path.join(rootDir, 'up'));
    const root = ConfinedRoot.open(rootDir);
    try {
      expect(resolvedPath(root, '/../../etc/passwd')).toBe('etc/passwd');
      expect(root.readFile('/up/secret')).toBe('');
      expect(resolvedPath(root, '/up', false)).toBe('up');
    } finally {
      root.close();
    }
  });

  it('fails on symlink loops instead of spinning', () => {
    fs.symlinkSync('b', path.join(rootDir, 'a'));
    fs.symlinkSync('a', path.join(rootDir, 'b'));
    const root = ConfinedRoot.open(rootDir);
    try {
      expect(() => root.resolve('/a/x', true)).toThrow(/symbolic links/);
    } finally {
      root.close();
    }
  });
});

describe('tree copy', () => {
  it('copies symlinks as links and replaces, never writes through, a symlink at the destination', () => {
    const src = path.join(dir, 'src');
    fs.mkdirSync(path.join(src, 'd'), { recursive: true });
    fs.writeFileSync(path.join(src, 'd/file'), 'new\n');
    fs.symlinkSync('/etc/shadow', path.join(src, 'd/link'));
    fs.mkdirSync(path.join(rootDir, 'd'));
    fs.symlinkSync(path.join(outside, 'secret'), path.join(rootDir, 'd/file'));
    const s = fs.openSync(dir, 'r');
    const d = fs.openSync(rootDir, 'r');
    try {
      copyEntry(s, 'src', d, 'copy');
      fs.renameSync(path.join(rootDir, 'copy/d/file'), path.join(rootDir, 'moved'));
      const sd = fs.openSync(path.join(src, 'd'), 'r');
      const dd = fs.openSync(path.join(rootDir, 'd'), 'r');
      copyEntry(sd, 'file', dd, 'file');
      fs.closeSync(sd);
      fs.closeSync(dd);
    } finally {
      fs.closeSync(s);
      fs.closeSync(d);
    }
    expect(fs.readlinkSync(path.join(rootDir, 'copy/d/link'))).toBe('/etc/shadow');
    expect(fs.readFileSync(path.join(outside, 'secret'), 'utf8')).toBe('outside\n');
    expect(fs.lstatSync(path.join(rootDir, 'd/file')).isFile()).toBe(true);
    expect(fs.readFileSync(path.join(rootDir, 'd/file'), 'utf8')).toBe('new\n');
  });
});
