// Log rotation (--log-opt max-size/max-file), a log elsewhere (--log-opt path=) and a full disk
// under the shim, against real containers.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { TestEnv } from '../harness.js';
import { logPath, logs } from './logs-harness.js';

let env: TestEnv;
beforeAll(async () => {
  env = await TestEnv.create();
});
afterAll(async () => {
  await env.cleanup();
});

const logFiles = (dir: string, base = 'ctr.log') => fs.readdirSync(dir).filter((f) => f === base || /^\S+\.log\.\d+$/.test(f)).sort();

describe('log rotation', () => {
  it('keeps exactly the last lines of 50 MB written with max-size=1m, max-file=3', async () => {
    await env.ok(['run', '--name', 'rot', '--log-opt', 'max-size=1m', '--log-opt', 'max-file=3', 'busybox', 'seq', '1', '6500000']);
    const file = await logPath(env, 'rot');
    const dir = path.dirname(file);
    expect(logFiles(dir)).toEqual(['ctr.log', 'ctr.log.1', 'ctr.log.2']);
    for (const f of logFiles(dir)) {
      const content = fs.readFileSync(path.join(dir, f), 'latin1');
      expect(content.length).toBeLessThanOrEqual(1_000_000);
      expect(content.endsWith('\n')).toBe(true); // no record split across files
    }
    const r = await logs(env, ['rot']);
    expect(r.stderr).toBe('');
    const nums = r.stdout.split('\n').filter(Boolean).map(Number);
    expect(nums.at(-1)).toBe(6_500_000);
    expect(nums.length).toBeGreaterThan(37_000); // two full 1 MB files of 52-byte records, and the live one
    nums.forEach((n, i) => {
      if (n !== nums[0]! + i) throw new Error(`line ${i} is ${n}, expected ${nums[0]! + i}`);
    });
    expect((await logs(env, ['--tail', '3', 'rot'])).stdout).toBe('6499998\n6499999\n6500000\n');
  });

  it('with max-size alone keeps one file that starts over', async () => {
    await env.ok(['run', '--name', 'one', '--log-opt', 'max-size=10k', 'busybox', 'seq', '1', '5000']);
    const dir = path.dirname(await logPath(env, 'one'));
    expect(logFiles(dir)).toEqual(['ctr.log']);
    const nums = (await logs(env, ['one'])).stdout.split('\n').filter(Boolean).map(Number);
    expect(nums.at(-1)).toBe(5000);
    expect(nums.length).toBeLessThan(300);
    expect(nums).toEqual(nums.map((_, i) => nums[0]! + i));
  });

  it('writes the log to --log-opt path=, rotates it there, and rm removes every file of it', async () => {
    const dir = path.join(env.dir, 'logs-elsewhere');
    fs.mkdirSync(dir);
    const file = path.join(dir, 'app.log');
    await env.ok(['run', '--name', 'elsewhere', '--log-opt', `path=${file}`, '--log-opt', 'max-size=20k', '--log-opt', 'max-file=2', 'busybox', 'seq', '1', '2000']);
    expect(await env.ok(['inspect', '--format', '{{.LogPath}}', 'elsewhere'])).toBe(file);
    expect(fs.readdirSync(dir).sort()).toEqual(['app.log', 'app.log.1', 'app.log.dropped']);
    expect((await logs(env, ['--tail', '1', 'elsewhere'])).stdout).toBe('2000\n');
    await env.ok(['rm', 'elsewhere']);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('a full disk under the shim', () => {
  it('keeps the container running, records the lines it could not log, and pman logs reports them', async () => {
    const tiny = path.join(env.dir, 'tiny');
    fs.mkdirSync(tiny);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', tiny]);
    try {
      const file = path.join(tiny, 'c.log');
      // ~1.9 MB of output, ~11 MB of log: the 1 MB filesystem fills up early.
      const r = await env.pman(['run', '--name', 'full', '--log-opt', `path=${file}`, 'busybox', 'sh', '-c', 'seq 1 300000; echo still-running >&2']);
      expect(r.exitCode).toBe(0);
      expect(r.stdout.endsWith('\n300000')).toBe(true); // the attached client saw everything
      expect(r.stderr).toBe('still-running');
      const out = await logs(env, ['full']);
      expect(out.exitCode).toBe(0);
      const warnings = out.stderr.split('\n').filter((l) => l.startsWith('WARN: '));
      const stderrLines = out.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('WARN: '));
      expect(warnings).toHaveLength(1);
      const m = /^WARN: the log of container "full" is missing (\d+) lines \((\d+) bytes\) of output that could not be written \(ENOSPC\)$/.exec(warnings[0]!);
      expect(m).not.toBeNull();
      const lines = out.stdout.split('\n');
      const complete = lines.length - 1; // lines ended by a newline
      expect(complete).toBeGreaterThan(1000);
      expect(complete + stderrLines.length + Number(m![1])).toBe(300_001); // every line either logged or counted
      expect(lines.slice(0, 3)).toEqual(['1', '2', '3']);
      await env.ok(['rm', 'full']);
      expect(fs.readdirSync(tiny)).toEqual([]);
    } finally {
      execFileSync('umount', [tiny]);
    }
  });
});
