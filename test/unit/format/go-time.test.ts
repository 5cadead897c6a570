import { GoTime, goTime, rfc3339Nano, rfc3339ToNs, ZERO_TIME } from '../../../lib/format/go-time.js';
import { renderTemplate } from '../../../lib/format/template.js';

const NS = 1_000_000_000n;
// 2026-12-04T16:01:53Z
const T = 1_796_400_113n * NS;

describe('GoTime', () => {
  it('prints Go time.Time String() form with the fraction\'s trailing zeros dropped (podman 4.3.1 templates)', () => {
    expect(String(new GoTime(T + 123_456_789n))).toBe('2026-12-04 16:01:53.123456789 +0000 UTC');
    expect(String(new GoTime(T + 410_000_000n))).toBe('2026-12-04 16:01:53.41 +0000 UTC');
    expect(String(new GoTime(T))).toBe('2026-12-04 16:01:53 +0000 UTC');
  });

  it('writes RFC3339Nano in JSON: the same digits, Z for UTC', () => {
    expect(JSON.stringify({ t: new GoTime(T + 123_456_789n) })).toBe('{"t":"2026-12-04T16:01:53.123456789Z"}');
    expect(JSON.stringify(new GoTime(T + 30_000_000n))).toBe('"2026-12-04T16:01:53.03Z"');
    expect(rfc3339Nano(T)).toBe('2026-12-04T16:01:53Z');
  });

  it('prints the zero time as Go does', () => {
    expect(String(ZERO_TIME)).toBe('0001-01-01 00:00:00 +0000 UTC');
    expect(JSON.stringify(ZERO_TIME)).toBe('"0001-01-01T00:00:00Z"');
    expect(String(goTime('0001-01-01T00:00:00Z'))).toBe('0001-01-01 00:00:00 +0000 UTC');
  });

  it('reads RFC 3339 text, keeping nanoseconds and a non-zero offset as Go\'s time.Parse does', () => {
    expect(rfc3339ToNs('2026-12-04T16:01:53.5Z')).toBe(T + 500_000_000n);
    expect(rfc3339ToNs('2026-12-04T18:01:53.000000001+02:00')).toBe(T + 1n);
    const t = goTime('2026-12-04T18:01:53.120+02:00');
    expect(String(t)).toBe('2026-12-04 18:01:53.12 +0200 +0200');
    expect(JSON.stringify(t)).toBe('"2026-12-04T18:01:53.12+02:00"');
    expect(String(goTime('2026-12-04T16:01:53+00:00'))).toBe('2026-12-04 16:01:53 +0000 UTC');
  });

  it('leaves text that is no RFC 3339 time as it is', () => {
    expect(goTime('')).toBe('');
    expect(goTime('yesterday')).toBe('yesterday');
    expect(rfc3339ToNs('2026-12-04 16:01:53Z')).toBeNull();
  });

  it('prints through templates as a time.Time: an action, printf %s and %v, json', () => {
    const doc = { Created: new GoTime(T + 5n) };
    expect(renderTemplate('{{.Created}}|{{printf "%s %v" .Created .Created}}|{{json .Created}}', doc)).toBe(
      '2026-12-04 16:01:53.000000005 +0000 UTC|2026-12-04 16:01:53.000000005 +0000 UTC 2026-12-04 16:01:53.000000005 +0000 UTC|"2026-12-04T16:01:53.000000005Z"',
    );
    expect(renderTemplate('{{printf "%d" .Created}}', doc)).toBe('%!d(time.Time=2026-12-04 16:01:53.000000005 +0000 UTC)');
  });
});
