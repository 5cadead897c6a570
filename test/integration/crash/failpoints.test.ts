// Kill pman (or make the step fail with an I/O error) at every failpoint (lib/util/failpoint.ts),
// then check the invariants of docs/reliability.md: every reading command works, what was half-made
// is complete or cleanly absent (the same operation succeeds afterwards), a bystander container and
// the image are untouched, and removing everything frees everything.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { FAILPOINTS } from '../../../lib/util/failpoint.js';
import { TestEnv, until } from '../harness.js';
import { freeingProblems, hostPicture, readingProblems, storeProcesses, type HostPicture } from '../invariants.js';

let env: TestEnv;
let clean: HostPicture;
let smallTar: string;
beforeAll(async () => {
  env = await TestEnv.create();
  // A rootfs of its own (a layer busybox does not have), for the image failpoints.
  const src = path.join(env.dir, 'small');
  fs.mkdirSync(path.join(src, 'etc'), { recursive: true });
  fs.writeFileSync(path.join(src, 'etc', 'small'), 'small\n');
  smallTar = path.join(env.dir, 'small.tar');
  execFileSync('tar', ['-C', src, '-cf', smallTar, '.']);
  fs.rmSync(src, { recursive: true });
  // What a store that has run containers and held volumes looks like once they are gone.
  await env.ok(['run', '--name', 'warm-up', '-v', 'warm:/data', '--log-opt', 'max-size=1k', 'busybox', 'true']);
  await env.ok(['rm', '-v', 'warm-up']);
  await env.ok(['volume', 'rm', 'warm']);
  await env.ok(['import', smallTar, 'warm-img']);
  await env.ok(['rmi', 'warm-img']);
  clean = hostPicture(env);
}, 120_000);
afterAll(async () => {
  await env.cleanup();
});

interface Case {
  point: (typeof FAILPOINTS)[number];
  action: 'kill' | 'eio' | 'enospc';
  /** Set-up without the failpoint. */
  before?: string[][];
  /** The operation run with the failpoint armed. */
  run: string[];
  /** Run once more without the failpoint afterwards: what was half-made must not be in its way. */
  again?: string[][];
  /** A name some image must hold right after the crash (a name being moved is never lost). */
  named?: string;
}

const SLEEPER = ['busybox', 'sleep', '1000'];
const CASES: Case[] = [
  ...(['create.after-name', 'create.after-record', 'create.after-bundle', 'create.after-storage'] as const).map(
    (point): Case => ({ point, action: 'kill', run: ['create', '--name', 'fp', '-v', 'fpvol:/data', 'busybox', 'true'] }),
  ),
  { point: 'create.after-record', action: 'eio', run: ['create', '--name', 'fp', 'busybox', 'true'] },
  { point: 'create.after-bundle', action: 'enospc', run: ['create', '--name', 'fp', '-v', 'fpvol:/data', 'busybox', 'true'] },
  ...(['start.after-shim', 'start.after-mount', 'start.after-network', 'start.after-runc-create', 'start.after-record'] as const).map(
    (point): Case => ({ point, action: 'kill', run: ['run', '-d', '--name', 'fp', ...SLEEPER] }),
  ),
  { point: 'start.after-mount', action: 'eio', run: ['run', '-d', '--name', 'fp', ...SLEEPER] },
  { point: 'start.after-runc-start', action: 'kill', before: [['create', '--name', 'fp', ...SLEEPER]], run: ['start', '--attach', 'fp'] },
  { point: 'stop.after-signal', action: 'kill', before: [['run', '-d', '--name', 'fp', ...SLEEPER]], run: ['stop', '-t', '5', 'fp'] },
  { point: 'exit.before-record', action: 'kill', run: ['run', '-d', '--name', 'fp', 'busybox', 'sh', '-c', 'exit 3'] },
  { point: 'exit.after-record', action: 'kill', run: ['run', '-d', '--name', 'fp', 'busybox', 'sh', '-c', 'exit 3'] },
  { point: 'exit.before-record', action: 'eio', run: ['run', '-d', '--name', 'fp', 'busybox', 'sh', '-c', 'exit 3'] },
  ...(['rm-auto.before-files', 'rm-auto.after-retire'] as const).map(
    (point): Case => ({ point, action: 'kill', run: ['run', '--rm', '--name', 'fp', '-v', '/anon', 'busybox', 'true'] }),
  ),
  ...(['rm.after-runc-delete', 'rm.after-network', 'rm.after-unmount', 'rm.after-record'] as const).map(
    (point): Case => ({ point, action: 'kill', before: [['run', '-d', '--name', 'fp', ...SLEEPER]], run: ['rm', '-f', '-t', '0', 'fp'] }),
  ),
  { point: 'rm.after-unmount', action: 'eio', before: [['run', '-d', '--name', 'fp', ...SLEEPER]], run: ['rm', '-f', '-t', '0', 'fp'] },
  { point: 'restart.before-relaunch', action: 'kill', run: ['run', '-d', '--name', 'fp', '--restart', 'always', 'busybox', 'true'] },
  ...(['image.after-blob', 'image.after-layer', 'image.after-tag', 'image.after-record'] as const).map(
    (point): Case => ({ point, action: 'kill', run: ['import', '@small', 'fpimg'], again: [['import', '@small', 'fpimg']] }),
  ),
  { point: 'image.after-layer', action: 'enospc', run: ['import', '@small', 'fpimg'], again: [['import', '@small', 'fpimg']] },
  // The name the new image takes is held by busybox: killed before or after the new record, one of them has it.
  ...(['image.after-blob', 'image.after-record'] as const).map(
    (point): Case => ({ point, action: 'kill', before: [['tag', 'busybox', 'fpimg']], run: ['import', '@small', 'fpimg'], again: [['import', '@small', 'fpimg']], named: 'localhost/fpimg:latest' }),
  ),
  ...(['rmi.after-record', 'rmi.after-layers'] as const).map(
    (point): Case => ({ point, action: 'kill', before: [['import', '@small', 'fpimg']], run: ['rmi', 'fpimg'], again: [['import', '@small', 'fpimg']] }),
  ),
  { point: 'volume.after-create', action: 'kill', run: ['volume', 'create', 'fpvol'], again: [['volume', 'create', 'fpvol']] },
  { point: 'volume.after-create', action: 'eio', run: ['volume', 'create', 'fpvol'], again: [['volume', 'create', 'fpvol']] },
  { point: 'volume.after-rm-record', action: 'kill', before: [['volume', 'create', 'fpvol']], run: ['volume', 'rm', 'fpvol'], again: [['volume', 'create', 'fpvol']] },
  ...(['kill', 'eio'] as const).map(
    (action): Case => ({ point: 'log.after-rotate', action, run: ['run', '-d', '--name', 'fp', '--log-opt', 'max-size=1k', 'busybox', 'sh', '-c', 'seq 1 500; exec sleep 1000'] }),
  ),
];

