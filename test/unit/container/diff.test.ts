// upperChanges reads an overlay upper directory against the image's layers as podman's diff does.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { upperChanges } from '../../../lib/container/diff.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-diff-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const mk = (p: string, content?: string) => {
  fs.mkdirSync(path.dirname(p), { recursive: true });
  if (content === undefined) fs.mkdirSync(p, { recursive: true });
  else fs.writeFileSync(p, content);
};

describe('upperChanges', () => {
  it('reports A for paths in no layer, C for paths in one, D for whiteouts, sorted by path', () => {
    const upper = path.join(dir, 'upper');
    const top = path.join(dir, 'l1');
    const bottom = path.join(dir, 'l0');
    mk(path.join(bottom, 'etc/passwd'), 'root');
    mk(path.join(top, 'usr/bin/tool'), 'x');
    mk(path.join(upper, 'etc/passwd'), 'root2');
    mk(path.join(upper, 'usr/bin/new'), 'y');
    mk(path.join(upper, 'srv/data'));
    // A whiteout: the character device 0:0 overlay leaves for a deleted file (needs root).
    execFileSync('mknod', [path.join(upper, 'usr/bin/tool'), 'c', '0', '0']);
    expect(upperChanges(upper, [top, bottom])).toEqual([
      { kind: 'C', path: '/etc' },
      { kind: 'C', path: '/etc/passwd' },
      { kind: 'A', path: '/srv' },
      { kind: 'A', path: '/srv/data' },
      { kind: 'C', path: '/usr' },
      { kind: 'C', path: '/usr/bin' },
      { kind: 'A', path: '/usr/bin/new' },
      { kind: 'D', path: '/usr/bin/tool' },
    ]);
  });

  it('reports nothing for an empty or missing upper directory', () => {
    expect(upperChanges(path.join(dir, 'none'), [])).toEqual([]);
    fs.mkdirSync(path.join(dir, 'empty'));
    expect(upperChanges(path.join(dir, 'empty'), [dir])).toEqual([]);
  });
});
