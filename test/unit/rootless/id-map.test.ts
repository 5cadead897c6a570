import { mappedCount } from '../../../lib/rootless/id-map.js';

describe('ID map parsing', () => {
  it('counts the IDs of every line of a map', () => {
    expect(mappedCount('         0       1001          1\n         1     300000      65536\n')).toBe(65537);
  });

  it('counts a single mapping as one ID and an empty map as none', () => {
    expect(mappedCount('0 1002 1\n')).toBe(1);
    expect(mappedCount('')).toBe(0);
  });
});
