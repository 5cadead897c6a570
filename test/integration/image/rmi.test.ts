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

  it('refuses the ID of an image with several names before asking whether containers use it (podman 4.3.1), and deletes it with all its names with --force', async () => {
    const id = (await env.ok(['import', tar, 'one'])).slice(7);
    await env.ok(['import', tar, 'two']);
    await env.ok(['create', '--name', 'web', 'one', '/bin/true']);
    const refused = `Error: cannot remove image "${id.slice(0, 5)}" by ID: it has several names (localhost/one:latest, localhost/two:latest); remove them by name, or use --force to delete it with all its names`;
    expect(await env.pman(['rmi', id.slice(0, 5)])).toEqual({ exitCode: 125, stdout: '', stderr: refused });
    // In order: the ID is refused while both names are there, then the name untags.
    const r = await env.pman(['rmi', id.slice(0, 5), 'two']);
    expect(r).toEqual({ exitCode: 125, stdout: 'Untagged: localhost/two:latest', stderr: refused });
    await env.ok(['tag', 'one', 'two']);
    expect(await env.ok(['rmi', '-f', id.slice(0, 5)])).toBe(`Untagged: localhost/one:latest\nUntagged: localhost/two:latest\nDeleted: ${id}`);
    expect(await env.ok(['ps', '-aq'])).toBe('');
    expect(storage('images')).toEqual([]);
  });

  it('deletes an image with its one name when given its ID, and with --all whatever its names', async () => {
    const id = (await env.ok(['import', tar, 'one'])).slice(7);
    expect(await env.ok(['rmi', id])).toBe(`Untagged: localhost/one:latest\nDeleted: ${id}`);
    await env.ok(['import', tar, 'one']);
    await env.ok(['tag', 'one', 'two']);
    expect(await env.ok(['rmi', '-a'])).toBe(`Untagged: localhost/one:latest\nUntagged: localhost/two:latest\nDeleted: ${id}`);
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

  it('refuses with exit 2 to remove an image a container uses, naming the container, and removes the container first with --force', async () => {
    const id = (await env.ok(['import', tar, 'busy'])).slice(7);
    await env.ok(['create', '--name', 'web', 'busy', '/bin/true']);
    const r = await env.pman(['rmi', 'busy']);
    expect(r).toEqual({ exitCode: 2, stdout: '', stderr: `Error: cannot remove image "busy" (${id.slice(0, 12)}): it is in use by container "web"; remove it first` });
    expect(storage('layers')).toHaveLength(1);
    // podman 4.3.1's --force: the containers go first, then the image.
    expect(await env.ok(['rmi', '-f', 'busy'])).toBe(`Untagged: localhost/busy:latest\nDeleted: ${id}`);
    expect(await env.ok(['ps', '-aq'])).toBe('');
    expect(storage('layers')).toEqual([]);
  });

  it('with --force only untags a name of an image with several names, leaving its containers', async () => {
    await env.ok(['import', tar, 'one']);
    await env.ok(['tag', 'one', 'two']);
    await env.ok(['create', '--name', 'web', 'one', '/bin/true']);
    expect(await env.ok(['rmi', '-f', 'one'])).toBe('Untagged: localhost/one:latest');
    expect(await env.ok(['ps', '-a', '--format', '{{.Names}}'])).toBe('web');
  });

  it('fails with one line when given no image and no --all', async () => {
    const r = await env.pman(['rmi']);
    expect(r).toEqual({ exitCode: 125, stdout: '', stderr: 'Error: rmi needs at least one image name or ID (or --all)' });
  });
});
