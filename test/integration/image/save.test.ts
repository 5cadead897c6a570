// pman save against the built CLI: podman and skopeo read what pman writes (docker-archive,
// oci-archive, multi-image, the oci-dir and docker-dir directories), the image keeps its ID, and
// it runs in podman as it runs in pman; pman loads podman's directories.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PMAN_BIN, TestEnv } from '../harness.js';
import { Podman, tool } from './podman.js';

let env: TestEnv;
let podman: Podman;
let appId: string;
let busyboxId: string;
const RUN = ['sh', '-c', 'cat /app/greeting; ls /app; echo $MODE'];
const EXPECTED = 'hello from pman\ngreeting\nsaved';

beforeAll(async () => {
  env = await TestEnv.create();
  podman = Podman.in(env);
  await env.ok(['run', '--name', 'maker', 'busybox', 'sh', '-c', 'mkdir /app && echo hello from pman > /app/greeting && rm /bin/vi']);
  appId = (await env.ok(['commit', '-c', 'ENV MODE=saved', '-c', `CMD ${JSON.stringify(RUN)}`, 'maker', 'app:1'])).trim();
  busyboxId = (await env.ok(['images', '-q', '--no-trunc', 'busybox'])).replace('sha256:', '');
}, 60_000);
const afterDirs: string[] = [];
afterAll(async () => {
  for (const d of afterDirs) fs.rmSync(d, { recursive: true, force: true });
  await podman?.cleanup();
  await env?.cleanup();
});

const members = (archive: string) => execFileSync('tar', ['-tf', archive]).toString().trim().split('\n');

