import type { ImageRecord } from '../../../lib/image/image-record.js';
import { withNames } from '../../../lib/image/records.js';
import { imageJson, imageRows } from '../../../lib/image/view.js';

function image(names: string[]): ImageRecord {
  return { id: 'f'.repeat(64), names, digest: `sha256:${'e'.repeat(64)}`, created: '2024-01-01T00:00:30.5Z', size: 1987655, architecture: 'amd64', os: 'linux', config: {}, layers: [], diffIds: [] };
}

describe('image rows', () => {
  it('makes one row per name and a <none> row for an untagged image', () => {
    const now = Date.parse('2024-01-01T00:02:31Z');
    const rows = imageRows([image(['localhost/a:1', 'localhost/b:latest']), image([])], { noTrunc: false, now });
    expect(rows.map((r) => [r.Repository, r.Tag, r.ID])).toEqual([
      ['localhost/a', '1', 'ffffffffffff'],
      ['localhost/b', 'latest', 'ffffffffffff'],
      ['<none>', '<none>', 'ffffffffffff'],
    ]);
    expect(rows[0].CreatedSince).toBe('2 minutes ago');
    expect(rows[0].CreatedAt.toISOString()).toBe('2024-01-01T00:00:30.000Z');
    expect(rows[0].Size).toBe('1.99 MB');
  });

  it('shows the full sha256: ID with --no-trunc', () => {
    expect(imageRows([image([])], { noTrunc: true })[0].ID).toBe(`sha256:${'f'.repeat(64)}`);
  });

  it('keeps every name the image had, newest first, as podman\'s names history (checked side by side)', () => {
    // import busybox; tag busybox extra:1; tag busybox third:2; untag busybox extra:1
    let rec = image(['localhost/busybox:latest']);
    rec = withNames(rec, [...rec.names, 'localhost/extra:1']);
    rec = withNames(rec, [...rec.names, 'localhost/third:2']);
    rec = withNames(rec, rec.names.filter((n) => n !== 'localhost/extra:1'));
    const want = ['localhost/third:2', 'localhost/busybox:latest', 'localhost/extra:1'];
    expect(rec.namesHistory).toEqual(want);
    expect(imageJson(rec).History).toEqual(want);
    const rows = imageRows([rec], { noTrunc: false });
    expect(rows.map((r) => [r.Tag, r.History, r.ReadOnly])).toEqual([
      ['latest', want.join(', '), false],
      ['2', want.join(', '), false],
    ]);
    // A record made before the history was kept: its names, newest first.
    expect(imageJson(image(['localhost/a:1', 'localhost/b:2'])).History).toEqual(['localhost/b:2', 'localhost/a:1']);
  });
});
