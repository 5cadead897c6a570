import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createContext, type Context } from '../../../lib/context.js';
import { chainIdsOf, sweepTmp } from '../../../lib/image/layers.js';
import { ociArchitecture } from '../../../lib/image/platform.js';
import { ImageRemovalError, importImage, layerDirs, listImages, removeImages, resolveImage } from '../../../lib/image/store.js';
import { makeTar, TempDirs } from '../archive/fixtures.js';

const temp = new TempDirs();
let ctx: Context;
let dir: string;
let tar: string;

beforeEach(() => {
  dir = temp.make('pman-store-');
  ctx = createContext({ root: path.join(dir, 'root'), runroot: path.join(dir, 'run'), env: {}, logLevel: 'error' });
  tar = makeTar(
    path.join(dir, 'rootfs.tar'),
    [
      { name: 'etc/hostname', data: 'pman\n', mode: 0o755 },
      { name: 'bin/hello', data: '#!/bin/sh\necho hello\n', mode: 0o755 },
    ],
    { format: 'ustar' },
  );
  fs.utimesSync(tar, 1700000000, 1700000000);
});
afterEach(() => temp.cleanup());

const storage = () => path.join(ctx.root, 'storage');
const ls = (sub: string) => fs.readdirSync(path.join(storage(), sub)).sort();
const noUsers = { force: false, usedBy: () => [] };
const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

describe('chain IDs', () => {
  it('are the diff ID for a base layer and sha256("<parent chain> <diff id>") above it', () => {
    const a = `sha256:${'a'.repeat(64)}`;
    const b = `sha256:${'b'.repeat(64)}`;
    const c = `sha256:${'c'.repeat(64)}`;
    const ab = sha256(`${a} ${b}`);
    expect(chainIdsOf([a, b, c])).toEqual(['a'.repeat(64), ab, sha256(`sha256:${ab} ${c}`)]);
  });
});

