import { randomBytes, randomInt } from '../../../lib/util/random.js';
import { newId, ID_RE } from '../../../lib/state/ids.js';

describe('random', () => {
  it('gives the bytes asked for, different each time', () => {
    const a = randomBytes(32);
    const b = randomBytes(32);
    expect(a).toHaveLength(32);
    expect(a.equals(b)).toBe(false);
    expect(randomBytes(0)).toHaveLength(0);
  });

  it('draws integers in range, every value reachable', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = randomInt(7);
      expect(Number.isInteger(v) && v >= 0 && v < 7).toBe(true);
      seen.add(v);
    }
    expect(seen.size).toBe(7);
    expect(randomInt(1)).toBe(0);
    expect(() => randomInt(0)).toThrow(RangeError);
    expect(() => randomInt(2 ** 33)).toThrow(RangeError);
  });

  it('makes container ids of 64 hex characters', () => {
    const ids = new Set(Array.from({ length: 50 }, () => newId()));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(ID_RE);
  });
});
