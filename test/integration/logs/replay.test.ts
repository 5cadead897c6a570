// pman logs against real containers: what the shim wrote comes back byte for byte, with every
// selection flag, for both file drivers; bad input is a clear error.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { TestEnv } from '../harness.js';
import { logPath, logs, raw } from './logs-harness.js';

let env: TestEnv;
beforeAll(async () => {
  env = await TestEnv.create();
});
afterAll(async () => {
  await env.cleanup();
});

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('pman logs replay', () => {
  it('replays stdout to stdout and stderr to stderr', async () => {
    await env.ok(['run', '--name', 'sep', 'busybox', 'sh', '-c', 'echo o1; echo e1 >&2; echo o2; echo e2 >&2']);
    expect(await logs(env, ['sep'])).toEqual({ exitCode: 0, stdout: 'o1\no2\n', stderr: 'e1\ne2\n' });
  });

  it.each(['k8s-file', 'json-file'])('gives binary output back byte for byte (%s)', async (driver) => {
    // 200 KB of random bytes (every byte value, newlines at random places), then their hash on stderr.
    const name = `bin-${driver}`;
    const run = await raw(env, ['run', '--name', name, '--log-driver', driver, 'busybox', 'sh', '-c', 'head -c 200000 /dev/urandom > /tmp/b; cat /tmp/b; sha256sum /tmp/b | cut -c1-64 >&2']);
    expect(run.exitCode).toBe(0);
    const r = await raw(env, ['logs', name]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.length).toBe(200_000);
    expect(sha256(r.stdout)).toBe(r.stderr.toString().trim());
    expect(r.stdout.equals(run.stdout)).toBe(true);
  });

  it('joins a 100 KB line without newlines and a printf without a trailing newline', async () => {
    await env.ok(['run', '--name', 'partial', 'busybox', 'sh', '-c', "head -c 102400 /dev/zero | tr '\\0' x; printf ' end'"]);
    const text = fs.readFileSync(await logPath(env, 'partial'), 'latin1');
    expect(text).toMatch(/ stdout P x+\n/); // written as P pieces …
    const r = await logs(env, ['partial']);
    expect(r.stdout).toBe('x'.repeat(102400) + ' end'); // … replayed as one unbroken line
    expect((await logs(env, ['--tail', '1', 'partial'])).stdout).toBe('x'.repeat(102400) + ' end');
    expect(r.stderr).toBe('');
  });

  it('logs a terminal container as stdout, with the terminal\'s CRLF', async () => {
    await env.ok(['run', '-t', '--name', 'tty', 'busybox', 'sh', '-c', 'echo a; echo b >&2']);
    expect(await logs(env, ['tty'])).toEqual({ exitCode: 0, stdout: 'a\r\nb\r\n', stderr: '' });
  });

  it('--tail counts whole lines (P pieces joined with their F); 0 gives nothing, -1 everything', async () => {
    await env.ok(['run', '--name', 'tail', 'busybox', 'sh', '-c', 'seq 1 10; printf par; sleep 0.3; echo tial; echo last >&2']);
    expect((await logs(env, ['--tail', '3', 'tail'])).stdout).toBe('10\npartial\n');
    expect((await logs(env, ['--tail', '3', 'tail'])).stderr).toBe('last\n');
    expect((await logs(env, ['--tail', '2', 'tail'])).stdout).toBe('partial\n');
    expect(await logs(env, ['--tail', '0', 'tail'])).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect((await logs(env, ['--tail', '-1', 'tail'])).stdout).toBe('1\n2\n3\n4\n5\n6\n7\n8\n9\n10\npartial\n');
    const bad = await logs(env, ['--tail', 'ten', 'tail']);
    expect(bad.exitCode).toBe(125);
    expect(bad.stderr).toMatch(/invalid --tail value "ten"/);
  });

  it('-t prefixes each line with its RFC3339Nano time, -n with the container name', async () => {
    await env.ok(['run', '--name', 'stamps', 'busybox', 'sh', '-c', 'echo one; printf tw; sleep 0.2; echo o']);
    const t = (await logs(env, ['-t', 'stamps'])).stdout.split('\n');
    // As podman 4.3.1 prints them (Go's RFC3339Nano): no trailing zeros, Z for UTC, where the file has +00:00.
    const stamp = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d*[1-9])?(Z|[+-](?!00:00)\d\d:\d\d)`;
    expect(t[0]).toMatch(new RegExp(`^${stamp} one$`));
    expect(t[1]).toMatch(new RegExp(`^${stamp} two$`)); // one prefix for the joined line
    expect((await logs(env, ['-n', 'stamps'])).stdout).toBe('stamps one\nstamps two\n');
    expect((await logs(env, ['-n', '-t', '--tail', '1', 'stamps'])).stdout).toMatch(/^stamps \d{4}-\S+ two\n$/);
  });

  describe('--since and --until', () => {
    let early: Date;
    let late: Date;
    beforeAll(async () => {
      await env.ok(['run', '--name', 'times', 'busybox', 'sh', '-c', 'echo early; sleep 2; echo late']);
      const stamps = (await logs(env, ['-t', 'times'])).stdout.split('\n').map((l) => l.split(' ')[0]!);
      [early, late] = [new Date(stamps[0]!), new Date(stamps[1]!)];
      expect(late.getTime() - early.getTime()).toBeGreaterThan(1500);
    });
    const pick = async (...flags: string[]) => {
      const r = await logs(env, [...flags, 'times']);
      expect(r.stderr).toBe('');
      return r.stdout;
    };
    const mid = () => new Date((early.getTime() + late.getTime()) / 2);
    const pad = (n: number, w = 2) => String(n).padStart(w, '0');
    const localDate = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
    const localDateTime = (d: Date) => `${localDate(d)}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
    const day = 86_400_000;

    it('take RFC3339 times', async () => {
      expect(await pick('--since', mid().toISOString())).toBe('late\n');
      expect(await pick('--until', mid().toISOString())).toBe('early\n');
      expect(await pick('--since', mid().toISOString().replace('Z', '+00:00'), '--until', new Date(late.getTime() + 1000).toISOString())).toBe('late\n');
    });

    it('take Unix seconds, with or without a fraction', async () => {
      expect(await pick('--since', String(Math.floor(late.getTime() / 1000)))).toBe('late\n');
      expect(await pick('--until', (mid().getTime() / 1000).toFixed(3))).toBe('early\n');
    });

    it('take local dates and date-times, and dates with a zone', async () => {
      expect(await pick('--since', localDate(new Date(early.getTime() - day)))).toBe('early\nlate\n');
      expect(await pick('--until', localDate(new Date(early.getTime() - day)))).toBe('');
      expect(await pick('--until', `${new Date(late.getTime() + day).toISOString().slice(0, 10)}Z`)).toBe('early\nlate\n');
      expect(await pick('--since', localDateTime(mid()))).toBe('late\n');
    });

    it('take durations: now - d for --since, now + d for --until', async () => {
      expect(await pick('--since', '10m')).toBe('early\nlate\n');
      expect(await pick('--since=-10m')).toBe('');
      expect(await pick('--until', '1h30m')).toBe('early\nlate\n');
      expect(await pick('--until=-24h')).toBe('');
    });

    it('combine with --tail: the last N of the lines in range', async () => {
      expect(await pick('--until', mid().toISOString(), '--tail', '1')).toBe('early\n');
      expect(await pick('--since', '10m', '--tail', '1')).toBe('late\n');
    });

    it('reject anything else with exit 125', async () => {
      for (const [flag, value] of [['--since', 'yesterday'], ['--until', '2024-13-01'], ['--since', '10 minutes']]) {
        const r = await logs(env, [flag!, value!, 'times']);
        expect(r.exitCode).toBe(125);
        expect(r.stderr).toMatch(new RegExp(`invalid ${flag} value "${value}"`));
      }
    });
  });

  it('prints several containers interleaved by time, each line with its name', async () => {
    await Promise.all([
      env.ok(['run', '-d', '--name', 'ia', 'busybox', 'sh', '-c', 'for i in 1 2 3 4; do echo a$i; sleep 0.4; done; echo a5 >&2']),
      env.ok(['run', '-d', '--name', 'ib', 'busybox', 'sh', '-c', 'for i in 1 2 3 4; do echo b$i; sleep 0.4; done']),
    ]);
    await env.ok(['wait', 'ia', 'ib']);
    // The expected order comes from each container's own timestamps.
    const stamped = async (name: string) =>
      (await logs(env, ['-t', name])).stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => ({ t: l.split(' ')[0]!, line: `${name} ${l.split(' ')[1]}` }));
    const expected = [...(await stamped('ia')), ...(await stamped('ib'))]
      .sort((x, y) => Date.parse(x.t) - Date.parse(y.t) || Number(x.t.slice(20, 29)) - Number(y.t.slice(20, 29)))
      .map((x) => x.line);
    const r = await logs(env, ['ia', 'ib']);
    expect(r.stdout.split('\n').filter(Boolean)).toEqual(expected);
    expect(expected.indexOf('ib b1')).toBeLessThan(expected.indexOf('ia a4')); // the runs overlapped
    expect(r.stderr).toBe('ia a5\n');
    const tails = await logs(env, ['--tail', '1', '-t', 'ib', 'ia']);
    expect(tails.stdout).toMatch(/^ib \S+ b4\n$/);
    expect(tails.stderr).toMatch(/^ia \S+ a5\n$/);
  });

  it('skips a corrupt line and a truncated last line with one warning, and replays the rest', async () => {
    await env.ok(['run', '--name', 'corrupt', 'busybox', 'sh', '-c', 'seq 1 5']);
    const file = await logPath(env, 'corrupt');
    const lines = fs.readFileSync(file, 'latin1').split('\n');
    lines.splice(2, 0, 'this is not a log record', '2024-02-30T00:00:00Z stdout F bad date');
    fs.writeFileSync(file, lines.join('\n') + '2025-01-01T00:00:00.000000000+00:00 std', 'latin1'); // cut off mid-record
    const r = await logs(env, ['corrupt']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('1\n2\n3\n4\n5\n');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^WARN: skipping a corrupt line at byte \d+ of .*ctr\.log, the log of container "corrupt"/);
  });

  it('writes docker json-file lines with --log-driver json-file and replays them', async () => {
    await env.ok(['run', '--name', 'json', '--log-driver', 'json-file', 'busybox', 'sh', '-c', 'echo "say \\"hi\\""; sleep 0.2; echo oops >&2; sleep 0.2; printf end']);
    const objects = fs
      .readFileSync(await logPath(env, 'json'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { log: string; stream: string; time: string });
    expect(objects.map(({ log, stream }) => [log, stream])).toEqual([
      ['say "hi"\n', 'stdout'],
      ['oops\n', 'stderr'],
      ['end', 'stdout'],
    ]);
    objects.forEach((o) => expect(o.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/));
    expect(await logs(env, ['json'])).toEqual({ exitCode: 0, stdout: 'say "hi"\nend', stderr: 'oops\n' });
  });

  it('says clearly that a --log-driver none container has no logs, and writes no file', async () => {
    await env.ok(['run', '--name', 'nolog', '--log-driver', 'none', 'busybox', 'echo', 'hi']);
    const r = await logs(env, ['nolog']);
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toMatch(/container "nolog" was created with --log-driver none: it has no logs/);
    expect(fs.readdirSync(path.dirname(await logPath(env, 'nolog'))).filter((f) => f.startsWith('ctr.log'))).toEqual([]);
  });

  it('is a clear error for an unknown container', async () => {
    const r = await logs(env, ['nosuch']);
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toMatch(/no container with name or ID "nosuch"/);
  });

  it('keeps the log across stop and start (appended) and removes it with rm', async () => {
    await env.ok(['run', '--name', 'again', 'busybox', 'sh', '-c', 'echo run']);
    await env.ok(['start', '-a', 'again']);
    expect((await logs(env, ['again'])).stdout).toBe('run\nrun\n');
    const dir = path.dirname(await logPath(env, 'again'));
    await env.ok(['rm', 'again']);
    expect(fs.existsSync(dir)).toBe(false);
    expect((await logs(env, ['again'])).exitCode).toBe(125);
  });

  it('rejects bad --log-opt values at create with one line and exit 125', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--log-opt', 'max-size=big'], /invalid --log-opt "max-size=big": use a size in bytes/],
      [['--log-opt', 'max-size=1m', '--log-opt', 'max-file=0'], /invalid --log-opt "max-file=0"/],
      [['--log-opt', 'max-file=3'], /max-file needs max-size too/],
      [['--log-opt', 'colour=blue'], /unknown option "colour"/],
      [['--log-opt', `path=${env.dir}/missing/c.log`], /directory ".*missing" does not exist/],
    ];
    for (const [flags, message] of cases) {
      const r = await env.pman(['create', ...flags, 'busybox', 'true']);
      expect(r.exitCode).toBe(125);
      expect(r.stderr.split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
    expect(await env.ok(['ps', '-aq', '--filter', 'status=created'])).toBe('');
  });
});