describe('image import', () => {
  it('gives the same image ID and manifest digest as podman 4.3 for the same file', async () => {
    // Expected values: `podman import rootfs.tar compat` and with -c/-m, on this very archive, on
    // amd64. The architecture is part of the config (so of the ID): it is given, so that the test
    // holds on any machine.
    const plain = await importImage(ctx, { source: tar, reference: 'compat', arch: 'amd64' });
    expect(plain.id).toBe('2c4216c406a0ce8788351fc1d8a1dcf60c2f4d60219aed974fa5abf0a6728704');
    expect(plain.digest).toBe('sha256:6bc581d359339594ab2af6bc604d2f17d418ac9809b83aba797d33a9bcb777b9');
    const changed = await importImage(ctx, { source: tar, reference: 'compat2', changes: ['CMD ["/bin/hello"]', 'ENV A=1'], message: 'msg', arch: 'amd64' });
    expect(changed.id).toBe('b0064360e86ed19769bdb000cd68cc7ce34883512beb6cbcb0232e3b560f04c0');
    expect(changed.digest).toBe('sha256:6f1ebe398e054db1337e13f539363cdf4330f17f9d6d331aa77dc16f3836af61');
  });

  it('stores the tar as a blob, unpacks it once per chain ID and writes a validated record', async () => {
    const img = await importImage(ctx, { source: tar, reference: 'hello:v1' });
    const diffHex = sha256(fs.readFileSync(tar));
    expect(img).toMatchObject({
      names: ['localhost/hello:v1'],
      created: '2023-11-14T22:13:20Z',
      size: fs.statSync(tar).size,
      os: 'linux',
      architecture: ociArchitecture(),
      layers: [diffHex],
      diffIds: [`sha256:${diffHex}`],
      config: {},
    });
    expect(ls('blobs/sha256')).toEqual([img.id, img.digest.slice(7), diffHex].sort());
    expect(ls('layers')).toEqual([diffHex]);
    expect(ls('images')).toEqual([`${img.id}.json`]);
    expect(ls('tmp')).toEqual([]);
    expect(fs.statSync(storage()).mode & 0o777).toBe(0o700);
    const [diff] = layerDirs(ctx, img);
    expect(diff).toBe(path.join(storage(), 'layers', diffHex, 'diff'));
    expect(fs.readFileSync(path.join(diff, 'bin/hello'), 'utf8')).toContain('echo hello');
    const layerJson = JSON.parse(fs.readFileSync(path.join(storage(), 'layers', diffHex, 'layer.json'), 'utf8'));
    expect(layerJson).toMatchObject({ chainId: diffHex, diffId: `sha256:${diffHex}`, parent: null });
  });

  it('shares the layer between images made from the same tar with different configs', async () => {
    const a = await importImage(ctx, { source: tar, reference: 'a' });
    const b = await importImage(ctx, { source: tar, reference: 'b', changes: ['USER nobody'] });
    expect(a.id).not.toBe(b.id);
    expect(a.layers).toEqual(b.layers);
    expect(ls('layers')).toHaveLength(1);
  });

  it('adds a name to the identical image instead of storing it twice, and moves names between images', async () => {
    const first = await importImage(ctx, { source: tar, reference: 'one' });
    const again = await importImage(ctx, { source: tar, reference: 'two' });
    expect(again.id).toBe(first.id);
    expect(again.names).toEqual(['localhost/one:latest', 'localhost/two:latest']);
    const other = await importImage(ctx, { source: tar, reference: 'two', changes: ['CMD x'] });
    expect(other.names).toEqual(['localhost/two:latest']);
    expect(resolveImage(ctx, first.id).names).toEqual(['localhost/one:latest']);
  });

  it('reads gzip-compressed and stdin input and leaves no name when none is given', async () => {
    const gz = path.join(dir, 'rootfs.tar.gz');
    const zlib = await import('node:zlib');
    fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(tar)));
    fs.utimesSync(gz, 1700000000, 1700000000);
    const fromGz = await importImage(ctx, { source: gz });
    const plain = await importImage(ctx, { source: tar });
    expect(fromGz.id).toBe(plain.id);
    expect(fromGz.names).toEqual([]);
    // Standard input has no file time: the image is created at the moment of the import (in whole
    // seconds), so between a moment before it and one after.
    const before = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
    const fromStdin = await importImage(ctx, { source: '-', stdin: Readable.from([fs.readFileSync(tar)]) });
    const after = new Date().toISOString();
    expect(fromStdin.diffIds).toEqual(plain.diffIds);
    expect([before <= new Date(fromStdin.created).toISOString(), new Date(fromStdin.created).toISOString() <= after]).toEqual([true, true]);
  });

  it('refuses a hostile archive naming the entry and leaves nothing behind', async () => {
    const bad = makeTar(path.join(dir, 'bad.tar'), [
      { name: 'ok', data: 'fine' },
      { name: '../../evil', data: 'x' },
    ]);
    await expect(importImage(ctx, { source: bad, reference: 'bad' })).rejects.toThrow(
      `cannot import "${bad}": unsafe archive entry "../../evil": the path escapes the extraction root through ".."`,
    );
    expect(ls('layers')).toEqual([]);
    expect(ls('tmp')).toEqual([]);
    expect(ls('blobs/sha256')).toEqual([]);
    expect(listImages(ctx)).toEqual([]);
  });

  it('checks the name and changes before reading anything', async () => {
    await expect(importImage(ctx, { source: tar, reference: 'Bad' })).rejects.toThrow('invalid image reference "Bad": repository name must be lowercase');
    await expect(importImage(ctx, { source: tar, changes: ['NOPE x'] })).rejects.toThrow(/unknown instruction "NOPE"/);
    await expect(importImage(ctx, { source: path.join(dir, 'missing.tar') })).rejects.toThrow(`cannot import "${path.join(dir, 'missing.tar')}": no such file`);
    expect(fs.existsSync(storage())).toBe(false);
  });
});

