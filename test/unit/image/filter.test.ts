import { createContext } from '../../../lib/context.js';
import { filterImages, globToRegExp, referenceMatches } from '../../../lib/image/filter.js';
import type { ImageRecord } from '../../../lib/image/image-record.js';

const ctx = createContext({ root: '/nonexistent/pman-root', runroot: '/nonexistent/pman-run', env: {} });

function image(idChar: string, names: string[], created: string, labels?: Record<string, string>): ImageRecord {
  return { id: idChar.repeat(64), names, digest: `sha256:${idChar.repeat(64)}`, created, size: 1, architecture: 'amd64', os: 'linux', config: { Labels: labels }, layers: [], diffIds: [] };
}

const old = image('a', ['localhost/busybox:latest'], '2024-01-01T00:00:00Z', { tier: 'base' });
const mid = image('b', ['docker.io/library/alpine:3.19'], '2024-02-01T00:00:00Z', { tier: 'app', team: 'x' });
const none = image('c', [], '2024-03-01T00:00:00Z');
const all = [none, mid, old];

describe('image filters', () => {
  it('matches globs that do not cross "/"', () => {
    expect(globToRegExp('busy*').test('busybox')).toBe(true);
    expect(globToRegExp('*box').test('library/busybox')).toBe(false);
    expect(globToRegExp('b[uv]sy?ox').test('busybox')).toBe(true);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
  });

  it('matches a reference against the full name and its shorter forms', () => {
    expect(referenceMatches(globToRegExp('busybox'), 'localhost/busybox:latest')).toBe(true);
    expect(referenceMatches(globToRegExp('busybox:latest'), 'localhost/busybox:latest')).toBe(true);
    expect(referenceMatches(globToRegExp('localhost/*'), 'localhost/busybox:latest')).toBe(true);
    expect(referenceMatches(globToRegExp('alp*:3.*'), 'docker.io/library/alpine:3.19')).toBe(true);
    expect(referenceMatches(globToRegExp('box'), 'localhost/busybox:latest')).toBe(false);
  });

  it('filters dangling images in and out', () => {
    expect(filterImages(ctx, all, ['dangling=true'])).toEqual([none]);
    expect(filterImages(ctx, all, ['dangling=false'])).toEqual([mid, old]);
  });

  it('counts an untagged image another image descends from as intermediate, not dangling', () => {
    const step = image('d', [], '2024-04-01T00:00:00Z');
    const built = { ...image('e', ['localhost/app:latest'], '2024-04-02T00:00:00Z'), parent: step.id };
    const withBuild = [built, step, none, mid, old];
    expect(filterImages(ctx, withBuild, ['dangling=true'])).toEqual([none]);
    expect(filterImages(ctx, withBuild, ['intermediate=true'])).toEqual([step]);
    expect(filterImages(ctx, withBuild, ['intermediate=false'])).toEqual([built, none, mid, old]);
  });

  it('ORs several reference filters and ANDs the rest', () => {
    expect(filterImages(ctx, all, ['reference=busybox', 'reference=alpine'])).toEqual([mid, old]);
    expect(filterImages(ctx, all, ['reference=busybox', 'label=tier=app'])).toEqual([]);
  });

  it('filters by label key or key=value', () => {
    expect(filterImages(ctx, all, ['label=tier'])).toEqual([mid, old]);
    expect(filterImages(ctx, all, ['label=tier=base'])).toEqual([old]);
    expect(filterImages(ctx, all, ['label=team', 'label=tier=app'])).toEqual([mid]);
  });

  it('filters by creation relative to another image, and by ID prefix', () => {
    expect(filterImages(ctx, all, ['before=alpine:3.19'])).toEqual([old]);
    expect(filterImages(ctx, all, ['since=busybox'])).toEqual([none, mid]);
    expect(filterImages(ctx, all, ['id=bbb'])).toEqual([mid]);
  });

  it('filters by until= a time, and readonly= (no image of pman\'s store is read-only), as podman 4.3.1', () => {
    expect(filterImages(ctx, all, ['until=2024-01-15T00:00:00Z'])).toEqual([old]);
    expect(filterImages(ctx, all, ['until=1706745600'])).toEqual([old]); // 2024-02-01: strictly before
    expect(filterImages(ctx, all, ['readonly=false'])).toEqual(all);
    expect(filterImages(ctx, all, ['readonly=true'])).toEqual([]);
    expect(() => filterImages(ctx, all, ['until=whenever'])).toThrow(/^invalid until filter "whenever"/);
  });

  it('rejects unknown filters and filters without a value', () => {
    expect(() => filterImages(ctx, all, ['color=red'])).toThrow('invalid filter "color=red": supported filters are dangling=, intermediate=, reference=, label=, before=, since=, id=, until=, readonly=');
    expect(() => filterImages(ctx, all, ['dangling'])).toThrow('invalid filter "dangling": it needs a value (dangling=VALUE)');
    expect(() => filterImages(ctx, all, ['dangling=maybe'])).toThrow('invalid filter "dangling=maybe": the value must be true or false');
  });
});
