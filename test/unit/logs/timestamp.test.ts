import { spawnSync } from 'node:child_process';
import { formatTimestamp, formatUtcTimestamp, parseTimestamp, shownTimestamp } from '../../../lib/logs/timestamp.js';

// Jest gives each test file its own copy of process.env, so changing TZ here does not reach
// V8's time zone. Time-zone-dependent checks run in a child node with TZ set.
function inZone(tz: string, nsValues: bigint[]): Array<{ text: string; back: string | null }> {
  const moduleUrl = new URL('../../../lib/logs/timestamp.js', import.meta.url).href;
  const script = `
    const { formatTimestamp, parseTimestamp } = await import(${JSON.stringify(moduleUrl)});
    const out = process.argv.slice(1).map((v) => {
      const text = formatTimestamp(BigInt(v));
      const back = parseTimestamp(text);
      return { text, back: back === null ? null : back.toString() };
    });
    console.log(JSON.stringify(out));`;
  const res = spawnSync(process.execPath, ['--input-type=module', '-e', script, ...nsValues.map(String)], {
    env: { ...process.env, TZ: tz },
    encoding: 'utf8',
  });
  if (res.status !== 0) throw new Error(`child failed: ${res.stderr}`);
  return JSON.parse(res.stdout) as Array<{ text: string; back: string | null }>;
}

const NS = 1_000_000_000n;

describe('formatTimestamp', () => {
  it('writes local time with 9 fractional digits and +00:00 in UTC', () => {
    const [r] = inZone('UTC', [1_700_000_000n * NS + 1n]);
    expect(r!.text).toBe('2023-11-14T22:13:20.000000001+00:00');
  });

  it('writes the wall time and offset of the zone, as conmon does (Berlin in summer is +02:00)', () => {
    const ns = BigInt(Date.parse('2025-05-27T07:58:34Z')) * 1_000_000n + 663_942_371n;
    const [r] = inZone('Europe/Berlin', [ns]);
    expect(r!.text).toBe('2025-05-27T09:58:34.663942371+02:00');
  });

  it('writes negative and half-hour offsets (St Johns, Kolkata)', () => {
    const jan = BigInt(Date.parse('2024-01-15T12:00:00Z')) * 1_000_000n;
    const jul = BigInt(Date.parse('2024-07-15T12:00:00Z')) * 1_000_000n;
    const [winter, summer] = inZone('America/St_Johns', [jan, jul]);
    expect(winter!.text).toBe('2024-01-15T08:30:00.000000000-03:30');
    expect(summer!.text).toBe('2024-07-15T09:30:00.000000000-02:30');
    const [india] = inZone('Asia/Kolkata', [jan]);
    expect(india!.text).toBe('2024-01-15T17:30:00.000000000+05:30');
  });

  it('round-trips through parseTimestamp to the nanosecond in several zones, across DST changes', () => {
    const dstChange = BigInt(Date.parse('2024-03-31T01:00:00Z')) * 1_000_000n; // Berlin springs forward
    const values = [
      0n,
      1n,
      999_999_999n,
      -1n, // before 1970
      -86_400n * NS - 123n,
      dstChange - 1n,
      dstChange,
      dstChange + 1n,
      1_700_000_000_123_456_789n,
      253_402_214_399n * NS + 999_999_999n, // 9999-12-30T23:59:59.999999999Z, a year 9999 date in every zone
    ];
    for (const tz of ['UTC', 'Europe/Berlin', 'America/St_Johns', 'Asia/Kolkata', 'Pacific/Chatham']) {
      const results = inZone(tz, values);
      results.forEach((r, i) => expect({ tz, text: r.text, back: r.back }).toEqual({ tz, text: r.text, back: values[i]!.toString() }));
    }
  });

  it('reuses its cached seconds text only for the same second', () => {
    const a = formatTimestamp(5n * NS + 1n);
    const b = formatTimestamp(6n * NS + 1n);
    expect(parseTimestamp(a)).toBe(5n * NS + 1n);
    expect(parseTimestamp(b)).toBe(6n * NS + 1n);
  });
});

