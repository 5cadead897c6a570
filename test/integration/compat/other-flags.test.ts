// podman's flags of the commands besides run/create (#20): ps --ns and --watch, logs --color,
// images --history, rmi --ignore, stats --no-trunc, commit --iidfile/--include-volumes/--format,
// the refusals of push (signing, zstd, v2s1, another manifest format) and save --compress, and
// docker's --disable-content-trust accepted.
import { execa } from 'execa';
import fs from 'node:fs';
import path from 'node:path';
import { PMAN_BIN, TestEnv, until } from '../harness.js';
import { useEnv } from './shared-env.js';

const getEnv = useEnv();
let env: TestEnv;
beforeAll(() => {
  env = getEnv();
});

describe('ps', () => {
  it('--ns shows the namespaces of the container process, as /proc shows them', async () => {
    await env.ok(['run', '-d', '--name', 'ns-one', 'busybox', 'sleep', '1000']);
    const pid = (await env.ok(['inspect', '--format', '{{.State.Pid}}', 'ns-one'])).trim();
    const ino = (f: string) => /\[(\d+)\]/.exec(fs.readlinkSync(`/proc/${pid}/ns/${f}`))![1];
    const out = (await env.ok(['ps', '--ns'])).split('\n');
    expect(out[0].split(/\s{2,}/)).toEqual(['CONTAINER ID', 'NAMES', 'PID', 'CGROUPNS', 'IPC', 'MNT', 'NET', 'PIDNS', 'USERNS', 'UTS']);
    expect(out[1].split(/\s+/).slice(1)).toEqual(['ns-one', pid, ...['cgroup', 'ipc', 'mnt', 'net', 'pid', 'user', 'uts'].map(ino)]);
    const json = JSON.parse(await env.ok(['ps', '--ns', '--format', 'json']));
    expect(json[0].Namespaces).toEqual({ Cgroup: ino('cgroup'), Ipc: ino('ipc'), Mnt: ino('mnt'), Net: ino('net'), Pidns: ino('pid'), User: ino('user'), Uts: ino('uts') });
    // The mount namespace is the container's own, not pman's.
    expect(ino('mnt')).not.toBe(/\[(\d+)\]/.exec(fs.readlinkSync('/proc/self/ns/mnt'))![1]);
  });

  it('--watch prints the list again until interrupted, then exits 0', async () => {
    await env.ok(['create', '--name', 'w-one', 'busybox', 'true']);
    const child = execa(PMAN_BIN, env.args(['ps', '-a', '--watch', '1', '--format', '{{.Names}}']), { reject: false });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    try {
      expect(await until(() => out.split('w-one').length > 2, 60_000)).toBe(true);
      expect(out).toContain('\x1b[2J\x1b[H');
    } finally {
      child.kill('SIGINT');
    }
    expect((await child).exitCode).toBe(0);
    const bad = await env.pman(['ps', '-w', '0']);
    expect(bad).toMatchObject({ exitCode: 125, stderr: 'Error: invalid --watch "0": use a whole number of seconds, at least 1' });
  });
});

describe('ps flags that cannot go together', () => {
  it('are refused in one line with exit 125, as podman 4.3.1 refuses them', async () => {
    const refused = async (...args: string[]) => {
      const r = await env.pman(['ps', '-a', ...args]);
      return [r.exitCode, r.stdout, r.stderr];
    };
    expect(await refused('-l', '-n', '2')).toEqual([125, '', 'Error: --last 2 and --latest cannot be used together: --latest is the last 1']);
    expect(await refused('--latest', '--last', '0')).toEqual([125, '', 'Error: --last 0 and --latest cannot be used together: --latest is the last 1']);
    expect(await refused('-l', '-w', '1')).toEqual([125, '', 'Error: --watch and --latest cannot be used together']);
    expect(await refused('-q', '-s')).toEqual([125, '', 'Error: --quiet and --size cannot be used together: --quiet prints only the IDs']);
    expect(await refused('-q', '--ns', '--format', '{{.ID}}')).toEqual([125, '', 'Error: --quiet and --ns cannot be used together: --quiet prints only the IDs']);
    expect(await refused('-s', '--ns')).toEqual([125, '', 'Error: --size and --ns cannot be used together: --ns shows its own columns']);
    // --last -1 is the default: --latest goes with it.
    expect((await env.pman(['ps', '-a', '-l', '-n', '-1'])).exitCode).toBe(0);
  });
});

