// pman commit and export against the built CLI: a container's changes become a layer (deleted
// files as whiteouts, a replaced directory as an opaque one), the layered image behaves the same
// in pman and in podman, and export writes the container's whole root filesystem.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PMAN_BIN, TestEnv } from '../harness.js';
import { buildArchive } from '../../unit/image/archive-fixtures.js';
import type { Member } from '../../unit/archive/fixtures.js';
import { Podman } from './podman.js';

let env: TestEnv;
let podman: Podman;
let layeredId: string;

const STAGE1 = 'mkdir -p /data/sub /data/other && echo a > /data/a && echo b > /data/sub/b && echo o > /data/other/o && echo keep > /data/keep && ln /data/a /data/a-hard';
const STAGE2 = 'rm /data/a /bin/vi /data/keep && rm -rf /data/sub && mkdir /data/sub && echo new > /data/sub/c';
const LIST = ['sh', '-c', 'ls -R /data; ls /bin/vi 2>&1; cat /data/a-hard'];

beforeAll(async () => {
  env = await TestEnv.create();
  podman = Podman.in(env);
  await env.ok(['run', '--name', 'c1', 'busybox', 'sh', '-c', STAGE1]);
  await env.ok(['commit', 'c1', 'stage1']);
  await env.ok(['run', '--name', 'c2', 'stage1', 'sh', '-c', STAGE2]);
  layeredId = (await env.ok(['commit', '-c', 'CMD ["ls", "/data"]', '-c', 'ENV STAGE=2', '-m', 'second stage', '--author', 'Tester <t@example.com>', 'c2', 'layered'])).trim();
}, 60_000);
afterAll(async () => {
  await podman?.cleanup();
  await env?.cleanup();
});

/** The member names of the last layer of an image, from `pman save`. */
async function topLayer(image: string): Promise<string[]> {
  const out = path.join(env.dir, `${image}.tar`);
  await env.ok(['save', '-o', out, image]);
  const manifest = JSON.parse(execFileSync('tar', ['-xOf', out, 'manifest.json']).toString()) as Array<{ Layers: string[] }>;
  const layer = manifest[0].Layers[manifest[0].Layers.length - 1];
  return execFileSync('sh', ['-c', `tar -xOf "${out}" "${layer}" | tar -t`]).toString().trim().split('\n');
}

