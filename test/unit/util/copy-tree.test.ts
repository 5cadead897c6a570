import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { copyContents } from '../../../lib/util/copy-tree.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-copy-tree-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const openDir = (p: string) => fs.openSync(p, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);

describe('copyContents', () => {
  it('copies files of every size exactly, one after another through the one shared buffer', () => {
    const src = path.join(dir, 'src');
    const dst = path.join(dir, 'dst');
    fs.mkdirSync(src);
    fs.mkdirSync(dst);
    // A file over two chunks (1 MiB each), then smaller ones: none may carry bytes of the one before.
    const files: Record<string, Buffer> = {
      'a-big': crypto.randomBytes(1024 * 1024 + 4097),
      'b-small': Buffer.from('small\n'),
      'c-empty': Buffer.alloc(0),
      'd-one-chunk': crypto.randomBytes(1024 * 1024),
      'e-tiny': Buffer.from('x'),
    };
    for (const [name, data] of Object.entries(files)) fs.writeFileSync(path.join(src, name), data, { mode: 0o640 });
    const s = openDir(src);
    const d = openDir(dst);
    try {
      copyContents(s, d);
    } finally {
      fs.closeSync(s);
      fs.closeSync(d);
    }
    expect(fs.readdirSync(dst).sort()).toEqual(Object.keys(files));
    for (const [name, data] of Object.entries(files)) {
      expect(fs.readFileSync(path.join(dst, name)).equals(data)).toBe(true);
      expect(fs.statSync(path.join(dst, name)).mode & 0o7777).toBe(0o640);
    }
  });
});
