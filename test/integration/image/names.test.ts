// pman tag, untag, history, image prune and image exists against the built CLI: podman's output,
// flags and exit codes.
import fs from 'node:fs';
import path from 'node:path';
import { TestEnv } from '../harness.js';
import { makeTar } from '../../unit/archive/fixtures.js';

let env: TestEnv;
let busyboxId: string;
let tar: string;

beforeAll(async () => {
  env = await TestEnv.create();
  busyboxId = (await env.ok(['images', '-q', '--no-trunc', 'busybox'])).replace('sha256:', '');
  tar = makeTar(path.join(env.dir, 'small.tar'), [{ name: 'hello', data: 'hi' }]);
});
afterAll(async () => {
  await env?.cleanup();
});

const rows = async (...args: string[]) => (await env.ok(['images', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}', ...args])).split('\n').filter(Boolean).sort();

describe('pman tag and untag', () => {
  it('adds names silently; a name another image holds moves over', async () => {
    const otherId = (await env.ok(['import', tar, 'other'])).slice(7, 19);
    expect(await env.pman(['tag', 'busybox', 'mine', 'quay.io/team/box:1', 'other'])).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    const short = busyboxId.slice(0, 12);
    expect(await rows()).toEqual([`<none>:<none> ${otherId}`, `localhost/busybox:latest ${short}`, `localhost/mine:latest ${short}`, `localhost/other:latest ${short}`, `quay.io/team/box:1 ${short}`]);
    expect(await env.ok(['images', '-q', '--filter', 'dangling=true'])).toBe(otherId);
    expect(await env.ok(['images', '-q', '--filter', 'reference=box'])).toBe(short);
  });

  it('removes the names given, or every name without any, and refuses a name the image does not have', async () => {
    expect((await env.pman(['untag', 'busybox', 'mine', 'localhost/other:latest'])).exitCode).toBe(0);
    expect(await rows('--filter', `id=${busyboxId}`)).toEqual([`localhost/busybox:latest ${busyboxId.slice(0, 12)}`, `quay.io/team/box:1 ${busyboxId.slice(0, 12)}`]);
    const r = await env.pman(['untag', 'busybox', 'zz']);
    expect([r.exitCode, r.stderr]).toEqual([125, 'Error: localhost/zz:latest: tag not known']);
    await env.ok(['untag', 'quay.io/team/box:1']);
    expect(await rows('--filter', `id=${busyboxId}`)).toEqual([`<none>:<none> ${busyboxId.slice(0, 12)}`]);
    await env.ok(['tag', busyboxId.slice(0, 12), 'busybox']);
  });

  it('fails with one line for a missing image or an invalid name', async () => {
    const missing = await env.pman(['tag', 'nope', 'x']);
    expect([missing.exitCode, missing.stderr]).toEqual([125, 'Error: image "nope" not found in local storage: import, load or pull it first']);
    const invalid = await env.pman(['tag', 'busybox', 'Bad']);
    expect([invalid.exitCode, invalid.stderr]).toEqual([125, 'Error: invalid image reference "Bad": repository name must be lowercase']);
  });
});

describe('pman history', () => {
  beforeAll(async () => {
    await env.ok(['run', '--name', 'h1', 'busybox', 'sh', '-c', 'echo one > /one']);
    await env.ok(['commit', '-m', 'add one', 'h1', 'hist']);
  });

  it('lists entries newest first with podman\'s columns', async () => {
    const out = (await env.ok(['history', 'hist'])).split('\n');
    expect(out[0]).toMatch(/^ID {12}CREATED +CREATED BY +SIZE +COMMENT$/);
    const histId = (await env.ok(['images', '-q', 'hist'])).trim();
    expect(out[1]).toMatch(new RegExp(`^${histId} +(Less than a second|\\d+ seconds?) ago +/bin/sh +\\d+(\\.\\d+)? kB +add one$`));
    expect(out[2]).toMatch(new RegExp(`^${busyboxId.slice(0, 12)} +.* ago +/bin/sh -c #\\(nop\\) ADD file:[0-9a-f]{15}\\.\\.\\. +\\d\\.\\d+ MB +imported from tarball$`));
  });

  it('prints IDs with -q, full values with --no-trunc, raw values with -H=false', async () => {
    expect((await env.ok(['history', '-q', 'hist'])).split('\n')[1]).toBe(busyboxId.slice(0, 12));
    const full = (await env.ok(['history', '--no-trunc', '-q', 'hist'])).split('\n');
    expect(full[1]).toBe(busyboxId);
    expect(await env.ok(['history', '--no-trunc', '--format', '{{.CreatedBy}}', 'busybox'])).toMatch(/^\/bin\/sh -c #\(nop\) ADD file:[0-9a-f]{64} in \/$/);
    expect(await env.ok(['history', '-H=false', '--format', '{{.Size}} {{.Created}}', 'busybox'])).toMatch(/^\d+ \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('prints podman 4.3.1\'s JSON with --format json (one line, no tags) and no names in {{.Tags}}', async () => {
    const text = await env.ok(['history', '--format', 'json', 'busybox']);
    expect(text.split('\n')).toHaveLength(1);
    expect(JSON.parse(text)).toEqual([
      { id: busyboxId, created: expect.any(String), CreatedBy: expect.stringMatching(/^\/bin\/sh -c #\(nop\) ADD file:/), size: expect.any(Number), comment: 'imported from tarball', Created: expect.any(String) },
    ]);
    const histId = (await env.ok(['images', '-q', 'hist'])).trim();
    expect(await env.ok(['history', '--format', '{{.ID}} {{.Tags}}', 'hist'])).toBe(`${histId} []\n${busyboxId.slice(0, 12)} []`);
  });
});

describe('pman image prune and image exists', () => {
  it('removes unused dangling images only, printing their IDs, and asks first without -f', async () => {
    const unused = (await env.ok(['import', tar])).slice(7);
    fs.utimesSync(tar, 1600000000, 1600000000); // another file time: another image ID
    const used = (await env.ok(['import', tar])).slice(7);
    await env.ok(['create', '--name', 'user', used, 'true']);
    expect(await env.ok(['image', 'prune'], { input: 'n\n' })).toBe('WARNING! This command removes all dangling images.\nAre you sure you want to continue? [y/N] ');
    expect((await env.pman(['image', 'exists', unused])).exitCode).toBe(0);
    expect(await env.ok(['image', 'prune', '-f'])).toBe(unused);
    expect((await env.pman(['image', 'exists', unused])).exitCode).toBe(1);
    expect((await env.pman(['image', 'exists', used])).exitCode).toBe(0);
  });

  it('removes every image no container uses with -a, and never one in use', async () => {
    fs.utimesSync(tar, 1500000000, 1500000000);
    await env.ok(['import', tar, 'named-unused']);
    const out = (await env.ok(['image', 'prune', '-a'], { input: 'y\n' })).split('\n');
    expect(out[0]).toBe('WARNING! This command removes all images without at least one container associated with them.');
    // The IDs follow the prompt on its line: the answer came from a pipe, not a terminal.
    expect(out[1]).toMatch(/^Are you sure you want to continue\? \[y\/N\] [0-9a-f]{64}$/);
    expect((await env.pman(['image', 'exists', 'named-unused'])).exitCode).toBe(1);
    // busybox and the image of "user" and of "h1" are in use.
    expect((await env.pman(['image', 'exists', 'busybox'])).exitCode).toBe(0);
    expect((await env.pman(['image', 'exists', 'hist'])).exitCode).toBe(1);
    expect(await env.ok(['ps', '-a', '--format', '{{.Names}}'])).toMatch(/user/);
  });
});
