import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prepareRuntimeDir } from '../../../lib/rootless/runtime-dir.js';

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-rundir-'));
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

const uid = process.getuid?.() ?? 0;

describe('the rootless runtime directory', () => {
  it('is created with mode 0700', () => {
    const dir = path.join(tmp, 'pman');
    prepareRuntimeDir(dir, uid);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('is tightened to 0700 when it is ours but open', () => {
    const dir = path.join(tmp, 'open');
    fs.mkdirSync(dir, { mode: 0o755 });
    fs.chmodSync(dir, 0o755);
    prepareRuntimeDir(dir, uid);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('is refused when it is a symlink, even to a directory of ours', () => {
    fs.mkdirSync(path.join(tmp, 'real'));
    fs.symlinkSync(path.join(tmp, 'real'), path.join(tmp, 'link'));
    expect(() => prepareRuntimeDir(path.join(tmp, 'link'), uid)).toThrow(/^cannot use ".*\/link" as the runtime directory: it is a symbolic link/);
  });

  it('is refused when someone else owns it', () => {
    const dir = path.join(tmp, 'planted');
    fs.mkdirSync(dir, { mode: 0o700 });
    expect(() => prepareRuntimeDir(dir, uid + 4242)).toThrow(new RegExp(`it is owned by uid ${uid}, not by you \\(uid ${uid + 4242}\\)`));
  });

  it('is refused when its parent does not exist', () => {
    expect(() => prepareRuntimeDir(path.join(tmp, 'missing/pman'), uid)).toThrow(/its parent directory does not exist/);
  });
});
