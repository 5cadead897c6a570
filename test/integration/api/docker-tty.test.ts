// The docker CLI's terminal sessions through pman's API, driven in a real pty: run -it (with a
// resize), exec -it, and attach left with the detach keys while the container runs on.
import { until } from '../harness.js';
import { spawnPty } from '../pty.js';
import { DOCKER_CLI, useApiService } from './api-service.js';

const s = useApiService();

function dockerPty(args: string[]) {
  return spawnPty(DOCKER_CLI, args, { cols: 80, rows: 24, vars: { DOCKER_HOST: s.svc.host, DOCKER_CONFIG: `${s.env.dir}/docker-config` } });
}

/** Types `cmd` (again and again) until the output after `from` matches: sizes arrive by their own requests. */
async function askUntil(t: ReturnType<typeof dockerPty>, cmd: string, re: RegExp, from: number): Promise<void> {
  const seen = await until(async () => {
    t.write(`${cmd}\r`);
    try {
      await t.waitFor(re, 1000, from);
      return true;
    } catch {
      return false;
    }
  }, 30_000, 100);
  if (!seen) throw new Error(`never saw ${re} after typing ${cmd}: ${JSON.stringify(t.output().slice(from))}`);
}

/**
 * In a busybox shell session: the terminal's size reaches the pty (the docker CLI sends it with a
 * resize request right after the start, as it does to dockerd), then a resize, then `exit CODE`.
 */
async function sizeAndResize(t: ReturnType<typeof dockerPty>, code: number): Promise<void> {
  await t.waitFor(/# /);
  await askUntil(t, 'echo "size=$(stty size) tty=$(tty)"', /size=24 80 tty=\/dev\/pts\/\d+/, 0);
  const mark = t.output().length;
  t.resize(100, 30);
  await askUntil(t, 'echo "now=$(stty size)"', /now=30 100/, mark);
  t.write(`exit ${code}\r`);
}

describe('docker CLI terminal sessions through pman system service', () => {
  it('run -it gives a pty of the terminal size, follows a resize and returns the exit code', async () => {
    const t = dockerPty(['run', '-it', '--rm', 'busybox', 'sh']);
    try {
      await sizeAndResize(t, 5);
      expect((await t.exited).exitCode).toBe(5);
    } finally {
      t.kill('SIGKILL');
    }
    expect(await s.env.ok(['ps', '-aq'])).toBe('');
  });

  it('exec -it gets its own pty with the terminal size and a resize', async () => {
    const id = await s.svc.ok(['run', '-d', 'busybox', 'sleep', '300']);
    const t = dockerPty(['exec', '-it', id, 'sh']);
    try {
      await sizeAndResize(t, 6);
      expect((await t.exited).exitCode).toBe(6);
      expect(await s.env.ok(['inspect', '--format', '{{.State.Status}}', id])).toBe('running');
    } finally {
      t.kill('SIGKILL');
      await s.svc.docker(['rm', '-f', id]);
    }
  });

  it('attach relays input and output and the detach keys leave the container running', async () => {
    const id = await s.svc.ok(['run', '-dit', '--name', 'attached', 'busybox', 'sh']);
    const t = dockerPty(['attach', 'attached']);
    try {
      // The prompt was printed before we came: type blind until the shell answers.
      t.write('echo "sum=$((6*7))"\r');
      await t.waitFor(/sum=42/);
      t.write('\x10\x11');
      await t.waitFor(/read escape sequence/);
      await t.exited;
      expect(await s.env.ok(['inspect', '--format', '{{.State.Status}}', 'attached'])).toBe('running');
      // Still a working shell, for a second client.
      const again = dockerPty(['attach', '--detach-keys', 'ctrl-x', 'attached']);
      try {
        again.write('echo "again=$((2+3))"\r');
        await again.waitFor(/again=5/);
        again.write('\x18');
        await again.waitFor(/read escape sequence/);
      } finally {
        again.kill('SIGKILL');
      }
    } finally {
      t.kill('SIGKILL');
      await s.svc.docker(['rm', '-f', id]);
    }
  });
});