const DEFAULT_AGAIN = [['run', '-d', '--name', 'fp', ...SLEEPER]];

const args = (a: string[]) => a.map((x) => (x === '@small' ? smallTar : x));

/** Orphaned blobs, layers and staged layers are freed once old enough (system check): age those the case made. */
function ageNewStoreFiles(): void {
  const kept = new Set(clean.files);
  const old = new Date(Date.now() - 3_600_000);
  for (const f of hostPicture(env).files) {
    if (kept.has(f) || !/^root\/storage\/((blobs\/sha256|layers)\/[0-9a-f]{64}|tmp\/[^/]+)$/.test(f)) continue;
    fs.utimesSync(path.join(env.dir, f), old, old);
  }
}

it('every failpoint has a case', () => {
  expect(new Set(CASES.map((c) => c.point))).toEqual(new Set(FAILPOINTS));
});

describe.each(CASES)('failpoint $point:$action', (c) => {
  it('leaves a store whose every command works, the bystander untouched, and everything freeable', async () => {
    const hits = path.join(env.dir, 'hits');
    fs.rmSync(hits, { force: true });
    await env.ok(['run', '-d', '--name', 'bystander', ...SLEEPER]);
    for (const step of c.before ?? []) await env.ok(args(step));
    await env.pman(args(c.run), { env: { PMAN_FAILPOINT: `${c.point}:${c.action}`, PMAN_FAILPOINT_HITS: hits } });
    // The point was reached (by the command or by a shim it started).
    expect(await until(() => fs.existsSync(hits) && fs.readFileSync(hits, 'utf8').includes(`${c.point}:${c.action}\n`))).toBe(true);
    expect(await readingProblems(env)).toEqual([]);
    if (c.named !== undefined) expect((await env.ok(['images', '--format', '{{.Repository}}:{{.Tag}}'])).split('\n')).toContain(c.named);
    expect(await env.ok(['inspect', '--format', '{{.State.Status}}', 'bystander'])).toBe('running');
    // (busybox may also hold the name a named case moves)
    expect((await env.ok(['images', '--format', '{{.Repository}}', 'busybox'])).split('\n')).toContain('localhost/busybox');
    // Complete or cleanly absent: removed (if there) and made again, it works.
    await env.ok(['rm', '-f', '-t', '0', '--all']);
    await env.ok(['volume', 'rm', '-f', '--all']);
    await env.ok(['rmi', '-f', 'fpimg']);
    for (const step of c.again ?? DEFAULT_AGAIN) await env.ok(args(step));
    await env.ok(['rmi', '-f', 'fpimg']);
    if (c.named !== undefined) await env.ok(['rmi', '-i', 'fpimg']);
    ageNewStoreFiles();
    await env.ok(['system', 'check', '--repair']);
    expect(await freeingProblems(env, clean, { volumes: true })).toEqual([]);
    expect(storeProcesses(env.dir)).toEqual([]);
    expect(await env.ok(['system', 'check'])).toBe('no problems found');
  }, 180_000);
});
