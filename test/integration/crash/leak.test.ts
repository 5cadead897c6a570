// Containers that came and went leave nothing behind: after a bounded number of cycles the store's
// files, the mounts and the processes are exactly what they were (the 1,000-cycle run is
// bench/soak). The exits/ directory once gained a file per `run --rm`.
import fs from 'node:fs';
import path from 'node:path';
import { TestEnv, until } from '../harness.js';
import { hostPicture, storeProcesses, type HostPicture } from '../invariants.js';

let env: TestEnv;
let before: HostPicture;
beforeAll(async () => {
  env = await TestEnv.create();
  // Directories made on first use (runc's root, the names) are there before the count starts.
  await env.ok(['run', '--rm', 'busybox', 'true']);
  await env.ok(['run', '--name', 'warm-up', 'busybox', 'true']);
  await env.ok(['rm', 'warm-up']);
  before = hostPicture(env);
});
afterAll(async () => {
  await env.cleanup();
});

/** The picture once the last shims have finished their way out (after their clients were told). */
async function settled(): Promise<HostPicture> {
  await until(() => storeProcesses(env.dir).length === 0);
  return hostPicture(env);
}

/** How many unix sockets are bound to this path (a listener and its accepted connections). */
function socketsAt(p: string): number {
  return fs
    .readFileSync('/proc/net/unix', 'utf8')
    .split('\n')
    .filter((l) => l.trim().split(/\s+/)[7] === p).length;
}

describe('containers that came and went', () => {
  it('30 run --rm cycles leave files, mounts and processes as they were', async () => {
    for (let i = 0; i < 30; i++) {
      const r = await env.pman(['run', '--rm', 'busybox', 'sh', '-c', `exit ${i % 3}`]);
      expect(r.exitCode).toBe(i % 3);
    }
    expect(await settled()).toEqual(before);
  }, 300_000);

  it('run -d --rm with a waiting wait gives the exit code and keeps nothing for later', async () => {
    for (let i = 0; i < 5; i++) {
      const id = (await env.ok(['run', '-d', '--rm', 'busybox', 'sh', '-c', `while [ ! -e /tmp/go ]; do sleep 0.1; done; exit ${i + 1}`])).trim();
      const waiting = env.pman(['wait', id]);
      // The container ends only once wait is connected to its shim (a second socket at the
      // attach path: the listener and the accepted connection).
      const attach = path.join(env.runroot, 'containers', id, 'attach');
      expect(await until(() => socketsAt(attach) >= 2)).toBe(true);
      await env.ok(['exec', id, 'touch', '/tmp/go']);
      expect((await waiting).stdout).toBe(String(i + 1));
    }
    expect(await settled()).toEqual(before);
  }, 300_000);

  it('the exit code of a run -d --rm container nobody waited for is kept for a later wait', async () => {
    const id = (await env.ok(['run', '-d', '--rm', 'busybox', 'sh', '-c', 'exit 7'])).trim();
    // Nobody was connected when it exited: wait (after the removal) reads the kept code.
    expect(await until(async () => (await env.ok(['ps', '-aq'])) === '')).toBe(true);
    expect(fs.readdirSync(path.join(env.runroot, 'exits'))).toEqual([id]);
    expect(await env.ok(['wait', id])).toBe('7');
  });
});
