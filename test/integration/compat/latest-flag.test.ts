// -l/--latest on the commands podman has it (#20): exec, inspect, logs, start, top, attach, stats
// act on the container created last; names and --latest together are refused. start --all and
// start --filter select containers as stop/rm do.
import { TestEnv, until } from '../harness.js';
import { useEnv } from './shared-env.js';

const getEnv = useEnv();
let env: TestEnv;
beforeAll(() => {
  env = getEnv();
});

const status = async (name: string) => (await env.ok(['inspect', '--format', '{{.State.Status}}', name])).trim();

describe('--latest', () => {
  it('exec, inspect, logs, top and stats act on the container created last', async () => {
    await env.ok(['run', '-d', '--name', 'l-old', 'busybox', 'sh', '-c', 'echo old; sleep 1000']);
    await env.ok(['run', '-d', '--name', 'l-new', 'busybox', 'sh', '-c', 'echo new; exec sleep 1001']);
    expect((await env.ok(['inspect', '-l', '--format', '{{.Name}}'])).trim()).toBe('l-new');
    expect(await until(async () => (await env.ok(['logs', '--latest'])) === 'new' && 'seen', 30_000)).toBe('seen');
    expect(await env.ok(['exec', '-l', 'cat', '/etc/hostname'])).toBe((await env.ok(['inspect', '--format', '{{.Config.Hostname}}', 'l-new'])).trim());
    expect(await env.ok(['top', '-l', 'args'])).toBe('COMMAND\nsleep 1001');
    expect((await env.ok(['stats', '-l', '--no-stream', '--format', '{{.Name}}'])).trim()).toBe('l-new');
    for (const args of [['logs', '-l', 'l-old'], ['inspect', '-l', 'l-old'], ['stats', '-l', '--no-stream', 'l-old']]) {
      const r = await env.pman(args);
      expect(r.exitCode).toBe(125);
      expect(r.stderr).toBe(`Error: ${args[0]}: --latest and containers cannot be used together`);
    }
  });

  it('start -l starts the container created last, attach -l joins it', async () => {
    await env.ok(['create', '--name', 's-first', 'busybox', 'true']);
    await env.ok(['create', '-i', '--name', 's-last', 'busybox', 'sh', '-c', 'read x; echo got $x; exit 3']);
    expect((await env.ok(['start', '-l'])).trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(await status('s-last')).toBe('running');
    expect(await status('s-first')).toBe('created');
    // The container blocks in read until attach -l brings it a line: no race with its output.
    const r = await env.pman(['attach', '-l'], { input: 'hi\n' });
    expect(r).toMatchObject({ exitCode: 3, stdout: 'got hi' });
  });

  it('with no containers, --latest fails naming the flag', async () => {
    const r = await env.pman(['logs', '-l']);
    expect(r).toMatchObject({ exitCode: 125, stderr: 'Error: no containers to act on with --latest' });
  });
});

describe('start --all and --filter', () => {
  it('starts the containers matching a filter, then all of them', async () => {
    await env.ok(['create', '--name', 'f-a', '--label', 'pick=yes', 'busybox', 'sleep', '1000']);
    await env.ok(['create', '--name', 'f-b', 'busybox', 'sleep', '1000']);
    await env.ok(['start', '--filter', 'label=pick=yes']);
    expect([await status('f-a'), await status('f-b')]).toEqual(['running', 'created']);
    await env.ok(['start', '--all']);
    expect([await status('f-a'), await status('f-b')]).toEqual(['running', 'running']);
  });
});
