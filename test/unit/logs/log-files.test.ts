import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createContext } from '../../../lib/context.js';
import { removeContainerLog } from '../../../lib/logs/log-files.js';
import type { ContainerRecord } from '../../../lib/state/container-record.js';
import { containerDir } from '../../../lib/state/paths.js';

const ID = 'c'.repeat(64);

function record(logPath: string, maxFile?: number): ContainerRecord {
  return { id: ID, config: { logPath, logOpts: maxFile === undefined ? undefined : { maxFile } } } as unknown as ContainerRecord;
}

describe('removeContainerLog', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-log-files-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('removes a log kept outside the container directory with its rotated files and dropped record', () => {
    const ctx = createContext({ root: path.join(dir, 'root'), runroot: path.join(dir, 'run') });
    const log = path.join(dir, 'elsewhere.log');
    for (const f of [log, `${log}.1`, `${log}.2`, `${log}.dropped`, `${log}.3`]) fs.writeFileSync(f, 'x');
    removeContainerLog(ctx, record(log, 3));
    // Only max-file files belong to the set: `.3` is someone else's.
    expect(fs.readdirSync(dir).sort()).toEqual(['elsewhere.log.3']);
  });

  it('leaves a log inside the container directory to the removal of that directory', () => {
    const ctx = createContext({ root: path.join(dir, 'root'), runroot: path.join(dir, 'run') });
    const log = path.join(containerDir(ctx, ID), 'ctr.log');
    fs.mkdirSync(path.dirname(log), { recursive: true });
    fs.writeFileSync(log, 'x');
    removeContainerLog(ctx, record(log));
    expect(fs.existsSync(log)).toBe(true);
  });
});
