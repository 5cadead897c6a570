import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { treeSize } from '../../../lib/util/tree-size.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-tree-size-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('treeSize', () => {
  it('counts files and symlinks by their apparent size, directories not at all, a hard-linked file once', () => {
    fs.mkdirSync(path.join(dir, 'a/b'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'a/b/ten'), '0123456789');
    fs.writeFileSync(path.join(dir, 'linked'), 'x'.repeat(1000));
    fs.linkSync(path.join(dir, 'linked'), path.join(dir, 'a/again'));
    fs.linkSync(path.join(dir, 'linked'), path.join(dir, 'a/b/thrice'));
    fs.symlinkSync('a/b/ten', path.join(dir, 'sym'));
    expect(treeSize(dir)).toBe(10 + 1000 + 'a/b/ten'.length);
  });

  it('is 0 for a missing tree', () => {
    expect(treeSize(path.join(dir, 'none'))).toBe(0);
  });
});
