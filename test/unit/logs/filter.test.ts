import { InvalidArgumentError } from '../../../lib/errors.js';
import { parseTail, parseTimeFilter } from '../../../lib/logs/filter.js';

const NOW = new Date('2024-06-01T12:00:00.000Z');
const NOW_NS = 1_717_243_200_000_000_000n;
const S = 1_000_000_000n;
const localNs = (...args: [number, number, number, number?, number?, number?]) =>
  BigInt(new Date(args[0], args[1] - 1, args[2], args[3] ?? 0, args[4] ?? 0, args[5] ?? 0).getTime()) * 1_000_000n;

describe('parseTimeFilter', () => {
  it('reads RFC3339 and RFC3339Nano with Z or an offset', () => {
    expect(parseTimeFilter('2023-11-14T22:13:20Z', NOW, 'since')).toBe(1_700_000_000n * S);
    expect(parseTimeFilter('2023-11-14T22:13:20.123456789Z', NOW, 'since')).toBe(1_700_000_000n * S + 123_456_789n);
    expect(parseTimeFilter('2023-11-15T00:13:20+02:00', NOW, 'until')).toBe(1_700_000_000n * S);
    expect(parseTimeFilter('2023-11-14T18:43:20.5-03:30', NOW, 'until')).toBe(1_700_000_000n * S + 500_000_000n);
  });

  it('reads what `date --iso-8601=ns` prints: a comma before the fraction', () => {
    expect(parseTimeFilter('2023-11-14T22:13:20,123456789+00:00', NOW, 'since')).toBe(1_700_000_000n * S + 123_456_789n);
    expect(parseTimeFilter('2023-11-15T00:13:20,5+02:00', NOW, 'until')).toBe(1_700_000_000n * S + 500_000_000n);
    expect(() => parseTimeFilter('2023-11-14,5', NOW, 'since')).toThrow('invalid --since value "2023-11-14,5"');
  });

  it('reads a date as local midnight', () => {
    expect(parseTimeFilter('2024-01-02', NOW, 'since')).toBe(localNs(2024, 1, 2));
  });

  it('reads a date with a zone as midnight in that zone', () => {
    expect(parseTimeFilter('2024-01-02Z', NOW, 'since')).toBe(1_704_153_600n * S);
    expect(parseTimeFilter('2024-01-02+01:00', NOW, 'since')).toBe(1_704_153_600n * S - 3600n * S);
  });

  it('reads a date and time without zone as local time, with an optional fraction', () => {
    expect(parseTimeFilter('2024-01-02T15:04:05', NOW, 'since')).toBe(localNs(2024, 1, 2, 15, 4, 5));
    expect(parseTimeFilter('2024-01-02T15:04:05.000000007', NOW, 'since')).toBe(localNs(2024, 1, 2, 15, 4, 5) + 7n);
  });

  it('reads Unix seconds with an optional fraction, to the nanosecond', () => {
    expect(parseTimeFilter('1700000000', NOW, 'since')).toBe(1_700_000_000n * S);
    expect(parseTimeFilter('1700000000.5', NOW, 'since')).toBe(1_700_000_000_500_000_000n);
    expect(parseTimeFilter('1700000000.000000001', NOW, 'until')).toBe(1_700_000_000_000_000_001n);
    expect(parseTimeFilter('1700000000.1234567899', NOW, 'until')).toBe(1_700_000_000_123_456_789n);
    expect(parseTimeFilter('0', NOW, 'since')).toBe(0n);
  });

  it('reads a duration as now minus it for --since', () => {
    expect(parseTimeFilter('10m', NOW, 'since')).toBe(NOW_NS - 600n * S);
    expect(parseTimeFilter('1h30m', NOW, 'since')).toBe(NOW_NS - 5400n * S);
    expect(parseTimeFilter('1.5h', NOW, 'since')).toBe(NOW_NS - 5400n * S);
    expect(parseTimeFilter('300ms', NOW, 'since')).toBe(NOW_NS - 300_000_000n);
    expect(parseTimeFilter('2s', NOW, 'since')).toBe(NOW_NS - 2n * S);
  });

  it('reads a duration as now plus it for --until, as podman does', () => {
    expect(parseTimeFilter('10m', NOW, 'until')).toBe(NOW_NS + 600n * S);
    expect(parseTimeFilter('2s', NOW, 'until')).toBe(NOW_NS + 2n * S);
  });

  it.each([
    ['abc'],
    [''],
    [' 10m'],
    ['10 m'],
    ['10x'],
    ['1h30'],
    ['h'],
    ['.s'],
    ['1.5.5h'],
    ['2024-13-01'],
    ['2024-02-30'],
    ['2024-01-02T25:00:00Z'],
    ['2024-01-02T15:04'],
    ['1700000000.'],
    ['-1700000000'],
    ['1e9'],
    ['3000000h'],
  ])('rejects %j with an InvalidArgumentError naming the flag', (value) => {
    expect(() => parseTimeFilter(value, NOW, 'since')).toThrow(InvalidArgumentError);
  });

  it('explains the accepted forms in a one-line message', () => {
    expect(() => parseTimeFilter('abc', NOW, 'until')).toThrow(
      'invalid --until value "abc": use an RFC3339 time, a date, Unix seconds or a duration like 10m',
    );
    expect(() => parseTimeFilter('a\nb', NOW, 'since')).toThrow('invalid --since value "a\\nb": ');
  });
});

describe('parseTail', () => {
  it('reads -1 as all lines and other values as a line count', () => {
    expect(parseTail('-1')).toBe(-1);
    expect(parseTail('0')).toBe(0);
    expect(parseTail('10')).toBe(10);
    expect(parseTail('007')).toBe(7);
  });

  it.each([['-2'], ['1.5'], ['abc'], [''], [' 5'], ['+5'], ['5 ']])('rejects %j with a message naming --tail', (value) => {
    expect(() => parseTail(value)).toThrow(InvalidArgumentError);
    expect(() => parseTail(value)).toThrow(`invalid --tail value ${JSON.stringify(value)}: `);
  });
});