describe('logs --color', () => {
  it('colours each container name prefix with its own colour', async () => {
    await env.ok(['run', '--name', 'c-a', 'busybox', 'echo', 'from a']);
    await env.ok(['run', '--name', 'c-b', 'busybox', 'echo', 'from b']);
    const lines = (await env.ok(['logs', '--color', 'c-a', 'c-b'])).split('\n').sort();
    expect(lines).toEqual(['\x1b[31mc-a\x1b[0m from a', '\x1b[32mc-b\x1b[0m from b']);
    expect(await env.ok(['logs', '-n', 'c-a'])).toBe('c-a from a');
  });
});

describe('image flags', () => {
  it('images --history adds the HISTORY column of names; rmi -i passes over missing images', async () => {
    const out = (await env.ok(['images', '--history'])).split('\n');
    expect(out[0]).toMatch(/^REPOSITORY +TAG +IMAGE ID +CREATED +SIZE +HISTORY$/);
    expect(out[1]).toMatch(/ localhost\/busybox:latest$/);
    expect(await env.pman(['rmi', '-i', 'no-such-image'])).toMatchObject({ exitCode: 0, stderr: '' });
    expect((await env.pman(['rmi', 'no-such-image'])).exitCode).toBe(1);
  });

  it('commit writes --iidfile, makes volume mount points VOLUMEs with --include-volumes, refuses an unknown --format', async () => {
    await env.ok(['create', '--name', 'cm-one', '-v', 'cmvol:/data', '-v', `${env.dir}:/host`, 'busybox', 'true']);
    const iid = path.join(env.dir, 'iid');
    const id = (await env.ok(['commit', '--iidfile', iid, '--include-volumes', 'cm-one', 'cm-img'])).trim();
    expect(fs.readFileSync(iid, 'utf8')).toBe(`sha256:${id}`);
    expect((await env.ok(['image', 'inspect', '--format', '{{json .Config.Volumes}}', 'cm-img'])).trim()).toBe('{"/data":{}}');
    await env.ok(['commit', 'cm-one', 'cm-plain']);
    expect(JSON.parse(await env.ok(['image', 'inspect', '--format', '{{json .Config}}', 'cm-plain'])).Volumes).toBeUndefined();
    expect(await env.pman(['commit', '-f', 'v2s1', 'cm-one'])).toMatchObject({ exitCode: 125, stderr: 'Error: invalid --format "v2s1": use oci or docker' });
    await env.ok(['rmi', 'cm-img', 'cm-plain']);
  });

  it('push refuses signing, zstd, v2s1 and a manifest format the image is not stored in, before any network use', async () => {
    const dest = '127.0.0.1:1/x/y:z'; // nothing listens there: a refusal must come first
    const cases: Array<[string[], string]> = [
      [['--sign-by', 'me@example.com'], '--sign-by is not supported: pman does not sign images (sign them with skopeo or cosign after the push)'],
      [['--sign-passphrase-file', '/dev/null'], '--sign-passphrase-file is not supported: pman does not sign images (sign them with skopeo or cosign after the push)'],
      [['--compression-format', 'zstd'], '--compression-format zstd is not supported: Node 20 has no zstd encoder and pman adds no dependency for it; use gzip'],
      [['-f', 'v2s1'], '--format v2s1 is not supported: Docker schema 1 manifests are deprecated and pman does not write them; use oci or v2s2'],
      [['--format', 'v2s2'], 'cannot push "busybox" as v2s2: pman pushes the stored manifest unchanged and this image is stored as oci; push it without --format or as oci'],
    ];
    for (const [flags, message] of cases) {
      expect(await env.pman(['push', ...flags, 'busybox', dest])).toMatchObject({ exitCode: 125, stderr: `Error: ${message}` });
    }
  });

  it('save --compress is refused as podman refuses it; --uncompressed and --disable-content-trust are accepted', async () => {
    const out = path.join(env.dir, 'saved.tar');
    expect(await env.pman(['save', '--compress', '-o', out, 'busybox'])).toMatchObject({ exitCode: 125, stderr: "Error: --compress can only be set when --format is 'docker-dir'" });
    expect(fs.existsSync(out)).toBe(false);
    await env.ok(['save', '--uncompressed', '-o', out, 'busybox']);
    expect(fs.statSync(out).size).toBeGreaterThan(100_000);
    fs.rmSync(out);
    expect(await env.ok(['run', '--rm', '--disable-content-trust', 'busybox', 'echo', 'trusted'])).toBe('trusted');
  });
});

describe('stats --no-trunc', () => {
  it('shows the full container ID', async () => {
    const id = (await env.ok(['run', '-d', 'busybox', 'sleep', '1000'])).trim();
    expect((await env.ok(['stats', '--no-stream', '--no-trunc', '--format', '{{.ID}}'])).trim()).toBe(id);
    expect((await env.ok(['stats', '--no-stream', '--format', '{{.ID}}'])).trim()).toBe(id.slice(0, 12));
  });
});
