// The state-file lock: a free lock is one mkdir, a busy one is waited for (proper-lockfile), a
// stale one is taken over, and a lock never outlives its holder's fn or process.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { STALE_MS, withLock } from '../../../lib/state/lock.js';

const LOCK_MODULE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../lib/state/lock.js');

let dir: string;
let file: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-lock-'));
  file = path.join(dir, 'sub', 'record.json');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('withLock', () => {
  it('holds <file>.lock while fn runs and removes it after, also when fn throws', async () => {
    const seen = await withLock(file, () => fs.existsSync(`${file}.lock`));
    expect(seen).toBe(true);
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
    await expect(withLock(file, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });

  it('never lets two holders overlap', async () => {
    const events: string[] = [];
    const holder = (name: string) =>
      withLock(file, async () => {
        events.push(`${name}+`);
        await sleep(30);
        events.push(`${name}-`);
      });
    await Promise.all([holder('a'), holder('b'), holder('c')]);
    for (let i = 0; i < events.length; i += 2) expect(events[i].slice(0, 1)).toBe(events[i + 1].slice(0, 1));
    expect(events).toHaveLength(6);
  });

  it('waits for a lock another process holds', async () => {
    fs.mkdirSync(`${file}.lock`, { recursive: true });
    let freedAt = 0;
    setTimeout(() => {
      freedAt = Date.now();
      fs.rmdirSync(`${file}.lock`);
    }, 200);
    const ranAt = await withLock(file, () => Date.now());
    expect(freedAt).toBeGreaterThan(0);
    expect(ranAt).toBeGreaterThanOrEqual(freedAt);
  });

  it('takes over a stale lock (its holder died)', async () => {
    fs.mkdirSync(`${file}.lock`, { recursive: true });
    const old = new Date(Date.now() - 2 * STALE_MS);
    fs.utimesSync(`${file}.lock`, old, old);
    expect(await withLock(file, () => 'ran')).toBe('ran');
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });

  it('is removed when its holder exits while holding it', () => {
    const script = `import(${JSON.stringify(LOCK_MODULE)}).then((m) => m.withLock(${JSON.stringify(file)}, () => process.exit(0)));`;
    execFileSync(process.execPath, ['--input-type=module', '-e', script]);
    expect(fs.existsSync(path.dirname(file))).toBe(true);
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });
});