describe('pman commit', () => {
  it('prints the new image ID and names the image', async () => {
    expect(layeredId).toMatch(/^[0-9a-f]{64}$/);
    expect(await env.ok(['images', '--format', '{{.Repository}}:{{.Tag}} {{.Id}}', 'layered'])).toBe(`localhost/layered:latest ${layeredId}`);
  });

  it('turns deletions into whiteouts and a replaced directory into an opaque one', async () => {
    expect(await topLayer('layered')).toEqual(['bin/', 'bin/.wh.vi', 'data/', 'data/.wh.a', 'data/.wh.keep', 'data/sub/', 'data/sub/.wh..wh..opq', 'data/sub/c']);
    // With the /etc/mtab link the container got at its start, as podman 4.3.1's commit has it.
    expect(await topLayer('stage1')).toEqual(['data/', 'data/a', 'data/a-hard', 'data/keep', 'data/other/', 'data/other/o', 'data/sub/', 'data/sub/b', 'etc/', 'etc/mtab']);
  });

  it('gives a three-layer image that lists the same files in pman and in podman', async () => {
    const expected = '/data:\na-hard\nother\nsub\n\n/data/other:\no\n\n/data/sub:\nc\nls: /bin/vi: No such file or directory\na';
    expect((await env.pman(['run', '--rm', 'layered', ...LIST])).stdout).toBe(expected);
    const archive = path.join(env.dir, 'layered.tar');
    expect((await podman.ok(['load', '-i', archive])).trim()).toBe('Loaded image: localhost/layered:latest');
    expect((await podman.runIn('layered', LIST)).stdout).toBe(expected);
  });

  it('keeps the image config and applies --change, --message and --author', async () => {
    const doc = JSON.parse(await env.ok(['image', 'inspect', 'layered'])) as Array<{ Config: Record<string, unknown>; Author: string; Comment: string; RootFS: { Layers: string[] } }>;
    expect(doc[0].Config).toEqual({ Env: ['STAGE=2'], Cmd: ['ls', '/data'] });
    expect([doc[0].Author, doc[0].Comment, doc[0].RootFS.Layers.length]).toEqual(['Tester <t@example.com>', 'second stage', 3]);
    expect(await env.ok(['run', '--rm', 'layered'])).toBe('a-hard\nother\nsub');
    const history = await env.ok(['history', '--no-trunc', '--format', '{{.CreatedBy}}|{{.Comment}}', 'layered']);
    expect(history.split('\n')).toEqual([
      '/bin/sh|second stage',
      '/bin/sh|FROM localhost/busybox:latest',
      expect.stringMatching(/^\/bin\/sh -c #\(nop\) ADD file:[0-9a-f]{64} in \/\|imported from tarball$/),
    ]);
  });

  it("records the image's SHELL as the new layer's CreatedBy, else /bin/sh, whatever the container ran, as podman 4.3.1", async () => {
    const dir = fs.mkdtempSync(path.join(env.dir, 'shell-'));
    fs.writeFileSync(path.join(dir, 'Containerfile'), 'FROM busybox\nSHELL ["/bin/ash", "-c"]\n');
    await env.ok(['build', '-q', '--format', 'docker', '-t', 'with-shell', dir]);
    await env.ok(['run', '--name', 'shelled', 'with-shell', 'touch', '/x']);
    const createdBy = async (image: string) => (await env.ok(['history', '--no-trunc', '--format', '{{.CreatedBy}}', image])).split('\n')[0];
    await env.ok(['commit', '-q', 'shelled', 'shell-oci']);
    await env.ok(['commit', '-q', '--format', 'docker', 'shelled', 'shell-docker']);
    expect([await createdBy('shell-oci'), await createdBy('shell-docker'), await createdBy('stage1')]).toEqual(['/bin/ash -c', '/bin/ash -c', '/bin/sh']);
  });

  it('leaves the image untagged without a name, and commits a running container with --pause', async () => {
    await env.ok(['run', '-d', '--name', 'busy', 'busybox', 'sh', '-c', 'echo live > /live; sleep 60']);
    await env.ok(['exec', 'busy', 'sh', '-c', 'while [ ! -s /live ]; do sleep 0.05; done']);
    const id = (await env.ok(['commit', '--pause', 'busy'])).trim();
    expect(await env.ok(['images', '-q', '--no-trunc', '--filter', 'dangling=true'])).toBe(`sha256:${id}`);
    expect(await env.ok(['inspect', '--format', '{{.State.Status}}', 'busy'])).toBe('running');
    expect(await env.ok(['run', '--rm', id, 'cat', '/live'])).toBe('live');
  });

  it('--squash makes the whole root filesystem one layer; --format docker writes schema 2 and keeps the healthcheck, oci drops it', async () => {
    const ctxDir = path.join(env.dir, 'hc');
    fs.mkdirSync(ctxDir);
    fs.writeFileSync(path.join(ctxDir, 'Containerfile'), 'FROM layered\nHEALTHCHECK --retries=2 CMD ["true"]\n');
    await env.ok(['build', '-q', '--format', 'docker', '-t', 'hc', ctxDir]);
    await env.ok(['run', '--name', 'sq', 'hc', 'sh', '-c', 'echo sq > /data/sq && rm /data/other/o']);
    await env.ok(['commit', '--squash', '-f', 'docker', 'sq', 'squashed']);
    await env.ok(['commit', 'sq', 'layers']);
    const inspect = async (image: string) => (JSON.parse(await env.ok(['image', 'inspect', image])) as Array<{ RootFS: { Layers: string[] }; Healthcheck?: unknown; ManifestType: string }>)[0];
    const squashed = await inspect('squashed');
    const layers = await inspect('layers');
    expect([squashed.RootFS.Layers.length, squashed.ManifestType, squashed.Healthcheck]).toEqual([1, 'application/vnd.docker.distribution.manifest.v2+json', { Test: ['CMD', 'true'], Retries: 2 }]);
    expect([layers.RootFS.Layers.length, layers.ManifestType, layers.Healthcheck]).toEqual([4, 'application/vnd.oci.image.manifest.v1+json', undefined]);
    const history = (image: string) => env.ok(['history', '-q', '--no-trunc', image]);
    expect((await history('squashed')).split('\n')).toHaveLength(1);
    // The one layer holds the same files as the four: deletions of every layer applied, no whiteouts.
    const list = ['sh', '-c', 'ls -R /data; ls /bin/vi 2>&1; cat /data/sq'];
    const expected = await env.ok(['run', '--rm', 'layers', ...list]);
    expect(expected).toContain('sq');
    expect(await env.ok(['run', '--rm', 'squashed', ...list])).toBe(expected);
    expect((await topLayer('squashed')).filter((n) => n.includes('.wh.'))).toEqual([]);
    const bad = await env.pman(['commit', '-f', 'v2s2', 'sq']);
    expect([bad.exitCode, bad.stderr]).toEqual([125, 'Error: invalid --format "v2s2": use oci or docker']);
  });

  it('refuses a bad --change and a missing container with one error line', async () => {
    const bad = await env.pman(['commit', '-c', 'RUN rm -rf /', 'c1']);
    expect([bad.exitCode, bad.stderr]).toEqual([125, 'Error: invalid --change "RUN rm -rf /": unknown instruction "RUN" (supported: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR)']);
    const missing = await env.pman(['commit', 'nope']);
    expect(missing.exitCode).toBe(125);
    expect(missing.stderr).toMatch(/^Error: no container with name or ID "nope" found/);
  });
});

describe('whiteouts and opaque directories in a crafted archive', () => {
  it('hide the same files in pman and in podman', async () => {
    const busybox: Member[] = [
      { name: 'bin/busybox', file: '/bin/busybox', mode: 0o755 },
      ...['sh', 'ls', 'cat'].map((n): Member => ({ name: `bin/${n}`, type: 'symlink', linkname: 'busybox' })),
    ];
    const built = buildArchive(env.dir, 'crafted.tar', 'docker', [
      {
        names: ['localhost/crafted:1'],
        config: { Cmd: ['ls', '-R', '/d'] },
        layers: [
          { members: [...busybox, { name: 'd/x/1', data: '1' }, { name: 'd/x/2', data: '2' }, { name: 'd/y/3', data: '3' }, { name: 'd/y/4', data: '4' }, { name: 'd/z', data: 'z' }] },
          { members: [{ name: 'd/x/', type: 'dir' }, { name: 'd/x/.wh..wh..opq' }, { name: 'd/x/new', data: 'n' }, { name: 'd/.wh.z' }, { name: 'd/y/.wh.3' }], compress: 'gzip' },
          { members: [{ name: 'd/x/.wh.new' }, { name: 'd/x/newer', data: 'nn' }, { name: 'd/.wh.y' }, { name: 'd/w', data: 'w' }] },
        ],
      },
    ]);
    expect(await env.ok(['load', '-i', built.file])).toBe('Loaded image: localhost/crafted:1');
    const expected = '/d:\nw\nx\n\n/d/x:\nnewer';
    expect(await env.ok(['run', '--rm', 'crafted:1'])).toBe(expected);
    await podman.ok(['load', '-i', built.file]);
    expect((await podman.runIn('localhost/crafted:1', [])).stdout).toBe(expected);
  });
});

describe('pman export', () => {
  it('writes the merged root filesystem of a stopped container, to stdout or -o', async () => {
    const out = path.join(env.dir, 'c2.tar');
    await env.ok(['export', '-o', out, 'c2']);
    const names = execFileSync('tar', ['-tf', out]).toString().split('\n');
    expect(names).toEqual(expect.arrayContaining(['bin/busybox', 'data/a-hard', 'data/other/o', 'data/sub/c', 'etc/passwd']));
    expect(names.filter((n) => /(^|\/)\.wh\.|^data\/a$|^bin\/vi$|^data\/sub\/b$/.test(n))).toEqual([]);
    const piped = path.join(env.dir, 'piped.tar');
    const fd = fs.openSync(piped, 'w');
    try {
      execFileSync(PMAN_BIN, env.args(['export', 'c2']), { stdio: ['ignore', fd, 'pipe'] });
    } finally {
      fs.closeSync(fd);
    }
    expect(fs.readFileSync(piped).equals(fs.readFileSync(out))).toBe(true);
    // Nothing stays mounted afterwards.
    expect(fs.readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(path.join(env.root, 'storage/tmp'));
  });

  it('exports a running container as it is now', async () => {
    await env.ok(['exec', 'busy', 'sh', '-c', 'echo now > /now']);
    const out = path.join(env.dir, 'busy.tar');
    await env.ok(['export', '--output', out, 'busy']);
    expect(execFileSync('tar', ['-xOf', out, 'now']).toString()).toBe('now\n');
  });
});