describe('formatUtcTimestamp', () => {
  it('writes UTC with Z and trims trailing zeros of the fraction like Go RFC3339Nano', () => {
    expect(formatUtcTimestamp(1_700_000_000n * NS + 1n)).toBe('2023-11-14T22:13:20.000000001Z');
    expect(formatUtcTimestamp(1_700_000_000n * NS + 660_000_000n)).toBe('2023-11-14T22:13:20.66Z');
    expect(formatUtcTimestamp(1_700_000_000n * NS)).toBe('2023-11-14T22:13:20Z');
    expect(formatUtcTimestamp(-1n)).toBe('1969-12-31T23:59:59.999999999Z');
  });

  it('refuses instants outside the years 0000-9999', () => {
    expect(() => formatUtcTimestamp(253_402_300_800n * NS)).toThrow(RangeError);
  });
});

describe('parseTimestamp', () => {
  it('reads Z, positive and negative offsets, and fractions of any length up to 9 digits', () => {
    expect(parseTimestamp('2023-11-14T22:13:20Z')).toBe(1_700_000_000n * NS);
    expect(parseTimestamp('2023-11-14T22:13:20.5Z')).toBe(1_700_000_000n * NS + 500_000_000n);
    expect(parseTimestamp('2023-11-14T22:13:20.000000001Z')).toBe(1_700_000_000n * NS + 1n);
    expect(parseTimestamp('2023-11-15T00:13:20.000000001+02:00')).toBe(1_700_000_000n * NS + 1n);
    expect(parseTimestamp('2023-11-14T18:43:20.000000001-03:30')).toBe(1_700_000_000n * NS + 1n);
    expect(parseTimestamp('2025-05-27T09:58:34.663942371+02:00')).toBe(1_748_332_714_663_942_371n);
    expect(parseTimestamp('0001-01-01T00:00:00Z')).toBe(-62_135_596_800n * NS);
    expect(parseTimestamp('2024-02-29T00:00:00Z')).toBe(1_709_164_800n * NS);
  });

  it.each([
    ['an empty string', ''],
    ['a missing zone', '2023-11-14T22:13:20.5'],
    ['a 10-digit fraction', '2023-11-14T22:13:20.0000000001Z'],
    ['an empty fraction', '2023-11-14T22:13:20.Z'],
    ['month 13', '2023-13-14T22:13:20Z'],
    ['February 30', '2024-02-30T00:00:00Z'],
    ['February 29 of a common year', '2023-02-29T00:00:00Z'],
    ['hour 24', '2023-11-14T24:00:00Z'],
    ['second 60', '2023-11-14T23:59:60Z'],
    ['offset +24:00', '2023-11-14T22:13:20+24:00'],
    ['a lowercase t', '2023-11-14t22:13:20Z'],
    ['a space instead of T', '2023-11-14 22:13:20Z'],
    ['trailing text', '2023-11-14T22:13:20Zx'],
    ['an offset without colon', '2023-11-14T22:13:20+0200'],
  ])('rejects %s', (_what, text) => {
    expect(parseTimestamp(text)).toBeNull();
  });
});

describe('shownTimestamp', () => {
  it('prints a file\'s timestamp as podman 4.3.1\'s logs -t does: RFC3339Nano, Z for a zero offset', () => {
    expect(shownTimestamp('2026-12-04T16:20:31.130053184+00:00')).toBe('2026-12-04T16:20:31.130053184Z');
    expect(shownTimestamp('2026-12-04T16:20:31.130050000+00:00')).toBe('2026-12-04T16:20:31.13005Z');
    expect(shownTimestamp('2026-12-04T16:20:31.000000000+00:00')).toBe('2026-12-04T16:20:31Z');
  });

  it('keeps another offset, and json-file\'s times (already RFC3339Nano) as they are', () => {
    expect(shownTimestamp('2025-05-27T09:58:34.663942300+02:00')).toBe('2025-05-27T09:58:34.6639423+02:00');
    expect(shownTimestamp('2025-05-27T07:58:34.6639423Z')).toBe('2025-05-27T07:58:34.6639423Z');
    expect(shownTimestamp('not a time')).toBe('not a time');
  });
});