describe('pman save', () => {
  it('writes a docker-archive podman loads as the same image, which runs the same', async () => {
    const archive = path.join(env.dir, 'app.tar');
    expect(await env.pman(['save', '-o', archive, 'app:1'])).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(members(archive).sort()).toEqual([`${appId}.json`, 'manifest.json', ...JSON.parse(execFileSync('tar', ['-xOf', archive, 'manifest.json']).toString())[0].Layers].sort());
    expect((await podman.ok(['load', '-i', archive])).trim()).toBe('Loaded image: localhost/app:1');
    expect((await podman.ok(['images', '-q', '--no-trunc', 'localhost/app:1'])).trim()).toBe(`sha256:${appId}`);
    expect(await env.ok(['run', '--rm', 'app:1'])).toBe(EXPECTED);
    expect((await podman.runIn('localhost/app:1', [])).stdout).toBe(EXPECTED);
  });

  it('writes an oci-archive that skopeo verifies and podman runs', async () => {
    const archive = path.join(env.dir, 'app-oci.tar');
    await env.ok(['save', '--format', 'oci-archive', '-o', archive, 'app:1']);
    const index = JSON.parse(execFileSync('tar', ['-xOf', archive, 'index.json']).toString()) as { manifests: Array<{ annotations: Record<string, string> }> };
    expect(index.manifests[0].annotations).toEqual({ 'org.opencontainers.image.ref.name': 'localhost/app:1' });
    // skopeo checks every blob against its digest while copying.
    await tool('skopeo', ['copy', '-q', `oci-archive:${archive}`, `dir:${path.join(env.dir, 'skopeo-dir')}`]);
    const inspected = JSON.parse(await tool('skopeo', ['inspect', '--config', `oci-archive:${archive}`])) as { rootfs: { diff_ids: string[] } };
    expect(inspected.rootfs.diff_ids).toHaveLength(2);
    await podman.ok(['rmi', '-f', 'localhost/app:1']);
    expect((await podman.ok(['load', '-i', archive])).trim()).toBe('Loaded image: localhost/app:1');
    expect((await podman.runIn('localhost/app:1', [])).stdout).toBe(EXPECTED);
  });

  it('writes several images with -m, their shared layer once, and more names for one image without it', async () => {
    const multi = path.join(env.dir, 'multi.tar');
    await env.ok(['save', '-m', '-o', multi, 'app:1', 'busybox']);
    const manifest = JSON.parse(execFileSync('tar', ['-xOf', multi, 'manifest.json']).toString()) as Array<{ RepoTags: string[]; Layers: string[] }>;
    expect(manifest.map((m) => m.RepoTags)).toEqual([['localhost/app:1'], ['localhost/busybox:latest']]);
    expect(manifest[1].Layers[0]).toBe(manifest[0].Layers[0]);
    expect(members(multi).filter((m) => m.endsWith('.tar'))).toHaveLength(2);
    const other = Podman.in(env, 'podman-multi');
    expect((await other.ok(['load', '-i', multi])).trim()).toBe('Loaded image: localhost/app:1\nLoaded image: localhost/busybox:latest');
    const names = path.join(env.dir, 'names.tar');
    await env.ok(['save', '-o', names, 'busybox', 'extra:2', 'quay.io/x/y:3']);
    expect(JSON.parse(execFileSync('tar', ['-xOf', names, 'manifest.json']).toString())[0].RepoTags).toEqual(['localhost/busybox:latest', 'localhost/extra:2', 'quay.io/x/y:3']);
    expect(JSON.parse(await tool('skopeo', ['inspect', `docker-archive:${names}:localhost/extra:2`])).Layers).toHaveLength(1);
  });

  it('writes the same archive to standard output, and an image saved by ID without names', async () => {
    const file = path.join(env.dir, 'busybox.tar');
    await env.ok(['save', '-o', file, busyboxId.slice(0, 12)]);
    expect(JSON.parse(execFileSync('tar', ['-xOf', file, 'manifest.json']).toString())[0].RepoTags).toEqual([]);
    const piped = execFileSync(PMAN_BIN, env.args(['save', busyboxId.slice(0, 12)]), { maxBuffer: 64 << 20 });
    const saved = fs.readFileSync(file);
    // On a mismatch, say where: sizes and the first differing offset (seen once in a CI run).
    let firstDiff = -1;
    for (let i = 0; i < Math.min(piped.length, saved.length) && firstDiff < 0; i++) if (piped[i] !== saved[i]) firstDiff = i;
    expect({ size: piped.length, firstDiff }).toEqual({ size: saved.length, firstDiff: -1 });
  });

  it('delivers every byte to a slow reader of a pipe (the CLI waits for its output to drain)', async () => {
    const file = path.join(env.dir, 'whole.tar');
    await env.ok(['save', '-o', file, 'busybox']);
    // Reads 4 KiB at a time with pauses, so the archive's last chunks are still queued in the
    // CLI when it is done (they were dropped at exit once, now and then).
    const reader = path.join(env.dir, 'slow-reader.py');
    fs.writeFileSync(reader, 'import sys, time\nn = 0\nwhile True:\n    d = sys.stdin.buffer.read1(4096)\n    if not d: break\n    n += len(d); time.sleep(0.0005)\nprint(n)\n');
    for (let i = 0; i < 4; i++) {
      const counted = execFileSync('sh', ['-c', '"$@" | python3 "$0"', reader, PMAN_BIN, ...env.args(['save', 'busybox'])]).toString().trim();
      expect(Number(counted)).toBe(fs.statSync(file).size);
    }
  });

  it('fails with one line and writes nothing for a missing image or a bad format', async () => {
    const out = path.join(env.dir, 'never.tar');
    const missing = await env.pman(['save', '-o', out, 'app:1', 'nope', '-m']);
    expect([missing.exitCode, missing.stderr]).toEqual([125, 'Error: image "nope" not found in local storage: import, load or pull it first']);
    const format = await env.pman(['save', '--format', 'docker-tar', '-o', out, 'app:1']);
    expect([format.exitCode, format.stderr]).toEqual([125, 'Error: unsupported --format "docker-tar": use docker-archive, oci-archive, oci-dir, docker-dir']);
    const oci = await env.pman(['save', '--format', 'oci-archive', '-m', '-o', out, 'app:1', 'busybox']);
    expect([oci.exitCode, oci.stderr]).toEqual([125, 'Error: unsupported format "oci-archive" for saving multiple images (only docker-archive)']);
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readdirSync(env.dir).filter((f) => f.includes('.pman-'))).toEqual([]);
  });

  it('writes oci-dir and docker-dir directories podman loads as the same image, and loads the ones podman writes', async () => {
    // podman names an OCI layout it loads after its path, which must then be lowercase (the test's
    // temporary directory is not).
    const lower = fs.mkdirSync(path.join(os.tmpdir(), `pman-save-dirs-${process.pid}`), { recursive: true })!;
    afterDirs.push(lower);
    const ociDir = path.join(lower, 'app-oci-dir');
    const dockerDir = path.join(lower, 'app-docker-dir');
    await env.ok(['save', '--format', 'oci-dir', '-o', ociDir, 'app:1']);
    await env.ok(['save', '--format', 'docker-dir', '--compress', '-o', dockerDir, 'app:1']);
    expect(JSON.parse(fs.readFileSync(path.join(ociDir, 'index.json'), 'utf8')).manifests[0].annotations).toEqual({ 'org.opencontainers.image.ref.name': 'localhost/app:1' });
    const manifest = JSON.parse(fs.readFileSync(path.join(dockerDir, 'manifest.json'), 'utf8')) as { mediaType: string; layers: Array<{ mediaType: string }> };
    expect([manifest.mediaType, ...manifest.layers.map((l) => l.mediaType)]).toEqual(['application/vnd.docker.distribution.manifest.v2+json', ...Array(2).fill('application/vnd.docker.image.rootfs.diff.tar.gzip')]);
    const other = Podman.in(env, 'podman-dirs');
    for (const d of [ociDir, dockerDir]) {
      await other.ok(['load', '-i', d]);
      expect((await other.ok(['images', '-q', '--no-trunc'])).trim()).toBe(`sha256:${appId}`);
      await other.ok(['rmi', '-af']);
    }
    // podman 4 writes oci-dir as an OCI layout and docker-dir as a dir: image; pman reads both.
    const podmanOci = path.join(env.dir, 'podman-oci-dir');
    const podmanDocker = path.join(env.dir, 'podman-docker-dir');
    await other.ok(['load', '-i', ociDir]);
    await other.ok(['tag', appId, 'localhost/app:1']);
    await other.ok(['save', '--format', 'oci-dir', '-o', podmanOci, 'localhost/app:1']);
    await other.ok(['save', '--format', 'docker-dir', '-o', podmanDocker, 'localhost/app:1']);
    const store = await TestEnv.create({ image: false });
    try {
      expect(await store.ok(['load', '-i', podmanOci])).toBe('Loaded image: localhost/app:1');
      expect(await store.ok(['load', '-i', podmanDocker])).toBe(`Loaded image: sha256:${appId}`);
      expect(await store.ok(['run', '--rm', 'app:1'])).toBe(EXPECTED);
    } finally {
      await store.cleanup();
    }
  });

  it('refuses for the directory formats what podman refuses: several images, no -o, --compress but for docker-dir', async () => {
    const out = path.join(env.dir, 'never-dir');
    const cases: Array<[string[], string]> = [
      [['--format', 'docker-dir', '-m', '-o', out, 'app:1', 'busybox'], 'unsupported format "docker-dir" for saving multiple images (only docker-archive)'],
      [['--format', 'oci-dir', 'app:1'], '--format oci-dir writes a directory: give it with -o DIR'],
      [['--format', 'oci-dir', '--compress', '-o', out, 'app:1'], "--compress can only be set when --format is 'docker-dir'"],
    ];
    for (const [args, message] of cases) expect(await env.pman(['save', ...args])).toMatchObject({ exitCode: 125, stderr: `Error: ${message}` });
    expect(fs.existsSync(out)).toBe(false);
  });
});
