// The pick every bridge network makes (lib/network/next-address.ts): the first free address after
// the last one given, wrapping around, so an address given back is the last to be given again.
import { nextFreeAfter } from '../../../lib/network/next-address.js';

const freeExcept = (...taken: number[]) => (n: bigint) => !taken.includes(Number(n));

describe('nextFreeAfter', () => {
  it('starts at the first address when none was given yet, or the last one given is outside the range', () => {
    expect(nextFreeAfter(2n, 6n, undefined, freeExcept())).toBe(2n);
    expect(nextFreeAfter(2n, 6n, 1n, freeExcept())).toBe(2n);
    expect(nextFreeAfter(2n, 6n, 99n, freeExcept(2))).toBe(3n);
  });

  it('gives the first free address after the last one given, not a free one before it', () => {
    expect(nextFreeAfter(2n, 6n, 3n, freeExcept())).toBe(4n);
    expect(nextFreeAfter(2n, 6n, 3n, freeExcept(4, 5))).toBe(6n);
  });

  it('wraps around past the end, and says undefined when every address is taken', () => {
    expect(nextFreeAfter(2n, 6n, 6n, freeExcept())).toBe(2n);
    expect(nextFreeAfter(2n, 6n, 5n, freeExcept(6, 2))).toBe(3n);
    expect(nextFreeAfter(2n, 6n, 4n, freeExcept(2, 3, 4, 5, 6))).toBeUndefined();
    expect(nextFreeAfter(2n, 2n, 2n, freeExcept())).toBe(2n);
  });

  it('works on IPv6-sized ranges without walking them', () => {
    const last = (1n << 64n) - 2n;
    expect(nextFreeAfter(1n, last, last, freeExcept(1))).toBe(2n);
  });
});
