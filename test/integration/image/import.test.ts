// pman import against the built CLI: output, names, compression, config changes and errors.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { TestEnv } from '../harness.js';
import { makeTar } from '../../unit/archive/fixtures.js';

let env: TestEnv;
let tar: string;
beforeAll(async () => {
  env = await TestEnv.create({ image: false });
  tar = makeTar(path.join(env.dir, 'rootfs.tar'), [
    { name: 'bin/hello', data: '#!/bin/sh\necho hello\n', mode: 0o755 },
    { name: 'etc/hostname', data: 'pman\n' },
  ]);
  fs.utimesSync(tar, 1700000000, 1700000000);
});
afterAll(async () => {
  await env.cleanup();
});

function record(id: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(env.root, 'storage/images', `${id}.json`), 'utf8')) as Record<string, unknown>;
}

function expectOneLineError(r: { exitCode: number; stdout: string; stderr: string }, code: number, text: string): void {
  expect(r.exitCode).toBe(code);
  expect(r.stdout).toBe('');
  expect(r.stderr.trim().split('\n')).toEqual([`Error: ${text}`]);
}

describe('pman import', () => {
  it('prints the full image ID and names the image localhost/NAME:latest', async () => {
    const r = await env.pman(['import', tar, 'hello']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(record(r.stdout.slice(7)).names).toEqual(['localhost/hello:latest']);
  });

  it('reads the archive from standard input with "-" and leaves it untagged without a name', async () => {
    const r = await env.pman(['import', '-'], { inputFile: tar });
    expect(r.exitCode).toBe(0);
    expect(record(r.stdout.slice(7)).names).toEqual([]);
  });

  it('gives gzip and zstd archives of the same tar the same image ID', async () => {
    execFileSync('gzip', ['-k', '-f', tar]);
    execFileSync('zstd', ['-q', '-f', tar, '-o', `${tar}.zst`]);
    for (const f of [`${tar}.gz`, `${tar}.zst`]) fs.utimesSync(f, 1700000000, 1700000000);
    const ids = await Promise.all([tar, `${tar}.gz`, `${tar}.zst`].map((f) => env.ok(['import', f])));
    expect(new Set(ids).size).toBe(1);
  });

  it('applies --change and --message to the image config', async () => {
    const id = (
      await env.ok(['import', '-c', 'CMD ["/bin/hello"]', '--change', 'ENV=A=1', '-c', 'LABEL team=core', '-c', 'WORKDIR /srv', '-m', 'first', tar, 'changed:v1'])
    ).slice(7);
    expect(record(id).config).toEqual({ Env: ['A=1'], Cmd: ['/bin/hello'], WorkingDir: '/srv', Labels: { team: 'core' } });
    const config = JSON.parse(fs.readFileSync(path.join(env.root, 'storage/blobs/sha256', id), 'utf8'));
    expect(config.history).toEqual([expect.objectContaining({ comment: 'first', created_by: expect.stringMatching(/^\/bin\/sh -c #\(nop\) ADD file:[0-9a-f]{64} in \/$/) })]);
  });

  it('records --arch, --os and --variant in the image (default: this machine, linux)', async () => {
    const native = record((await env.ok(['import', tar])).slice(7));
    expect([native.architecture, native.os]).toEqual([process.arch === 'x64' ? 'amd64' : native.architecture, 'linux']);
    const id = (await env.ok(['import', '--arch', 'arm', '--variant', 'v7', '--os', 'linux', tar, 'armv7'])).slice(7);
    expect(record(id)).toMatchObject({ architecture: 'arm', os: 'linux' });
    const config = JSON.parse(fs.readFileSync(path.join(env.root, 'storage/blobs/sha256', id), 'utf8'));
    expect(Object.keys(config).slice(0, 4)).toEqual(['created', 'architecture', 'variant', 'os']);
    expect(config).toMatchObject({ architecture: 'arm', variant: 'v7', os: 'linux' });
    expectOneLineError(await env.pman(['import', '--arch', 'x 86', tar]), 125, 'invalid --arch "x 86": use an OCI platform name such as amd64 or 386');
  });

  it('fails with one line and exit 125 for a hostile archive, leaving no layer behind', async () => {
    const bad = makeTar(path.join(env.dir, 'bad.tar'), [
      { name: 'link', type: 'symlink', linkname: '/etc' },
      { name: 'link/cron.d/evil', data: '* * * * * root sh' },
    ]);
    const before = fs.readdirSync(path.join(env.root, 'storage/layers')).sort();
    const r = await env.pman(['import', bad, 'bad']);
    expectOneLineError(r, 125, `cannot import "${bad}": unsafe archive entry "link/cron.d/evil": its parent "link" is a symlink; writing through it could leave the extraction root`);
    expect(fs.readdirSync(path.join(env.root, 'storage/layers')).sort()).toEqual(before);
    expect(fs.readdirSync(path.join(env.root, 'storage/tmp'))).toEqual([]);
    expect(fs.existsSync('/etc/cron.d/evil')).toBe(false);
  });

  it('fails with one line for a truncated archive', async () => {
    const cut = path.join(env.dir, 'cut.tar');
    fs.writeFileSync(cut, fs.readFileSync(tar).subarray(0, 700));
    expectOneLineError(await env.pman(['import', cut]), 125, `cannot import "${cut}": invalid tar archive: unexpected end of data in entry "bin/hello" (the archive is truncated)`);
  });

  it('fails with one line for a missing file, a bad name and a bad change', async () => {
    const missing = path.join(env.dir, 'missing.tar');
    expectOneLineError(await env.pman(['import', missing]), 125, `cannot import "${missing}": no such file`);
    expectOneLineError(await env.pman(['import', tar, 'Upper']), 125, 'invalid image reference "Upper": repository name must be lowercase');
    expectOneLineError(await env.pman(['import', '-c', 'RUN x', tar]), 125, 'invalid --change "RUN x": unknown instruction "RUN" (supported: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR)');
  });

  it('fails with one line when no file is given', async () => {
    expectOneLineError(await env.pman(['import']), 125, 'missing argument: usage: pman import [options] FILE|- [REFERENCE]');
  });
});
