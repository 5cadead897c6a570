// The state-file lock: a free lock is one mkdir and one symlink naming its owner, a busy one is
// waited for, one whose owner died is taken over at once (a stale one without an owner after
// STALE_MS), a live owner is never robbed, and a lock never outlives its holder's fn or process.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ownerId } from '../../../lib/state/lock-owner.js';
import { STALE_MS, withLock } from '../../../lib/state/lock.js';
import { readProcStat } from '../../../lib/util/proc.js';

const LOCK_MODULE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../lib/state/lock.js');

let dir: string;
let file: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-lock-'));
  file = path.join(dir, 'sub', 'record.json');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const until = async (fn: () => boolean) => {
  for (let i = 0; i < 1200 && !fn(); i++) await sleep(50);
  return fn();
};

/** A process holding the lock on `file` until `release` exists; `ready` appears once it holds it. */
function holder(file: string, ready: string, release: string): ChildProcess {
  const script = `const fs = await import('node:fs');
    const m = await import(${JSON.stringify(LOCK_MODULE)});
    await m.withLock(${JSON.stringify(file)}, async () => {
      fs.writeFileSync(${JSON.stringify(ready)}, '');
      while (!fs.existsSync(${JSON.stringify(release)})) await new Promise((r) => setTimeout(r, 20));
    });`;
  return spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' });
}

