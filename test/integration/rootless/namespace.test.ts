// The rootless user namespace itself: its pause process, recovery when that process dies while
// containers run, `pman system migrate`, and a user without subordinate IDs.
import fs from 'node:fs';
import path from 'node:path';
import { busyboxTarball, until } from '../harness.js';
import { rootOnlyImage } from './images.js';
import { ensureUsers, NOSUBIDS, nsOf, RootlessEnv, USER1 } from './rootless-env.js';

beforeAll(() => {
  ensureUsers();
});

describe('the pause process', () => {
  let env: RootlessEnv;
  beforeAll(async () => {
    env = await RootlessEnv.create(USER1);
  }, 120_000);
  afterAll(async () => {
    await env?.cleanup();
  });

  it('is recreated inside the old namespace when killed while a container runs, and the container stays under control', async () => {
    await env.ok(['run', '-d', '--name', 'survivor', 'busybox', 'sh', '-c', 'echo before; exec sleep 1000']);
    const oldPause = env.pausePid()!;
    const oldNs = nsOf(oldPause)!;
    process.kill(oldPause, 'SIGKILL');
    await until(() => !fs.existsSync(`/proc/${oldPause}`) || fs.readFileSync(`/proc/${oldPause}/stat`, 'utf8').split(' ')[2] === 'Z');

    expect(await env.ok(['ps', '--format', '{{.Names}} {{.Status}}'])).toMatch(/^survivor Up/);
    const newPause = env.pausePid()!;
    expect(newPause).not.toBe(oldPause);
    expect(nsOf(newPause)).toBe(oldNs);
    expect(await env.ok(['exec', 'survivor', 'echo', 'still-reachable'])).toBe('still-reachable');
    expect(await env.ok(['logs', 'survivor'])).toBe('before');
    await env.ok(['stop', '-t', '0', 'survivor']);
    expect(await env.ok(['inspect', '--format', '{{.State.Status}}', 'survivor'])).toBe('exited');
    // rm unmounts the root filesystem, which exists only in the old namespace's mount table.
    await env.ok(['rm', 'survivor']);
    expect(fs.existsSync(path.join(env.root, 'containers'))).toBe(true);
  });

  it('is replaced by a fresh namespace when nothing of the old one is left', async () => {
    const oldPause = env.pausePid()!;
    const oldNs = nsOf(oldPause)!;
    process.kill(oldPause, 'SIGKILL');
    await until(() => !fs.existsSync(`/proc/${oldPause}`) || fs.readFileSync(`/proc/${oldPause}/stat`, 'utf8').split(' ')[2] === 'Z');
    expect(await env.ok(['run', '--rm', 'busybox', 'echo', 'fresh'])).toBe('fresh');
    expect(nsOf(env.pausePid()!)).not.toBe(oldNs);
  });

  it('system migrate stops the containers and ends the namespace; the next call builds a new one', async () => {
    // A container that stops on SIGTERM (sleep as PID 1 would ignore it until the 10 s timeout).
    await env.ok(['run', '-d', '--name', 'migrated', 'busybox', 'sh', '-c', 'trap "exit 0" TERM; while :; do sleep 0.2; done']);
    const oldPause = env.pausePid()!;
    const oldNs = nsOf(oldPause)!;
    const r = await env.pman(['system', 'migrate']);
    expect(r).toMatchObject({ exitCode: 0, stderr: '' });
    expect(fs.existsSync(path.join(env.runDir, 'pause.pid'))).toBe(false);
    await until(() => !fs.existsSync(`/proc/${oldPause}`) || fs.readFileSync(`/proc/${oldPause}/stat`, 'utf8').split(' ')[2] === 'Z');
    expect(await env.ok(['ps', '-a', '--format', '{{.Names}} {{.Status}}'])).toMatch(/^migrated Exited/);
    expect(nsOf(env.pausePid()!)).not.toBe(oldNs);
    expect(await env.ok(['start', 'migrated'])).toBe('migrated');
    await env.ok(['rm', '-f', '-t', '0', 'migrated']);
  });

  it('rejects an unknown system subcommand', async () => {
    const r = await env.pman(['system', 'frobnicate']);
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toMatch(/unrecognized subcommand "pman system frobnicate"/);
  });
});

describe('a user without subordinate IDs', () => {
  let env: RootlessEnv;
  beforeAll(async () => {
    env = await RootlessEnv.create(NOSUBIDS, { image: false });
  }, 120_000);
  afterAll(async () => {
    await env?.cleanup();
  });

  it('gets one warning, a single-ID namespace, and a clear error for an image owned by others', async () => {
    const first = await env.pman(['images', '--format', '{{.ID}}']);
    expect(first.exitCode).toBe(0);
    const warnings = first.stderr.split('\n').filter((l) => l.startsWith('WARN'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/no subordinate IDs for user "pmanrl3" in \/etc\/subuid and \/etc\/subgid: .*images with files owned by other users or groups will fail/);
    const failed = await env.pman(['import', env.file(busyboxTarball()), 'busybox']);
    expect(failed.exitCode).toBe(125);
    expect(failed.stderr).toMatch(/cannot set owner 1000:1000 \(potentially insufficient UIDs or GIDs/);
    expect(failed.stderr).not.toMatch(/WARN/);
  });

  it('runs root-owned images, with a terminal too', async () => {
    await env.ok(['import', rootOnlyImage(busyboxTarball(), path.join(env.base, 'root-only.tar')), 'rootonly']);
    const out = await env.ok(['run', '--rm', 'rootonly', 'sh', '-c', 'id; cat /proc/self/uid_map']);
    expect(out.split('\n').map((l) => l.trim().split(/\s+/).join(' '))).toEqual(['uid=0(root) gid=0(root) groups=0(root)', `0 ${env.uid} 1`]);
    expect(await env.ok(['run', '--rm', '-t', 'rootonly', 'tty'])).toMatch(/^\/dev\/pts\/0/);
  });
});
