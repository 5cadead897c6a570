import { goDuration, parseGoDuration } from '../../../lib/format/duration.js';

const S = 1_000_000_000n;

describe('parseGoDuration', () => {
  it.each([
    ['0', 0n],
    ['1ns', 1n],
    ['1us', 1_000n],
    ['1µs', 1_000n],
    ['1μs', 1_000n],
    ['1.5ms', 1_500_000n],
    ['.5s', 500_000_000n],
    ['5.s', 5n * S],
    ['10m', 600n * S],
    ['1h30m', 5400n * S],
    ['1.5h', 5400n * S],
    ['1h2m3s4ms5us6ns', 3723n * S + 4_005_006n],
    ['-1m', -60n * S],
    ['+1m', 60n * S],
    ['2562047h', 2_562_047n * 3600n * S],
  ])('reads %s', (text, ns) => {
    expect(parseGoDuration(text)).toBe(ns);
  });

  it.each([[''], ['-'], ['1'], ['1d'], ['m'], ['1m1'], ['1h30'], [' 10m'], ['10 m'], ['1.5.5h'], ['2562048h']])('rejects %j', (text) => {
    expect(parseGoDuration(text)).toBeNull();
  });
});

describe('goDuration', () => {
  it('prints nanoseconds the way Go prints a time.Duration', () => {
    expect(goDuration(0)).toBe('0s');
    expect(goDuration(999)).toBe('999ns');
    expect(goDuration(1500)).toBe('1.5µs');
    expect(goDuration(31_281_901)).toBe('31.281901ms');
    expect(goDuration(2_351_624_224)).toBe('2.351624224s');
    expect(goDuration(62.5e9)).toBe('1m2.5s');
    expect(goDuration(3600e9)).toBe('1h0m0s');
    expect(goDuration(-2e9)).toBe('-2s');
  });

  it('prints what parseGoDuration reads back to the same value', () => {
    for (const ns of [1, 1500, 31_281_901, 2_351_624_224, 62.5e9, 5400e9]) expect(parseGoDuration(goDuration(ns))).toBe(BigInt(ns));
  });
});
