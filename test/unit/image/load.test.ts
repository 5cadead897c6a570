import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { createContext, type Context } from '../../../lib/context.js';
import { hasBlob } from '../../../lib/image/blobs.js';
import { materializeLayerBlobs } from '../../../lib/image/layer-tar.js';
import { blobPath } from '../../../lib/image/layout.js';
import { loadImages } from '../../../lib/image/load.js';
import { layerDirs, listImages } from '../../../lib/image/store.js';
import { saveImages, saveToDirectory, type SaveFormat } from '../../../lib/image/save.js';
import { TempDirs, type Member } from '../archive/fixtures.js';
import { buildArchive, sha256, type ArchiveKind, type ImageSpec } from './archive-fixtures.js';

const temp = new TempDirs();
let dir: string;
let ctx: Context;
let debug: string[];

function newCtx(name: string): Context {
  const c = createContext({ root: path.join(dir, name, 'root'), runroot: path.join(dir, name, 'run'), env: {}, logLevel: 'error' });
  c.debug = (m) => debug.push(m);
  return c;
}

beforeEach(() => {
  dir = temp.make('pman-load-');
  debug = [];
  ctx = newCtx('a');
});
afterEach(() => temp.cleanup());

const base: Member[] = [
  { name: 'etc/', type: 'dir' },
  { name: 'etc/os-release', data: 'ID=pman\n' },
  { name: 'etc/passwd', data: 'root:x:0:0::/root:/bin/sh\n' },
];
const app: Member[] = [{ name: 'app/', type: 'dir' }, { name: 'app/run', data: '#!/bin/sh\n', mode: 0o755 }, { name: 'etc/.wh.passwd' }];
const twoLayers = (names: string[], compress: 'none' | 'gzip' | 'zstd' = 'none'): ImageSpec => ({
  layers: [{ members: base, compress }, { members: app, compress }],
  names,
  config: { Cmd: ['/app/run'], Env: ['A=1'] },
});

const storage = (c: Context = ctx) => path.join(c.root, 'storage');
const ls = (sub: string, c: Context = ctx) => (fs.existsSync(path.join(storage(c), sub)) ? fs.readdirSync(path.join(storage(c), sub)).sort() : []);

async function expectNothingStored(p: Promise<unknown>, message: string | RegExp): Promise<void> {
  await expect(p).rejects.toThrow(message);
  expect(ls('images')).toEqual([]);
  expect(ls('layers')).toEqual([]);
  expect(ls('tmp')).toEqual([]);
}

