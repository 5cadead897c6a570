// The bundle's durability: a --rm container's files are written without fsync (it is volatile,
// lib/state/volatile.ts), any other container's are fsynced; the content is the same either way.
import { jest } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createContext } from '../../../lib/context.js';
import { writeBundle } from '../../../lib/container/bundle.js';
import { containerDir } from '../../../lib/state/paths.js';
import { containerRecordFixture } from '../container-record-fixture.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-bundle-'));
});
afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

const user = { uid: 0, gid: 0, additionalGids: [], home: '/root' };

/** Writes the bundle of a container and returns the files it fsynced, by name. */
function bundleSyncs(autoRemove: boolean): { synced: string[]; files: string[] } {
  const ctx = createContext({ root: path.join(dir, `root-${autoRemove}`), runroot: path.join(dir, `run-${autoRemove}`) });
  const rec = containerRecordFixture({ autoRemove, network: { mode: 'none' } });
  fs.mkdirSync(containerDir(ctx, rec.id), { recursive: true });
  const synced: string[] = [];
  const fsync = fs.fsyncSync;
  jest.spyOn(fs, 'fsyncSync').mockImplementation((fd: number) => {
    synced.push(path.basename(fs.readlinkSync(`/proc/self/fd/${fd}`)).replace(/^\.(.*)\.\d+\.\d+\.tmp$/, '$1'));
    fsync(fd);
  });
  writeBundle(ctx, rec, user);
  jest.restoreAllMocks();
  const files = fs.readdirSync(containerDir(ctx, rec.id)).filter((f) => !['upper', 'work', 'merged'].includes(f));
  return { synced: synced.sort(), files: files.sort() };
}

describe('writeBundle', () => {
  it('fsyncs every file of a container that is not removed at exit', () => {
    const { synced, files } = bundleSyncs(false);
    expect(files).toEqual(['config.json', 'containerenv', 'hostname', 'hosts', 'resolv.conf']);
    expect(synced).toEqual(files);
  });

  it('fsyncs none of the same files of a --rm container', () => {
    const { synced, files } = bundleSyncs(true);
    expect(files).toEqual(['config.json', 'containerenv', 'hostname', 'hosts', 'resolv.conf']);
    expect(synced).toEqual([]);
  });
});
