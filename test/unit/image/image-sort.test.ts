import fs from 'node:fs';
import path from 'node:path';
import { createContext, type Context } from '../../../lib/context.js';
import type { ImageRecord } from '../../../lib/image/image-record.js';
import { sortImageRows } from '../../../lib/image/image-sort.js';
import { blobPath } from '../../../lib/image/layout.js';
import { imageRows } from '../../../lib/image/view.js';
import { TempDirs } from '../archive/fixtures.js';

const temp = new TempDirs();
let ctx: Context;

beforeEach(() => {
  const dir = temp.make('pman-image-sort-');
  ctx = createContext({ root: path.join(dir, 'root'), runroot: path.join(dir, 'run'), env: {}, logLevel: 'error' });
});
afterEach(() => temp.cleanup());

/** An image whose config blob arrived in the store at `arrived` (seconds). */
function image(hex: string, names: string[], created: string, arrived: number, size = 100): ImageRecord {
  const id = hex.repeat(64);
  const blob = blobPath(ctx, `sha256:${id}`);
  fs.mkdirSync(path.dirname(blob), { recursive: true });
  fs.writeFileSync(blob, '{}');
  fs.utimesSync(blob, arrived, arrived);
  return { id, names, digest: `sha256:${'e'.repeat(64)}`, created, size, architecture: 'amd64', os: 'linux', config: {}, layers: [], diffIds: [] };
}

const names = (images: ImageRecord[], key: string) => sortImageRows(ctx, imageRows(images, { noTrunc: false }), key, images).map((r) => `${r.Repository.slice(10)}:${r.Tag}`);

describe('images --sort, as podman 4.3.1 orders its rows', () => {
  // Given newest first, as the store's listing is; the older image arrived first (pulled, then
  // the newer one built), so podman's store lists it first.
  let images: ImageRecord[];
  beforeEach(() => {
    const older = image('a', ['localhost/a:3', 'localhost/a:1', 'localhost/b:x', 'localhost/a:V1'], '2020-01-01T00:00:00Z', 2000, 200);
    const newer = image('0', ['localhost/m:1', 'localhost/a:2', 'localhost/a-b:1', 'localhost/a.b:1', 'localhost/a:Z'], '2024-01-01T00:00:00Z', 3000, 200);
    images = [newer, older];
  });

  it('repository and tag: Go\'s byte order (Z before x), equal keys in the order the images arrived in, each image\'s names in their order', () => {
    expect(names(images, 'repository')).toEqual(['a:3', 'a:1', 'a:V1', 'a:2', 'a:Z', 'a-b:1', 'a.b:1', 'b:x', 'm:1']);
    expect(names(images, 'tag')).toEqual(['a:1', 'm:1', 'a-b:1', 'a.b:1', 'a:2', 'a:3', 'a:V1', 'a:Z', 'b:x']);
  });

  it('created: newest first; id and size: ascending, equal sizes in arrival order', () => {
    expect(names(images, 'created').slice(0, 6)).toEqual(['m:1', 'a:2', 'a-b:1', 'a.b:1', 'a:Z', 'a:3']);
    expect(names(images, 'id')[0]).toBe('m:1');
    expect(names(images, 'size')[0]).toBe('a:3');
    images[1] = { ...images[1], size: 300 };
    expect(names(images, 'size')[0]).toBe('m:1');
  });
});
