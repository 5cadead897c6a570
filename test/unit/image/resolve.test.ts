import { createContext } from '../../../lib/context.js';
import type { ImageRecord } from '../../../lib/image/image-record.js';
import { lookupImage } from '../../../lib/image/resolve.js';

const ctx = createContext({ root: '/nonexistent/pman-root', runroot: '/nonexistent/pman-run', env: {} });

function image(idChar: string, names: string[], digestChar = idChar): ImageRecord {
  return {
    id: idChar.repeat(64),
    names,
    digest: `sha256:${digestChar.repeat(64)}`,
    created: '2024-01-01T00:00:00Z',
    size: 1,
    architecture: 'amd64',
    os: 'linux',
    config: {},
    layers: [],
    diffIds: [],
  };
}

const local = image('a', ['localhost/busybox:latest']);
const hub = image('b', ['docker.io/library/busybox:latest', 'docker.io/library/alpine:3.19']);
const registry = image('c', ['127.0.0.1:5000/tools/kit:latest', '127.0.0.1:5000/busybox:1']);
const dangling = image('d', []);
const prefixTwin = { ...image('d', []), id: `ddd${'e'.repeat(61)}` };
const all = [local, hub, registry, dangling];

describe('image lookup', () => {
  it('tries localhost/ first for a short name', () => {
    expect(lookupImage(ctx, 'busybox', all)).toEqual({ image: local, name: 'localhost/busybox:latest' });
  });

  it('falls back to docker.io/library for a short name', () => {
    expect(lookupImage(ctx, 'busybox', [hub, registry]).image).toBe(hub);
    expect(lookupImage(ctx, 'alpine:3.19', all)).toEqual({ image: hub, name: 'docker.io/library/alpine:3.19' });
  });

  it('then matches any repository ending in /NAME with the same tag', () => {
    expect(lookupImage(ctx, 'kit', all)).toEqual({ image: registry, name: '127.0.0.1:5000/tools/kit:latest' });
    expect(lookupImage(ctx, 'tools/kit', all).image).toBe(registry);
    expect(lookupImage(ctx, 'busybox:1', all).image).toBe(registry);
  });

  it('refuses a short name that matches different images by suffix', () => {
    const other = image('f', ['quay.io/x/kit:latest']);
    expect(() => lookupImage(ctx, 'kit', [registry, other])).toThrow('short name "kit" matches several images (127.0.0.1:5000/tools/kit:latest, quay.io/x/kit:latest): use the full name');
  });

  it('matches a fully qualified name exactly and nothing else', () => {
    expect(lookupImage(ctx, '127.0.0.1:5000/tools/kit', all).image).toBe(registry);
    expect(() => lookupImage(ctx, 'quay.io/busybox', all)).toThrow('image "quay.io/busybox" not found in local storage: import, load or pull it first');
  });

  it('finds an image by full ID, sha256:ID, manifest digest and NAME@digest', () => {
    expect(lookupImage(ctx, 'c'.repeat(64), all)).toEqual({ image: registry });
    expect(lookupImage(ctx, `sha256:${'a'.repeat(64)}`, all).image).toBe(local);
    const withDigest = image('9', ['localhost/app:v1'], '8');
    expect(lookupImage(ctx, `sha256:${'8'.repeat(64)}`, [withDigest]).image).toBe(withDigest);
    expect(lookupImage(ctx, `app@sha256:${'8'.repeat(64)}`, [withDigest]).image).toBe(withDigest);
    expect(() => lookupImage(ctx, `app@sha256:${'7'.repeat(64)}`, [withDigest])).toThrow(/not found/);
  });

  it('finds an image by a unique ID prefix of at least 3 digits', () => {
    expect(lookupImage(ctx, 'ccc', all)).toEqual({ image: registry });
    expect(() => lookupImage(ctx, 'cc', all)).toThrow('image "cc" not found in local storage: import, load or pull it first');
  });

  it('refuses an ambiguous ID prefix, listing the candidates', () => {
    expect(() => lookupImage(ctx, 'ddd', [dangling, prefixTwin])).toThrow('image ID prefix "ddd" is ambiguous: it matches 2 images (dddddddddddd, dddeeeeeeeee); give more digits');
  });

  it('prefers a name over an ID prefix that spells the same', () => {
    const named = image('1', ['localhost/ccc:latest']);
    expect(lookupImage(ctx, 'ccc', [registry, named]).image).toBe(named);
  });

  it('explains an invalid reference instead of saying not found', () => {
    expect(() => lookupImage(ctx, 'Bad', all)).toThrow('invalid image reference "Bad": repository name must be lowercase');
  });
});
