// ps --sort: created/runningfor keep the listing's newest-first order, size orders by the writable
// layer's bytes (not the "5kB (virtual …)" text, which sorts 10kB before 5kB), the others by text.
import { sortPsRows } from '../../../lib/container/ps-rows.js';

const rows = () => [
  { ID: 'b', Names: 'web', SizeBytes: 10_000, Size: '10kB (virtual 2MB)' },
  { ID: 'a', Names: 'db', SizeBytes: 5_000, Size: '5kB (virtual 2MB)' },
  { ID: 'c', Names: 'app', SizeBytes: 200_000, Size: '200kB (virtual 2MB)' },
];

describe('sortPsRows', () => {
  it('orders by bytes for size, by text for names and ids', () => {
    const bySize = rows();
    sortPsRows(bySize, 'size');
    expect(bySize.map((r) => r.ID)).toEqual(['a', 'b', 'c']);
    const byName = rows();
    sortPsRows(byName, 'names');
    expect(byName.map((r) => r.Names)).toEqual(['app', 'db', 'web']);
  });

  it('keeps the given order for created', () => {
    const r = rows();
    sortPsRows(r, 'created');
    expect(r.map((x) => x.ID)).toEqual(['b', 'a', 'c']);
  });
});
