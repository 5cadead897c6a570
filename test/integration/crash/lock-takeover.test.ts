// A pman command killed -9 while it holds a lock does not hold up the next command: that one sees
// the lock's owner gone and takes the lock over at once (docs/reliability.md). The lock's times are
// set an hour ahead first, so the 10 s staleness rule cannot be what freed it, and PMAN_TRACE says
// how it was taken.
import fs from 'node:fs';
import path from 'node:path';
import { busyboxTarball, TestEnv } from '../harness.js';

let env: TestEnv;
beforeAll(async () => {
  env = await TestEnv.create();
});
afterAll(async () => {
  await env?.cleanup();
});

/** Runs `args` with a failpoint killing it -9 while it holds `lock`; returns the dead owner's pid. */
async function killHolding(lock: string, point: string, args: string[]): Promise<string> {
  const hits = path.join(env.dir, `hits-${point}`);
  const r = await env.pman(args, { env: { PMAN_FAILPOINT: `${point}:kill`, PMAN_FAILPOINT_HITS: hits } });
  expect([r.exitCode, fs.readFileSync(hits, 'utf8').trim()]).toEqual([-1, `${point}:kill`]);
  const pid = fs.readlinkSync(path.join(lock, 'owner')).split(' ')[0];
  expect(fs.existsSync(`/proc/${pid}`)).toBe(false);
  const future = new Date(Date.now() + 3600_000);
  fs.utimesSync(lock, future, future);
  fs.lutimesSync(path.join(lock, 'owner'), future, future);
  return pid;
}

/** Runs pman with PMAN_TRACE; returns its take-over trace lines. */
async function traced(args: string[]): Promise<string[]> {
  const trace = path.join(env.dir, 'trace');
  fs.rmSync(trace, { force: true });
  await env.ok(args, { env: { PMAN_TRACE: trace } });
  return fs.readFileSync(trace, 'utf8').split('\n').filter((l) => l.includes('taken over')).map((l) => l.replace(/^.* lock /, 'lock '));
}

it('import killed -9 holding the image store lock: the next image command takes it over from the dead pid', async () => {
  const lock = path.join(env.root, 'storage', 'store.lock');
  const pid = await killHolding(lock, 'image.after-tag', ['import', busyboxTarball(), 'victim']);
  expect(await traced(['tag', 'busybox', 'again'])).toEqual([`lock ${lock}: taken over from dead pid ${pid}`]);
  expect(fs.existsSync(lock)).toBe(false);
  expect((await env.ok(['images', '--format', '{{.Repository}}'])).split('\n')).toContain('localhost/again');
});

it('rm killed -9 holding a container record lock: rm -f takes it over from the dead pid and removes the container', async () => {
  const id = await env.ok(['create', '--name', 'held', 'busybox', 'true']);
  const lock = path.join(env.root, 'containers', id, 'container.json.lock');
  const pid = await killHolding(lock, 'rm.after-unmount', ['rm', '-f', 'held']);
  expect(await traced(['rm', '-f', 'held'])).toEqual([`lock ${lock}: taken over from dead pid ${pid}`]);
  expect(await env.ok(['ps', '-a', '-q'])).toBe('');
  expect(fs.existsSync(path.join(env.root, 'containers', id))).toBe(false);
});
