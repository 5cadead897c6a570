// pman rmi against the built CLI: untagging, deleting, in-use images, exit codes, cleanup of layers.
import fs from 'node:fs';
import path from 'node:path';
import { TestEnv } from '../harness.js';
import { makeTar } from '../../unit/archive/fixtures.js';

let env: TestEnv;
let tar: string;
beforeEach(async () => {
  env = await TestEnv.create({ image: false });
  tar = makeTar(path.join(env.dir, 'rootfs.tar'), [{ name: 'bin/true', data: '#!/bin/sh\n', mode: 0o755 }]);
});
afterEach(async () => {
  await env.cleanup();
});

const storage = (sub: string) => fs.readdirSync(path.join(env.root, 'storage', sub));

describe('pman rmi', () => {
  it('untags one name of an image that has several, then deletes it by its last name', async () => {
    const id = (await env.ok(['import', tar, 'one'])).slice(7);
    await env.ok(['import', tar, 'two']);
    expect(await env.ok(['rmi', 'one'])).toBe('Untagged: localhost/one:latest');
    expect(await env.ok(['rmi', 'two'])).toBe(`Untagged: localhost/two:latest\nDeleted: ${id}`);
    expect(storage('images')).toEqual([]);
    expect(storage('layers')).toEqual([]);
    expect(storage('blobs/sha256')).toEqual([]);
  });

  it('deletes an image with all its names when given its ID prefix', async () => {
    const id = (await env.ok(['import', tar, 'one'])).slice(7);
    await env.ok(['import', tar, 'two']);
    expect(await env.ok(['rmi', id.slice(0, 5)])).toBe(`Untagged: localhost/one:latest\nUntagged: localhost/two:latest\nDeleted: ${id}`);
  });

  it('exits 1 with one line for an image that does not exist, and 0 with --force', async () => {
    const r = await env.pman(['rmi', 'nope']);
    expect(r).toEqual({ exitCode: 1, stdout: '', stderr: 'Error: cannot remove image "nope": no such image in local storage' });
    expect(await env.pman(['rmi', '-f', 'nope'])).toEqual({ exitCode: 0, stdout: '', stderr: '' });
  });

  it('removes every image with --all', async () => {
    await env.ok(['import', tar, 'a']);
    await env.ok(['import', '-c', 'USER 1', tar, 'b']);
    const out = await env.ok(['rmi', '-a']);
    expect(out.split('\n').filter((l) => l.startsWith('Deleted: '))).toHaveLength(2);
    expect(await env.ok(['images', '-q'])).toBe('');
    expect(storage('layers')).toEqual([]);
  });

  it('refuses with exit 2 to remove an image a container uses, naming the container', async () => {
    const id = (await env.ok(['import', tar, 'busy'])).slice(7);
    await env.ok(['create', '--name', 'web', 'busy', '/bin/true']);
    const r = await env.pman(['rmi', 'busy']);
    expect(r).toEqual({ exitCode: 2, stdout: '', stderr: `Error: cannot remove image "busy" (${id.slice(0, 12)}): it is in use by container "web"; remove it first` });
    expect(await env.ok(['rmi', '-f', 'busy'])).toBe('Untagged: localhost/busy:latest');
    expect(storage('layers')).toHaveLength(1);
    await env.ok(['rm', 'web']);
    expect(await env.ok(['rmi', id])).toBe(`Deleted: ${id}`);
    expect(storage('layers')).toEqual([]);
  });

  it('fails with one line when given no image and no --all', async () => {
    const r = await env.pman(['rmi']);
    expect(r).toEqual({ exitCode: 125, stdout: '', stderr: 'Error: rmi needs at least one image name or ID (or --all)' });
  });
});
