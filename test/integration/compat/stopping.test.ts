// Container status "stopping" while a stop waits for the container to exit (#20), as podman shows
// it: the container ignores SIGTERM and the stop timeout is long, so the stop is held in its wait
// until the test kills the container; ps, inspect and ps --filter status= see it meanwhile.
import { execa } from 'execa';
import { PMAN_BIN, TestEnv, until } from '../harness.js';
import { useEnv } from './shared-env.js';

const getEnv = useEnv();
let env: TestEnv;
beforeAll(() => {
  env = getEnv();
});

const inspectStatus = async () => (await env.ok(['inspect', '--format', '{{.State.Status}}', 'st-one'])).trim();

describe('status stopping', () => {
  it('shows stopping while pman stop waits, and exited once the container is gone', async () => {
    await env.ok(['run', '-d', '--name', 'st-one', 'busybox', 'sh', '-c', "trap 'echo term ignored' TERM; echo ready; while :; do sleep 1; done"]);
    expect(await until(async () => (await env.ok(['logs', 'st-one'])).includes('ready'))).toBe(true);
    const stop = execa(PMAN_BIN, env.args(['stop', '-t', '600', 'st-one']), { reject: false });
    let held = true;
    try {
      expect(await until(async () => (await inspectStatus()) === 'stopping', 60_000)).toBe(true);
      expect(await until(async () => (await env.ok(['logs', 'st-one'])).includes('term ignored'))).toBe(true);
      expect((await env.ok(['ps', '--format', '{{.Names}} {{.State}} {{.Status}}'])).trim()).toBe('st-one stopping Stopping');
      expect((await env.ok(['ps', '--filter', 'status=stopping', '--format', '{{.Names}}'])).trim()).toBe('st-one');
      expect((await env.ok(['ps', '--filter', 'status=running', '--format', '{{.Names}}'])).trim()).toBe('');
      expect(JSON.parse(await env.ok(['ps', '--format', 'json']))[0].State).toBe('stopping');
      await env.ok(['kill', 'st-one']);
      held = false;
    } finally {
      if (held) stop.kill('SIGKILL');
    }
    expect((await stop).exitCode).toBe(0);
    expect(await inspectStatus()).toBe('exited');
    expect(JSON.parse(await env.ok(['inspect', 'st-one']))[0].State.Status).toBe('exited');
  });

  it('a stop whose process died leaves the container shown as running', async () => {
    await env.ok(['run', '-d', '--name', 'st-one', 'busybox', 'sh', '-c', "trap '' TERM; while :; do sleep 1; done"]);
    const stop = execa(PMAN_BIN, env.args(['stop', '-t', '600', 'st-one']), { reject: false });
    expect(await until(async () => (await inspectStatus()) === 'stopping', 60_000)).toBe(true);
    stop.kill('SIGKILL');
    await stop;
    expect(await inspectStatus()).toBe('running');
  });
});