describe('image removal', () => {
  it('untags a name when the image has others, then deletes the image, its layer and blobs', async () => {
    await importImage(ctx, { source: tar, reference: 'one' });
    const img = await importImage(ctx, { source: tar, reference: 'two' });
    expect(await removeImages(ctx, ['one'], noUsers)).toEqual([{ untagged: ['localhost/one:latest'] }]);
    expect(await removeImages(ctx, ['two'], noUsers)).toEqual([{ untagged: ['localhost/two:latest'], deleted: img.id }]);
    expect(ls('images')).toEqual([]);
    expect(ls('layers')).toEqual([]);
    expect(ls('blobs/sha256')).toEqual([]);
    // Taken out of the store by a rename, then deleted before removeImages returns.
    expect(ls('tmp')).toEqual([]);
  });

  it('keeps a layer and blobs another image still uses', async () => {
    const a = await importImage(ctx, { source: tar, reference: 'a' });
    const b = await importImage(ctx, { source: tar, reference: 'b', changes: ['USER nobody'] });
    await removeImages(ctx, [a.id], noUsers);
    expect(ls('layers')).toEqual(b.layers);
    expect(ls('blobs/sha256')).toEqual([b.id, b.digest.slice(7), b.diffIds[0].slice(7)].sort());
    expect(layerDirs(ctx, b)).toHaveLength(1);
  });

  it('refuses to remove an image a container uses, naming the container, with exit code 2', async () => {
    const img = await importImage(ctx, { source: tar, reference: 'busy' });
    const usedBy = (id: string) => (id === img.id ? ['web'] : []);
    const err = await removeImages(ctx, ['busy'], { force: false, usedBy }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImageRemovalError);
    expect((err as ImageRemovalError).message).toBe(`cannot remove image "busy" (${img.id.slice(0, 12)}): it is in use by container "web"; remove it first`);
    expect((err as ImageRemovalError).exitCode).toBe(2);
    expect(listImages(ctx)).toHaveLength(1);
  });

  it('with --force untags an image in use but keeps it and its layers', async () => {
    const img = await importImage(ctx, { source: tar, reference: 'busy' });
    const res = await removeImages(ctx, ['busy'], { force: true, usedBy: () => ['web'] });
    expect(res).toEqual([{ untagged: ['localhost/busy:latest'] }]);
    expect(resolveImage(ctx, img.id).names).toEqual([]);
    expect(layerDirs(ctx, img)).toHaveLength(1);
  });

  it('reports images that do not exist with exit code 1 after removing the others, or ignores them with --force', async () => {
    const img = await importImage(ctx, { source: tar, reference: 'x' });
    const err = (await removeImages(ctx, ['nope', 'x'], noUsers).catch((e: unknown) => e)) as ImageRemovalError;
    expect(err.message).toBe('cannot remove image "nope": no such image in local storage');
    expect(err.exitCode).toBe(1);
    expect(err.results).toEqual([{ untagged: ['localhost/x:latest'], deleted: img.id }]);
    expect(await removeImages(ctx, ['nope'], { ...noUsers, force: true })).toEqual([]);
  });
});

describe('image records', () => {
  it('reports a corrupt record with one warning naming the file and lists the rest', async () => {
    const warnings: string[] = [];
    const img = await importImage(ctx, { source: tar, reference: 'ok' });
    const bad = path.join(storage(), 'images', `${'0'.repeat(64)}.json`);
    fs.writeFileSync(bad, '{"id": 1');
    const warnCtx = { ...ctx, warn: (m: string) => warnings.push(m) };
    expect(listImages(warnCtx).map((i) => i.id)).toEqual([img.id]);
    expect(warnings).toEqual([expect.stringContaining(`"${bad}" is not valid JSON`)]);
  });

  it('says which layer is missing when an unpacked layer directory is gone', async () => {
    const img = await importImage(ctx, { source: tar, reference: 'ok' });
    fs.rmSync(path.join(storage(), 'layers', img.layers[0]), { recursive: true });
    expect(() => layerDirs(ctx, img)).toThrow(`image ${img.id.slice(0, 12)} is missing its layer ${img.layers[0].slice(0, 12)}`);
  });
});

describe('store temp area', () => {
  it('sweeps only leftovers old enough to be abandoned', async () => {
    await importImage(ctx, { source: tar });
    const tmp = path.join(storage(), 'tmp');
    fs.mkdirSync(path.join(tmp, 'layer-crashed', 'layer', 'diff'), { recursive: true });
    fs.mkdirSync(path.join(tmp, 'deleting-abc'), { recursive: true });
    sweepTmp(ctx);
    expect(ls('tmp')).toEqual(['deleting-abc', 'layer-crashed']);
    sweepTmp(ctx, Date.now() + 11 * 60 * 1000);
    expect(ls('tmp')).toEqual(['layer-crashed']);
    sweepTmp(ctx, Date.now() + 25 * 60 * 60 * 1000);
    expect(ls('tmp')).toEqual([]);
  });
});
