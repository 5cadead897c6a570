// pman logs -f against real containers: it ends by itself when the container exits, after the
// last line; it keeps going through rotations and through `pman restart`.
import { TestEnv, until } from '../harness.js';
import { follow, logs, numberedRun } from './logs-harness.js';

const env = TestEnv.forFile();

const status = async (name: string) => (await env.pman(['inspect', '--format', '{{.State.Status}}', name])).stdout;

describe('pman logs -f', () => {
  it('ends by itself when the container exits, after a burst written just before the exit', async () => {
    await env.ok(['run', '-d', '--name', 'burst', 'busybox', 'sh', '-c', 'echo first; sleep 1; seq 1 100000; echo LAST']);
    const f = follow(env, ['burst']);
    const r = await f.done();
    expect(r.exitCode).toBe(0);
    expect(r.stdout.startsWith('first\n1\n')).toBe(true);
    expect(r.stdout.endsWith('\n100000\nLAST\n')).toBe(true);
    expect(numberedRun(r.stdout.slice('first\n'.length, -'LAST\n'.length))).toEqual([1, 100000]);
    expect(r.stderr).toBe('');
  });

  it('prints everything and exits at once for a container that has stopped', async () => {
    await env.ok(['run', '--name', 'stopped', 'busybox', 'sh', '-c', 'echo a; echo b >&2; printf c']);
    const r = await follow(env, ['stopped']).done(10_000);
    expect(r).toEqual({ exitCode: 0, stdout: 'a\nc', stderr: 'b\n' });
  });

  it('starts from --tail and follows new lines of a running container until it is stopped', async () => {
    await env.ok(['run', '-d', '--name', 'ticker', 'busybox', 'sh', '-c', 'trap "echo bye; exit 0" TERM; seq 1 5; while :; do sleep 0.1; done']);
    await until(async () => (await logs(env, ['ticker'])).stdout === '1\n2\n3\n4\n5\n');
    const f = follow(env, ['--tail', '2', 'ticker']);
    await until(() => f.out() === '4\n5\n');
    expect(f.ended()).toBe(false);
    await env.ok(['stop', 'ticker']);
    expect((await f.done()).stdout).toBe('4\n5\nbye\n');
  });

  it('continues across pman restart and ends when the container finally stops', async () => {
    await env.ok(['run', '-d', '--name', 'restarted', 'busybox', 'sh', '-c', 'trap "echo bye; exit 0" TERM; echo up; while :; do sleep 0.1; done']);
    const f = follow(env, ['restarted']);
    expect(await until(() => f.out() === 'up\n')).toBe(true);
    await env.ok(['restart', 'restarted']);
    expect(await until(() => f.out() === 'up\nbye\nup\n')).toBe(true);
    expect(f.ended()).toBe(false);
    expect(await status('restarted')).toBe('running');
    await env.ok(['stop', 'restarted']);
    expect(await f.done()).toEqual({ exitCode: 0, stdout: 'up\nbye\nup\nbye\n', stderr: '' });
  });

  it('follows through rotations without losing, repeating or splitting a line', async () => {
    // ~55 KB of log every 0.1 s, rotated at 200 KB: a rotation about every 0.4 s while it follows.
    await env.ok([
      'run', '-d', '--name', 'rotating', '--log-opt', 'max-size=200k', '--log-opt', 'max-file=3',
      'busybox', 'sh', '-c',
      'echo 0; while [ ! -e /tmp/go ]; do sleep 0.05; done; i=0; while [ $i -lt 40 ]; do seq $((i*1000+1)) $((i*1000+1000)); i=$((i+1)); sleep 0.1; done',
    ]);
    // The output starts once the follower is known to be following.
    const f = follow(env, ['rotating']);
    expect(await until(() => f.out() === '0\n', 30_000)).toBe(true);
    await env.ok(['exec', 'rotating', 'touch', '/tmp/go']);
    const r = await f.done(60_000);
    expect(r.stderr).toBe('');
    expect(numberedRun(r.stdout)).toEqual([0, 40000]);
    // What stayed on disk is the newest part, also without a gap.
    const kept = numberedRun((await logs(env, ['rotating'])).stdout);
    expect(kept[1]).toBe(40000);
    expect(kept[0]).toBeGreaterThan(1);
  });

  it('stops at an --until time in the future', async () => {
    // Until a moment 4 s ahead: a line written while it follows (most likely before that moment)
    // and one written after it ended. Whatever the machine's speed, it must print exactly what a
    // plain `logs --until` of the same moment prints afterwards: all the lines up to that moment
    // (not only those there when it started), none after (it ended at the moment, not before).
    await env.ok(['run', '-d', '--name', 'until', 'busybox', 'sh', '-c', 'echo now; sleep 1000']);
    const moment = new Date(Date.now() + 4000).toISOString();
    const f = follow(env, ['--until', moment, 'until']);
    expect(await until(() => f.out() === 'now\n')).toBe(true);
    await env.ok(['exec', 'until', 'sh', '-c', 'echo mid > /proc/1/fd/1']);
    const r = await f.done(15_000);
    await env.ok(['exec', 'until', 'sh', '-c', 'echo late > /proc/1/fd/1']);
    expect(await until(async () => (await logs(env, ['until'])).stdout === 'now\nmid\nlate\n')).toBe(true);
    const plain = await logs(env, ['--until', moment, 'until']);
    expect(plain.stdout).toMatch(/^now\n(mid\n)?$/);
    expect(r).toEqual({ exitCode: 0, stdout: plain.stdout, stderr: '' });
    expect(await status('until')).toBe('running');
  });

  it('follows several containers, each line with its name, until all have exited', async () => {
    await env.ok(['run', '-d', '--name', 'fa', 'busybox', 'sh', '-c', 'echo a1; sleep 1; echo a2']);
    await env.ok(['run', '-d', '--name', 'fb', 'busybox', 'sh', '-c', 'echo b1; sleep 2; echo b2']);
    const r = await follow(env, ['fa', 'fb']).done();
    expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual(['fa a1', 'fa a2', 'fb b1', 'fb b2']);
    expect(r.stdout.endsWith('fb b2\n')).toBe(true);
  });
});