/** Sets the times of the lock directory and its owner link: the future makes the stale rule unable to fire. */
function age(file: string, when: Date): void {
  fs.utimesSync(`${file}.lock`, when, when);
  fs.lutimesSync(`${file}.lock/owner`, when, when);
}
const FUTURE = new Date(Date.now() + 3600_000);

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

  it('records its owner as pid, start time and pid namespace in the owner link', async () => {
    expect(await withLock(file, () => fs.readlinkSync(`${file}.lock/owner`))).toBe(ownerId());
    expect(fs.readdirSync(path.dirname(file))).toEqual([]);
  });

  it('takes over at once from a holder killed -9, without waiting for the lock to go stale', async () => {
    const child = holder(file, path.join(dir, 'ready'), path.join(dir, 'release'));
    expect(await until(() => fs.existsSync(path.join(dir, 'ready')))).toBe(true);
    const dead = fs.readlinkSync(`${file}.lock/owner`);
    expect(dead.split(' ')[0]).toBe(String(child.pid));
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;
    age(file, FUTURE);
    expect(await withLock(file, () => fs.readlinkSync(`${file}.lock/owner`))).toBe(ownerId());
    expect(fs.readdirSync(path.dirname(file))).toEqual([]);
  });

  it('takes over from a pid now used by a process that started later', async () => {
    const [pid, start, ns] = ownerId().split(' ');
    fs.mkdirSync(`${file}.lock`, { recursive: true });
    fs.symlinkSync(`${pid} ${Number(start) - 1} ${ns}`, `${file}.lock/owner`);
    age(file, FUTURE);
    expect(await withLock(file, () => 'ran')).toBe('ran');
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });

  it('waits for a live holder however long it has not refreshed the lock (stopped, its times in 1970)', async () => {
    const child = holder(file, path.join(dir, 'ready'), path.join(dir, 'release'));
    try {
      expect(await until(() => fs.existsSync(path.join(dir, 'ready')))).toBe(true);
      const owner = fs.readlinkSync(`${file}.lock/owner`);
      process.kill(child.pid!, 'SIGSTOP');
      age(file, new Date(0));
      // Count how often the waiter looks at the owner: it must look many times and never take it.
      const readlink = fs.readlinkSync;
      let looks = 0;
      fs.readlinkSync = ((p: string, o?: never) => {
        if (p === `${file}.lock/owner`) looks++;
        return readlink(p, o);
      }) as typeof fs.readlinkSync;
      let entered = false;
      const waiter = withLock(file, () => {
        entered = true;
        return fs.readlinkSync(`${file}.lock/owner`);
      });
      try {
        expect(await until(() => looks >= 20)).toBe(true);
      } finally {
        fs.readlinkSync = readlink;
      }
      expect(entered).toBe(false);
      expect(fs.readlinkSync(`${file}.lock/owner`)).toBe(owner);
      process.kill(child.pid!, 'SIGCONT');
      fs.writeFileSync(path.join(dir, 'release'), '');
      expect(await waiter).toBe(ownerId());
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('puts back a live owner that a waiter killed mid-take-over had moved aside, and takes over once that owner dies', async () => {
    const sleeper = spawn('sleep', ['1000'], { stdio: 'ignore' });
    try {
      const [, , ns] = ownerId().split(' ');
      const live = `${sleeper.pid} ${readProcStat(sleeper.pid!)?.rest[19]} ${ns}`;
      const deadTaker = execFileSync('sh', ['-c', 'sh -c "exit 0" & echo $!; wait']).toString().trim();
      const taking = `${file}.lock/taking-${deadTaker}-1-${ns}`;
      fs.mkdirSync(`${file}.lock`, { recursive: true });
      fs.symlinkSync(live, taking);
      let entered = false;
      const waiter = withLock(file, () => {
        entered = true;
        return fs.readdirSync(`${file}.lock`);
      });
      expect(await until(() => fs.readdirSync(`${file}.lock`).join() === 'owner')).toBe(true);
      expect(fs.readlinkSync(`${file}.lock/owner`)).toBe(live);
      expect(entered).toBe(false);
      sleeper.kill('SIGKILL');
      expect(await waiter).toEqual(['owner']);
      expect(fs.existsSync(`${file}.lock`)).toBe(false);
    } finally {
      sleeper.kill('SIGKILL');
    }
  });

  it('takes over a stale lock without an owner (a holder killed before naming itself, an older pman)', async () => {
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

describe('withLock across processes', () => {
  it('20 processes of two users, some killed -9 while holding it, never overlap; each killed holder is taken over from the dead', async () => {
    // Half run as root, half as nobody (a rootless pman's holders judge root's and the reverse);
    // every fifth one kills itself -9 inside its third hold. The stale rule cannot have freed
    // those: the run would have taken 10 s per kill, and the trace says how each was taken.
    const log = path.join(dir, 'log');
    const traceFile = path.join(dir, 'trace');
    for (const f of [log, traceFile]) {
      fs.writeFileSync(f, '');
      fs.chmodSync(f, 0o666);
    }
    fs.chmodSync(dir, 0o777);
    fs.mkdirSync(path.dirname(file), { mode: 0o777 });
    fs.chmodSync(path.dirname(file), 0o777);
    // nobody may not read the checkout (CI clones it under root's 0700 home): every child loads a
    // copy of the compiled lib/ in this test's own directory.
    const libCopy = path.join(dir, 'lib');
    fs.cpSync(path.dirname(path.dirname(LOCK_MODULE)), libCopy, { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}\n');
    const lockModule = path.join(libCopy, 'state', 'lock.js');
    const script = `process.umask(0);
      const fs = await import('node:fs');
      const m = await import(${JSON.stringify(lockModule)});
      for (let i = 0; i < 5; i++) {
        await m.withLock(${JSON.stringify(file)}, async () => {
          fs.appendFileSync(${JSON.stringify(log)}, '+ ' + process.pid + '\\n');
          await new Promise((r) => setTimeout(r, Math.random() * 3));
          if (process.env.DIE && i === 2) {
            fs.appendFileSync(${JSON.stringify(log)}, '! ' + process.pid + '\\n');
            process.kill(process.pid, 'SIGKILL');
          }
          fs.appendFileSync(${JSON.stringify(log)}, '- ' + process.pid + '\\n');
        });
      }`;
    const dying = new Set([2, 5, 8, 13, 17]);
    const children = Array.from({ length: 20 }, (_, i) =>
      spawn(process.execPath, ['--input-type=module', '-e', script], {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, PMAN_TRACE: traceFile, ...(dying.has(i) ? { DIE: '1' } : {}) },
        ...(i % 2 ? { uid: 65534, gid: 65534 } : {}),
      }),
    );
    const results = await Promise.all(
      children.map(
        (c) =>
          new Promise<[number | null, string | null, string]>((r) => {
            let err = '';
            c.stderr!.on('data', (d) => (err += d));
            c.once('close', (code, signal) => r([code, signal, err]));
          }),
      ),
    );
    expect(results.map(([code, signal, err], i) => (dying.has(i) ? signal : `${code}${err}`))).toEqual(
      Array.from({ length: 20 }, (_, i) => (dying.has(i) ? 'SIGKILL' : '0')),
    );
    // One more holder, in case the last one to hold it was killed.
    const closer = `import(${JSON.stringify(LOCK_MODULE)}).then((m) => m.withLock(${JSON.stringify(file)}, () => undefined));`;
    execFileSync(process.execPath, ['--input-type=module', '-e', closer], { env: { ...process.env, PMAN_TRACE: traceFile } });
    let inside: string | undefined;
    const lines = fs.readFileSync(log, 'utf8').trim().split('\n');
    for (const line of lines) {
      const [what, pid] = line.split(' ');
      if (what === '+') {
        expect(`${inside ?? 'nobody'} inside when ${pid} entered`).toBe(`nobody inside when ${pid} entered`);
        inside = pid;
      } else {
        expect(`${what} ${pid}`).toBe(`${what} ${inside}`);
        inside = undefined;
      }
    }
    expect(lines.filter((l) => l.startsWith('+'))).toHaveLength(15 * 5 + 5 * 3);
    const killed = children.filter((_, i) => dying.has(i)).map((c) => String(c.pid));
    const takeOvers = fs.readFileSync(traceFile, 'utf8').split('\n').filter((l) => l.includes('taken over'));
    expect(takeOvers.map((l) => l.replace(/.* taken over from /, '')).sort()).toEqual(killed.map((p) => `dead pid ${p}`).sort());
    expect(fs.readdirSync(path.dirname(file))).toEqual([]);
  });
});
