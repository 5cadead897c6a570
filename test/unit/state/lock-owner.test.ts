// A lock's owner is judged by its pid, start time and pid namespace: a waiter takes over only from
// a holder that is provably gone, never from a live one (however slow) nor one it cannot judge.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import { ownerId, ownerState } from '../../../lib/state/lock-owner.js';
import { readProcStat } from '../../../lib/util/proc.js';

const until = async (fn: () => boolean) => {
  for (let i = 0; i < 600 && !fn(); i++) await new Promise((r) => setTimeout(r, 50));
  return fn();
};

describe('lock owner', () => {
  const [pid, start, ns] = ownerId().split(' ');

  it('names this process by pid, start time (field 22 of /proc/PID/stat) and pid namespace', () => {
    expect(pid).toBe(String(process.pid));
    expect(start).toBe(readProcStat(process.pid)?.rest[19]);
    expect(fs.readlinkSync('/proc/self/ns/pid')).toBe(`pid:[${ns}]`);
    expect(ownerState(ownerId())).toBe('alive');
  });

  it('a pid now used by a process started at another time is dead', () => {
    expect(ownerState(`${pid} ${Number(start) + 1} ${ns}`)).toBe('dead');
  });

  it('a process that exited is dead', () => {
    const gone = execFileSync('sh', ['-c', 'sh -c "exit 0" & echo $!; wait']).toString().trim();
    expect(ownerState(`${gone} ${start} ${ns}`)).toBe('dead');
  });

  it('a zombie (killed, not yet reaped by its parent) is dead, a stopped process alive', async () => {
    // sh starts a child, then becomes sleep, which never reaps it: the child stays a zombie.
    const parent = spawn('sh', ['-c', 'sleep 1000 & echo $!; kill -9 $!; exec sleep 1000'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const child = await new Promise<number>((r) => parent.stdout.once('data', (d) => r(Number(String(d).trim()))));
      expect(await until(() => readProcStat(child)?.rest[0] === 'Z')).toBe(true);
      expect(ownerState(`${child} ${readProcStat(child)?.rest[19]} ${ns}`)).toBe('dead');
      process.kill(parent.pid!, 'SIGSTOP');
      expect(await until(() => readProcStat(parent.pid!)?.rest[0] === 'T')).toBe(true);
      expect(ownerState(`${parent.pid} ${readProcStat(parent.pid!)?.rest[19]} ${ns}`)).toBe('alive');
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('an owner in another pid namespace, without a start time, or unreadable cannot be judged', () => {
    expect(ownerState(`${pid} ${start} ${Number(ns) + 1}`)).toBe('unknown');
    expect(ownerState(`${pid} 0 ${ns}`)).toBe('unknown');
    expect(ownerState(`${pid} ${start}`)).toBe('unknown');
    expect(ownerState('')).toBe('unknown');
  });
});
