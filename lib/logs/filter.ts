// Parses the values of `pman logs --since/--until/--tail`. Time values take the forms podman
// accepts (RFC3339, dates, Unix seconds, Go durations) and become ns instants to compare with
// LogRecord.time.
import { InvalidArgumentError } from '../errors.js';
import { parseGoDuration } from '../format/duration.js';
import { civilToSeconds, dateToNs, fractionToNs, parseTimestamp } from './timestamp.js';

const NS_PER_SEC = 1_000_000_000n;

/**
 * Turns a --since or --until value into ns since the epoch. Accepted, in this order:
 * RFC3339 with Z or an offset (`2024-01-02T15:04:05.5+01:00`); a date with a zone
 * (`2024-01-02Z`, `2024-01-02+01:00`); a local date or local date and time (`2024-01-02`,
 * `2024-01-02T15:04:05[.fraction]`); Unix seconds with an optional fraction (`1700000000.5`);
 * a Go duration (`10m`, `1h30m`, `1.5h`, `300ms`), which means now − d for since and now + d for
 * until, as in podman. A comma before the fraction (`date --iso-8601=ns`) is read as a point.
 */
export function parseTimeFilter(value0: string, now: Date, kind: 'since' | 'until'): bigint {
  // `date --iso-8601=ns` writes a comma before the fraction (ISO 8601 allows either): read it as a point.
  const value = value0.replace(/^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}),(\d+)/, '$1.$2');
  const instant = parseTimestamp(value) ?? parseDateWithZone(value) ?? parseLocal(value) ?? parseUnixSeconds(value);
  if (instant !== null) return instant;
  const duration = parseGoDuration(value);
  if (duration !== null) return kind === 'since' ? dateToNs(now) - duration : dateToNs(now) + duration;
  throw new InvalidArgumentError(
    `invalid --${kind} value ${JSON.stringify(value0)}: use an RFC3339 time, a date, Unix seconds or a duration like 10m`,
  );
}

/** `--tail`: -1 for all lines, otherwise a non-negative number of lines. */
export function parseTail(value: string): number {
  if (value === '-1') return -1;
  if (/^\d+$/.test(value)) return Number(value);
  throw new InvalidArgumentError(`invalid --tail value ${JSON.stringify(value)}: use a number of lines, or -1 for all`);
}

function parseDateWithZone(value: string): bigint | null {
  const m = /^(\d{4}-\d{2}-\d{2})(Z|[+-]\d{2}:\d{2})$/.exec(value);
  return m === null ? null : parseTimestamp(`${m[1]}T00:00:00${m[2]}`);
}

// A date, or a date and time, without a zone: local time, as a user reading a local clock means it.
function parseLocal(value: string): bigint | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?)?$/.exec(value);
  if (m === null) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number) as [
    number, number, number, number, number, number,
  ];
  if (civilToSeconds(year, month, day, hour, minute, second) === null) return null;
  const local = new Date(2000, 0, 1);
  local.setFullYear(year, month - 1, day); // the Date constructor maps years 0-99 to 19xx
  local.setHours(hour, minute, second, 0);
  return dateToNs(local) + fractionToNs(m[7]);
}

function parseUnixSeconds(value: string): bigint | null {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(value);
  return m === null ? null : BigInt(m[1]!) * NS_PER_SEC + fractionToNs(m[2]);
}
