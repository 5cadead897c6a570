// `pman run` creates the container while it connects to the shim bin/pman started beside it (the
// standby shim, lib/fast-path.ts), naming that shim's pid in the record before the connection is
// made. When that shim cannot be taken after all (it never listens, or is gone), run takes a new
// one: the record must then name the shim that really runs the container, or every later command
// would believe a wrong process to be its shim.
import { execa } from 'execa';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT, TestEnv } from './harness.js';

let env: TestEnv;
beforeAll(async () => {
  env = await TestEnv.create();
});
afterAll(async () => {
  await env.cleanup();
});

/** The CLI started as bin/pman starts it, but told of a standby shim at `pid` that does not listen. */
async function runWithStandby(pid: number, args: string[], extraEnv: Record<string, string> = {}) {
  return execa('node', [path.join(PROJECT, 'dist/bundle/main.cjs'), ...env.args(args)], {
    reject: false,
    env: { _PMAN_STANDBY_SHIM: path.join(env.dir, 'no-standby.sock'), _PMAN_STANDBY_PID: String(pid), ...extraEnv },
  });
}

describe('the standby shim', () => {
  it('run goes through with a shim of its own when the standby one is gone', async () => {
    // A pid that was a process a moment ago and is gone now.
    const gone = execa('true');
    await gone;
    const r = await runWithStandby(gone.pid!, ['run', '-d', '--name', 'gone', '--network', 'none', 'busybox', 'sleep', '1000']);
    expect(r.exitCode).toBe(0);
    const shimPid = Number((await env.ok(['inspect', '--format', '{{.State.ConmonPid}}', 'gone'])).trim());
    // (Spawned by the CLI itself: its entry is dist/bundle/shim-entry.cjs or dist/lib/shim/entry.js.)
    expect(fs.readFileSync(`/proc/${shimPid}/cmdline`, 'utf8')).toMatch(/shim-entry\.cjs|shim\/entry\.js/);
    expect((await env.ok(['ps', '--format', '{{.Names}} {{.State}}', '--filter', 'name=gone'])).trim()).toBe('gone running');
    await env.ok(['rm', '-f', '-t', '0', 'gone']);
  });

  it('names the shim that runs the container when the standby one never listens', async () => {
    // A live process that is no shim: run names it first, waits for it to listen, gives up (after
    // 5 s), spawns a shim and names that one. The failpoint kills that shim before it records the
    // container running (which would name it too), so the record shows whom run named.
    const impostor = execa('sleep', ['1000']);
    try {
      const r = await runWithStandby(impostor.pid!, ['run', '-d', '--name', 'named', '--network', 'none', 'busybox', 'true'], { PMAN_FAILPOINT: 'start.after-mount:kill' });
      expect(r.stderr).toContain("the container's shim exited before reporting (killed by SIGKILL)");
      // Read from the record itself, before any command reconciles it (a created container whose
      // shim is dead loses the shim's pid then).
      const id = fs.readlinkSync(path.join(env.root, 'names', 'named'));
      const named = (JSON.parse(fs.readFileSync(path.join(env.root, 'containers', id, 'container.json'), 'utf8')) as { state: { shimPid: number } }).state.shimPid;
      expect(named).toBeGreaterThan(0);
      expect(named).not.toBe(impostor.pid);
      await env.ok(['rm', '-f', '-t', '0', 'named']);
    } finally {
      impostor.kill('SIGKILL');
      await impostor.catch(() => undefined);
    }
  });
});