describe('pman load', () => {
  for (const kind of ['docker', 'docker25', 'oci'] as ArchiveKind[]) {
    it(`stores a ${kind} archive's image with its ID, layers, config and names`, async () => {
      const built = buildArchive(dir, 'x.tar', kind, [twoLayers(kind === 'oci' ? ['localhost/app:v1'] : ['app:v1'])]);
      const [loaded] = await loadImages(ctx, { input: built.file });
      expect(loaded.record.id).toBe(built.images[0].id);
      expect(loaded.names).toEqual([kind === 'oci' ? 'localhost/app:v1' : 'docker.io/library/app:v1']);
      expect(loaded.record.config).toEqual({ Cmd: ['/app/run'], Env: ['A=1'] });
      expect(loaded.record.diffIds).toEqual(built.images[0].diffIds);
      const [top, bottom] = layerDirs(ctx, loaded.record);
      expect(fs.readFileSync(path.join(bottom, 'etc/os-release'), 'utf8')).toBe('ID=pman\n');
      expect(fs.lstatSync(path.join(top, 'etc/passwd')).isCharacterDevice()).toBe(process.getuid?.() === 0);
      expect(ls('tmp')).toEqual([]);
    });
  }

  it('reads gzip and zstd layers, and checks them against their digests and diff IDs', async () => {
    const built = buildArchive(dir, 'x.tar', 'oci', [
      { layers: [{ members: base, compress: 'gzip' }, { members: app, compress: 'zstd' }], names: ['z'] },
    ]);
    const [loaded] = await loadImages(ctx, { input: built.file });
    expect(loaded.record.id).toBe(built.images[0].id);
    expect(loaded.names).toEqual(['localhost/z:latest']);
  });

  it('stores several images, and a layer they share once', async () => {
    const shared = buildArchive(dir, 'multi.tar', 'docker', [twoLayers(['one:1']), { layers: [{ members: base }], names: ['base:1', 'quay.io/x/base:2'] }]);
    const loaded = await loadImages(ctx, { input: shared.file });
    expect(loaded.map((l) => l.names)).toEqual([['docker.io/library/one:1'], ['docker.io/library/base:1', 'quay.io/x/base:2']]);
    expect(ls('layers')).toHaveLength(2);
    expect(loaded[1].record.layers[0]).toBe(loaded[0].record.layers[0]);
  });

  it('does not unpack layers the store has already', async () => {
    const first = buildArchive(dir, 'base.tar', 'docker', [{ layers: [{ members: base }], names: ['base'] }]);
    await loadImages(ctx, { input: first.file });
    const layer = ls('layers')[0];
    const inode = fs.statSync(path.join(storage(), 'layers', layer, 'diff/etc/os-release')).ino;
    const second = buildArchive(dir, 'app.tar', 'docker', [twoLayers(['app'])]);
    await loadImages(ctx, { input: second.file });
    expect(debug.filter((m) => m.includes('is in the store already'))).toHaveLength(1);
    expect(fs.statSync(path.join(storage(), 'layers', layer, 'diff/etc/os-release')).ino).toBe(inode);
    expect(ls('layers')).toHaveLength(2);
  });

  it('leaves an image without names untagged, and ignores names that are not valid', async () => {
    const built = buildArchive(dir, 'x.tar', 'docker', [{ layers: [{ members: base }], names: ['Bad:Name', 'ok'] }]);
    const warned: string[] = [];
    ctx.warn = (m) => warned.push(m);
    const [loaded] = await loadImages(ctx, { input: built.file });
    expect(loaded.names).toEqual(['docker.io/library/ok:latest']);
    expect(warned[0]).toMatch(/^ignoring the name "Bad:Name" in the archive: invalid image reference/);
    const unnamed = buildArchive(dir, 'y.tar', 'oci', [{ layers: [{ members: app }] }]);
    expect((await loadImages(ctx, { input: unnamed.file }))[0].names).toEqual([]);
  });

  it('reads a compressed archive from standard input', async () => {
    const built = buildArchive(dir, 'x.tar', 'docker', [twoLayers(['stdin'])]);
    const stdin = Readable.from([zlib.gzipSync(fs.readFileSync(built.file))]);
    const [loaded] = await loadImages(ctx, { stdin });
    expect(loaded.record.id).toBe(built.images[0].id);
    expect(ls('tmp')).toEqual([]);
  });

  it('picks this machine\'s image from an image index', async () => {
    const built = buildArchive(dir, 'x.tar', 'oci', [twoLayers(['multiarch'])], (files) => {
      const index = JSON.parse(files.get('index.json')!.toString()) as { manifests: Array<Record<string, unknown>> };
      const mine: Record<string, unknown> = { ...index.manifests[0], platform: { os: 'linux', architecture: process.arch === 'x64' ? 'amd64' : process.arch } };
      delete mine.annotations;
      const other = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${'e'.repeat(64)}`, size: 10, platform: { os: 'linux', architecture: 's390x' } };
      const list = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [other, mine] }));
      files.set(`blobs/sha256/${sha256(list)}`, list);
      index.manifests = [{ mediaType: 'application/vnd.oci.image.index.v1+json', digest: `sha256:${sha256(list)}`, size: list.length, annotations: { 'org.opencontainers.image.ref.name': 'multiarch' } }];
      files.set('index.json', Buffer.from(JSON.stringify(index)));
    });
    const [loaded] = await loadImages(ctx, { input: built.file });
    expect([loaded.record.id, loaded.names]).toEqual([built.images[0].id, ['localhost/multiarch:latest']]);
  });
});

describe('pman load of damaged and hostile archives', () => {
  it('stores nothing from a truncated archive', async () => {
    const built = buildArchive(dir, 'x.tar', 'docker', [twoLayers(['t'])]);
    const cut = path.join(dir, 'cut.tar');
    fs.writeFileSync(cut, fs.readFileSync(built.file).subarray(0, 3000));
    await expectNothingStored(loadImages(ctx, { input: cut }), `cannot load "${cut}": invalid tar archive: unexpected end of data`);
  });

  it('stores nothing when a layer blob does not match its digest', async () => {
    const built = buildArchive(dir, 'x.tar', 'oci', [twoLayers(['t'], 'gzip')], (files) => {
      const [name, blob] = [...files].find(([, b]) => b[0] === 0x1f)!;
      const changed = Buffer.from(blob);
      changed[4] ^= 1; // the gzip header's mtime: same tar inside, other bytes, same size
      files.set(name, changed);
    });
    await expectNothingStored(loadImages(ctx, { input: built.file }), /layer 1 of image 1 \("blobs\/sha256\/[0-9a-f]{64}"\) does not match its digest: expected sha256:/);
  });

  it('stores nothing when a layer does not match the diff ID in the config', async () => {
    const built = buildArchive(dir, 'x.tar', 'docker', [twoLayers(['t'])], (files) => {
      const layer = [...files.keys()].find((k) => k.endsWith('.tar') && files.get(k)!.includes(Buffer.from('app/run')))!;
      files.set(layer, swapLayer(files.get(layer)!));
    });
    await expectNothingStored(loadImages(ctx, { input: built.file }), /layer 2 of image 1 \("[0-9a-f]{64}\.tar"\) does not match the image config: its uncompressed digest is sha256:[0-9a-f]{64}, the config says sha256:/);
  });

  it('stores nothing when a config blob does not match its digest', async () => {
    const built = buildArchive(dir, 'x.tar', 'docker25', [twoLayers(['t'])], (files) => {
      const manifest = JSON.parse(files.get('manifest.json')!.toString()) as Array<{ Config: string }>;
      const config = JSON.parse(files.get(manifest[0].Config)!.toString()) as { config: Record<string, unknown> };
      config.config.Cmd = ['/bin/evil'];
      files.set(manifest[0].Config, Buffer.from(JSON.stringify(config)));
    });
    await expectNothingStored(loadImages(ctx, { input: built.file }), /the image config "blobs\/sha256\/[0-9a-f]{64}" does not match its digest/);
  });

  it('stores nothing when the manifest references a missing blob', async () => {
    const built = buildArchive(dir, 'x.tar', 'oci', [twoLayers(['t'])], (files) => {
      files.delete([...files.keys()].find((k) => files.get(k)!.includes(Buffer.from('app/run')))!);
    });
    await expectNothingStored(loadImages(ctx, { input: built.file }), /the archive lacks the layer sha256:[0-9a-f]{64} \(blobs\/sha256\/[0-9a-f]{64}\) that manifest sha256:[0-9a-f]{64} references/);
    const docker = buildArchive(dir, 'y.tar', 'docker', [twoLayers(['t'])], (files) => {
      files.delete([...files.keys()].find((k) => k.endsWith('.tar') && files.get(k)!.includes(Buffer.from('app/run')))!);
    });
    await expectNothingStored(loadImages(ctx, { input: docker.file }), /the archive lacks the layer "[0-9a-f]{64}\.tar" that manifest\.json references/);
  });

  it('stores nothing when the layer count and the config disagree', async () => {
    const built = buildArchive(dir, 'x.tar', 'docker', [twoLayers(['t'])], (files) => {
      const m = JSON.parse(files.get('manifest.json')!.toString()) as Array<{ Layers: string[] }>;
      m[0].Layers.pop();
      files.set('manifest.json', Buffer.from(JSON.stringify(m)));
    });
    await expectNothingStored(loadImages(ctx, { input: built.file }), /lists 2 layers \(rootfs.diff_ids\) but its manifest has 1/);
  });

  it('stores nothing from an archive with a hostile layer, and writes nothing outside', async () => {
    const target = path.join(dir, 'escaped');
    const built = buildArchive(dir, 'x.tar', 'docker', [
      { layers: [{ members: base }, { members: [{ name: 'lnk', type: 'symlink', linkname: dir }, { name: 'lnk/escaped', data: 'pwned' }] }], names: ['evil'] },
    ]);
    await expectNothingStored(loadImages(ctx, { input: built.file }), 'layer 2 of image 1');
    expect(fs.existsSync(target)).toBe(false);
  });

  it('refuses device nodes in a layer when rootless, and a layer with a malformed header', async () => {
    const dev = buildArchive(dir, 'dev.tar', 'docker', [{ layers: [{ members: [{ name: 'dev/sda', type: 'block', devmajor: 8, devminor: 0 }] }] }]);
    ctx.rootless = true;
    await expectNothingStored(loadImages(ctx, { input: dev.file }), 'cannot extract "dev/sda": device nodes cannot be created when running rootless');
    ctx.rootless = false;
    const junk = buildArchive(dir, 'junk.tar', 'docker', [{ layers: [{ members: base }] }], (files) => {
      const layer = [...files.keys()].find((k) => k.endsWith('.tar'))!;
      const bad = Buffer.from(files.get(layer)!);
      bad[148] ^= 0x01; // the first header's checksum field
      files.set(layer, bad);
    });
    await expectNothingStored(loadImages(ctx, { input: junk.file }), 'invalid tar archive: header at offset 0 has a bad checksum');
  });

  it('keeps absolute member names inside the layer and refuses a hard link to a missing file', async () => {
    const marker = `pman-load-abs-${process.pid}`;
    const abs = buildArchive(dir, 'abs.tar', 'docker', [{ layers: [{ members: [{ name: `/tmp/${marker}`, data: 'inside' }] }], names: ['abs'] }]);
    const [{ record }] = await loadImages(ctx, { input: abs.file });
    expect(fs.readFileSync(path.join(layerDirs(ctx, record)[0], 'tmp', marker), 'utf8')).toBe('inside');
    expect(fs.existsSync(`/tmp/${marker}`)).toBe(false);
    const other = newCtx('b');
    const missing = buildArchive(dir, 'hl.tar', 'docker', [{ layers: [{ members: [{ name: 'link', type: 'hardlink', linkname: 'not/there' }] }] }]);
    await expect(loadImages(other, { input: missing.file })).rejects.toThrow('unsafe archive entry "link": its hard link target "not/there" is outside the extraction root or missing');
    expect(ls('layers', other)).toEqual([]);
  });

  it('says what is wrong with a file that is not an image archive', async () => {
    const plain = buildArchive(dir, 'x.tar', 'docker', [twoLayers(['t'])], (files) => files.delete('manifest.json'));
    await expectNothingStored(loadImages(ctx, { input: plain.file }), 'it is not an image archive: it has neither manifest.json (docker-archive, dir:) nor index.json (oci-archive, oci:)');
    const junk = path.join(dir, 'junk');
    fs.writeFileSync(junk, Buffer.alloc(2048, 0x41));
    await expectNothingStored(loadImages(ctx, { input: junk }), `cannot load "${junk}": invalid tar archive: header at offset 0`);
    await expect(loadImages(ctx, { input: path.join(dir, 'none') })).rejects.toThrow(`cannot load "${path.join(dir, 'none')}": no such file`);
  });

  it('refuses an index with no image for this machine', async () => {
    const built = buildArchive(dir, 'x.tar', 'oci', [twoLayers(['t'])], (files) => {
      const index = JSON.parse(files.get('index.json')!.toString()) as { manifests: Array<Record<string, unknown>> };
      const list = Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: [{ ...index.manifests[0], platform: { os: 'linux', architecture: 's390x' } }] }));
      files.set(`blobs/sha256/${sha256(list)}`, list);
      files.set('index.json', Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.index.v1+json', digest: `sha256:${sha256(list)}`, size: list.length }] })));
    });
    await expectNothingStored(loadImages(ctx, { input: built.file }), /has no image for linux\/\w+ in the archive \(it has linux\/s390x\)/);
  });
});

/** The same layer with one byte of a file body changed (so its digest changes, not its shape). */
function swapLayer(layer: Buffer): Buffer {
  const out = Buffer.from(layer);
  const at = out.indexOf(Buffer.from('#!/bin/sh'));
  out[at + 2] = 0x21;
  return out;
}

describe('pman save', () => {
  for (const format of ['docker-archive', 'oci-archive'] as SaveFormat[]) {
    it(`writes a ${format} that loads back as the same image with the same layers`, async () => {
      const built = buildArchive(dir, 'x.tar', 'oci', [twoLayers(['localhost/rt:1'], 'gzip')]);
      await loadImages(ctx, { input: built.file });
      const out = path.join(dir, `saved-${format}.tar`);
      const parts: Buffer[] = [];
      for await (const c of saveImages(ctx, { refs: ['rt:1'], format, multiImage: false })) parts.push(c);
      fs.writeFileSync(out, Buffer.concat(parts));
      const other = newCtx('b');
      const [loaded] = await loadImages(other, { input: out });
      expect([loaded.record.id, loaded.names, loaded.record.diffIds]).toEqual([built.images[0].id, ['localhost/rt:1'], built.images[0].diffIds]);
      expect(listImages(other)).toHaveLength(1);
    });
  }

  for (const [format, compress] of [['oci-dir', false], ['docker-dir', false], ['docker-dir', true]] as Array<[SaveFormat, boolean]>) {
    it(`writes a ${format}${compress ? ' with --compress' : ''} directory that load -i reads back as the same image`, async () => {
      const built = buildArchive(dir, 'x.tar', 'oci', [twoLayers(['localhost/rt:1'])]);
      await loadImages(ctx, { input: built.file });
      const out = path.join(dir, `saved-${format}`);
      await saveToDirectory(ctx, { refs: ['rt:1'], format, multiImage: false, compress }, out);
      const manifest = format === 'docker-dir' ? (JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { mediaType: string; layers: Array<{ mediaType: string }> }) : undefined;
      expect([manifest?.mediaType, ...(manifest?.layers.map((l) => l.mediaType) ?? [])]).toEqual(
        format === 'oci-dir' ? [undefined] : ['application/vnd.docker.distribution.manifest.v2+json', ...Array(2).fill(`application/vnd.docker.image.rootfs.diff.tar${compress ? '.gzip' : ''}`)],
      );
      const other = newCtx('b');
      const [loaded] = await loadImages(other, { input: out });
      expect([loaded.record.id, loaded.names, loaded.record.diffIds]).toEqual([built.images[0].id, format === 'oci-dir' ? ['localhost/rt:1'] : [], built.images[0].diffIds]);
      expect(ls('tmp')).toEqual([]);
    });
  }

  it('says what is wrong with a dir: image it cannot read, and stores nothing', async () => {
    const d = path.join(dir, 'img');
    fs.mkdirSync(d);
    fs.writeFileSync(path.join(d, 'version'), 'Directory Transport Version: 1.1\n');
    fs.writeFileSync(path.join(d, 'manifest.json'), JSON.stringify({ schemaVersion: 1, fsLayers: [] }));
    await expectNothingStored(loadImages(ctx, { input: d }), 'invalid manifest.json: it is a Docker schema 1 manifest, which pman does not read; copy the image again with skopeo copy --format v2s2');
    fs.writeFileSync(path.join(d, 'manifest.json'), JSON.stringify({ schemaVersion: 2, manifests: [] }));
    await expectNothingStored(loadImages(ctx, { input: d }), 'invalid manifest.json: it is an image index (several platforms)');
    const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [`sha256:${'2'.repeat(64)}`] } }));
    fs.writeFileSync(path.join(d, sha256(config)), config);
    fs.writeFileSync(path.join(d, 'manifest.json'), JSON.stringify({ schemaVersion: 2, config: { digest: `sha256:${sha256(config)}`, size: 2 }, layers: [{ digest: `sha256:${'1'.repeat(64)}` }] }));
    await expectNothingStored(loadImages(ctx, { input: d }), `the directory lacks the layer sha256:${'1'.repeat(64)} that manifest.json references`);
  });

  it('writes a loaded image\'s layer tars as blobs on demand (for push), with their diff IDs', async () => {
    const built = buildArchive(dir, 'x.tar', 'oci', [twoLayers(['p'], 'zstd')]);
    const [{ record }] = await loadImages(ctx, { input: built.file });
    expect(record.diffIds.map((d) => hasBlob(ctx, d))).toEqual([false, false]);
    await materializeLayerBlobs(ctx, record, [...record.diffIds, `sha256:${'0'.repeat(64)}`]);
    expect(record.diffIds.map((d) => `sha256:${sha256(fs.readFileSync(blobPath(ctx, d)))}`)).toEqual(built.images[0].diffIds);
  });

  it('fails before writing anything for a missing image or an oci-archive of several', async () => {
    expect(() => saveImages(ctx, { refs: ['nope'], format: 'docker-archive', multiImage: false })).toThrow('image "nope" not found in local storage');
    expect(() => saveImages(ctx, { refs: ['a', 'b'], format: 'oci-archive', multiImage: true })).toThrow('unsupported format "oci-archive" for saving multiple images (only docker-archive)');
  });
});
