// `pman system check [--repair] [--quick]`: one line per problem found against the disk, the
// mounts, runc's state and the live processes; --repair fixes them and leaves sound things alone.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { TestEnv, until } from '../harness.js';
import { hostPicture, pictureAfterOneRun, storeProcesses, type HostPicture } from '../invariants.js';

const env = TestEnv.forFile();
let clean: HostPicture;
beforeAll(async () => {
  clean = await pictureAfterOneRun(env);
});

const check = (...flags: string[]) => env.pman(['system', 'check', ...flags]);

describe('system check', () => {
  it('finds nothing in a sound store, with a running and a created container', async () => {
    await env.ok(['run', '-d', '--name', 'sound', 'busybox', 'sleep', '1000']);
    await env.ok(['create', '--name', 'made', 'busybox', 'true']);
    const r = await check();
    expect(r).toEqual({ exitCode: 0, stdout: 'no problems found', stderr: '' });
    expect(await env.ok(['system', 'check', '--repair'])).toBe('no problems found');
    expect(await env.ok(['inspect', '--format', '{{.State.Status}}', 'sound'])).toBe('running');
    await env.ok(['rm', '-f', '-t', '0', 'sound', 'made']);
  });

  it('reports what a container whose record was deleted by hand holds, and --repair frees it all', async () => {
    await env.ok(['run', '-d', '--name', 'keep', 'busybox', 'sleep', '1000']);
    const id = (await env.ok(['run', '-d', '--name', 'lost', 'busybox', 'sleep', '1000'])).trim();
    const short = id.slice(0, 12);
    fs.rmSync(path.join(env.root, 'containers', id, 'container.json'));
    // A lock its holder left behind, long ago.
    const lock = path.join(env.root, 'containers', id, 'container.json.lock');
    fs.mkdirSync(lock);
    fs.utimesSync(lock, new Date(0), new Date(0));
    // The image store's lock, of a command killed -9 just now, and what a release cut short leaves.
    const ns = /[0-9]+/.exec(fs.readlinkSync('/proc/self/ns/pid'))![0];
    const dead = execFileSync('sh', ['-c', 'sh -c "exit 0" & echo $!; wait']).toString().trim();
    const storeLock = path.join(env.root, 'storage', 'store.lock');
    fs.mkdirSync(storeLock);
    fs.symlinkSync(`${dead} 1 ${ns}`, path.join(storeLock, 'owner'));
    const remains = `${storeLock}.gone-${dead}-1-${ns}-0`;
    fs.mkdirSync(remains);
    const r = await check();
    expect(r.exitCode).toBe(1);
    const lines = r.stdout.replace(/\(pid [0-9]+\)/, '(pid N)').split('\n').sort();
    expect(lines).toEqual(
      [
        `container ${short}: directory "${path.join(env.root, 'containers', id)}" without a record (a crashed create or rm)`,
        `name "lost": reserved for container ${short}, which has no record`,
        `container ${short}: shim (pid N) of a container that does not exist`,
        `container ${short}: runc state of a container that does not exist`,
        `container ${short}: root filesystem mounted while it is not running`,
        // it was on root's default bridge network
        `container ${short}: network namespace kept while it is not running`,
        `lock "${lock}": held by nobody for over 10 s`,
        `lock "${storeLock}": held by pid ${dead}, which is gone`,
        `lock "${remains}": left by a release that was cut short`,
      ].sort(),
    );
    const repaired = await check('--repair');
    expect(repaired.exitCode).toBe(0);
    expect(repaired.stdout.split('\n').every((l) => / \(repaired: [a-z ,]+\)$/.test(l))).toBe(true);
    await until(() => storeProcesses(env.dir).length === 1);
    expect(await env.ok(['system', 'check'])).toBe('no problems found');
    // The sound container was left alone.
    expect(await env.ok(['inspect', '--format', '{{.State.Status}}', 'keep'])).toBe('running');
    await env.ok(['rm', '-f', '-t', '0', 'keep']);
    await until(() => storeProcesses(env.dir).length === 0);
    expect(hostPicture(env)).toEqual(clean);
  });

  it('finds a damaged image (a missing layer, a blob not matching its digest unless --quick) and --repair removes it alone', async () => {
    await env.ok(['run', '--name', 'src', 'busybox', 'sh', '-c', 'echo x > /marker']);
    const imageId = (await env.ok(['commit', '-q', 'src', 'damaged'])).trim().replace(/^sha256:/, '');
    await env.ok(['rm', 'src']);
    // Its config blob loses a byte: only the digest check sees it.
    const config = path.join(env.root, 'storage', 'blobs', 'sha256', imageId);
    fs.writeFileSync(config, fs.readFileSync(config).subarray(1));
    expect(await check('--quick')).toEqual({ exitCode: 0, stdout: 'no problems found', stderr: '' });
    const r = await check();
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe(`image ${imageId.slice(0, 12)} (localhost/damaged:latest): blob ${imageId.slice(0, 12)} does not match its digest`);
    expect((await check('--repair')).stdout).toBe(`image ${imageId.slice(0, 12)} (localhost/damaged:latest): blob ${imageId.slice(0, 12)} does not match its digest (repaired: image removed)`);
    expect(await env.ok(['images', '--format', '{{.Repository}}'])).toBe('localhost/busybox');
    expect(await env.ok(['run', '--rm', 'busybox', 'echo', 'fine'])).toBe('fine');
    expect(await env.ok(['system', 'check'])).toBe('no problems found');
  });

  it("finds the files a --rm container's shim renamed out of the store but did not live to remove, and --repair removes them", async () => {
    // The shim retires the directory (one rename), tells the client, and is killed before removing it.
    const r = await env.pman(['run', '--rm', '--name', 'retired', 'busybox', 'sh', '-c', 'exit 4'], { env: { PMAN_FAILPOINT: 'rm-auto.after-retire:kill' } });
    expect(r.exitCode).toBe(4);
    await until(() => storeProcesses(env.dir).length === 0);
    // Gone from the store when run returned: no record, no directory under its ID, its name free.
    expect(await env.ok(['ps', '-aq'])).toBe('');
    const left = fs.readdirSync(path.join(env.root, 'containers')).filter((n) => n.startsWith('.removing-'));
    expect(left).toHaveLength(1);
    const id = left[0].slice('.removing-'.length, '.removing-'.length + 64);
    expect(fs.existsSync(path.join(env.root, 'containers', left[0], 'config.json'))).toBe(true);
    const line = `container ${id.slice(0, 12)}: files "${path.join(env.root, 'containers', left[0])}" of a removed container, left by a process that is gone`;
    expect(await check()).toEqual({ exitCode: 1, stdout: line, stderr: '' });
    expect(await env.ok(['run', '--rm', '--name', 'retired', 'busybox', 'echo', 'reused'])).toBe('reused');
    expect(await env.ok(['system', 'check', '--repair'])).toBe(`${line} (repaired: removed)`);
    await until(() => storeProcesses(env.dir).length === 0);
    expect(hostPicture(env)).toEqual(clean);
  });
});
