// Log timestamps are nanosecond instants (bigint ns since the epoch). On disk they are RFC3339
// text; Date only has millisecond precision, so the fraction is carried separately as a bigint.
// Shared by the k8s-file and json-file formats and by the --since/--until parser.

const NS_PER_SEC = 1_000_000_000n;
const NS_PER_MS = 1_000_000n;

/** Nanoseconds since the epoch for a Date (millisecond precision). */
export function dateToNs(date: Date): bigint {
  return BigInt(date.getTime()) * NS_PER_MS;
}

/**
 * `2025-05-27T09:58:34.663942371+02:00`: local wall time, always 9 fractional digits and a numeric
 * offset (also `+00:00` for UTC), the way conmon writes k8s-file logs. The offset is taken in whole
 * minutes and the wall time derived from it, so parseTimestamp(formatTimestamp(t)) === t always.
 */
export function formatTimestamp(ns: bigint): string {
  const [sec, frac] = split(ns);
  const offsetMinutes = -Math.round(new Date(sec * 1000).getTimezoneOffset()) || 0;
  // The shim stamps many chunks per second: reuse the text up to the seconds. Keyed on the offset
  // too, so a change of TZ within the process is never served stale text.
  if (sec !== cached.sec || offsetMinutes !== cached.offsetMinutes) {
    const abs = Math.abs(offsetMinutes);
    cached = {
      sec,
      offsetMinutes,
      prefix: wallClock(sec, offsetMinutes) + '.',
      zone: `${offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`,
    };
  }
  return cached.prefix + pad(frac, 9) + cached.zone;
}

let cached = { sec: NaN, offsetMinutes: NaN, prefix: '', zone: '' };

/** `2025-05-27T07:58:34.663942371Z`: UTC with trailing zeros of the fraction trimmed (Go's RFC3339Nano, as docker writes). */
export function formatUtcTimestamp(ns: bigint): string {
  const [sec, frac] = split(ns);
  const fraction = frac === 0 ? '' : '.' + pad(frac, 9).replace(/0+$/, '');
  return `${wallClock(sec, 0)}${fraction}Z`;
}

/**
 * How `logs --timestamps` shows a timestamp of the file: as podman 4.3.1 prints it, in Go's
 * RFC3339Nano at the offset it was written with: trailing zeros of the fraction dropped (and the
 * dot with them), a zero offset as `Z` (`2026-12-04T16:20:31.13005318Z`). Never longer than text.
 */
export function shownTimestamp(text: string): string {
  const m = SHOWN.exec(text);
  if (m === null) return text;
  const frac = (m[2] ?? '').replace(/\.?0+$/, '');
  const zone = m[3] === '+00:00' || m[3] === '-00:00' ? 'Z' : m[3];
  return `${m[1]}${frac}${zone}`;
}

const SHOWN = /^(.*T\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

// Whole seconds and nanoseconds as numbers (seconds since the epoch fit a double exactly).
function split(ns: bigint): [number, number] {
  let sec = Number(ns / NS_PER_SEC);
  let frac = Number(ns % NS_PER_SEC);
  if (frac < 0) {
    sec -= 1;
    frac += 1_000_000_000;
  }
  return [sec, frac];
}

// `YYYY-MM-DDTHH:MM:SS` of the instant `sec` seen at UTC+offsetMinutes.
function wallClock(sec: number, offsetMinutes: number): string {
  const wall = new Date(sec * 1000 + offsetMinutes * 60_000);
  const year = wall.getUTCFullYear();
  if (!(year >= 0 && year <= 9999)) throw new RangeError(`cannot format timestamp ${sec}s: year outside 0000-9999`);
  return (
    `${pad(year, 4)}-${pad(wall.getUTCMonth() + 1, 2)}-${pad(wall.getUTCDate(), 2)}` +
    `T${pad(wall.getUTCHours(), 2)}:${pad(wall.getUTCMinutes(), 2)}:${pad(wall.getUTCSeconds(), 2)}`
  );
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/**
 * Parses RFC3339 with an optional fraction of 1 to 9 digits and `Z` or a `±HH:MM` offset
 * (what Go parses with RFC3339Nano). Returns ns since the epoch, or null if the text is not such a
 * timestamp or names an impossible date or time.
 */
export function parseTimestamp(s: string): bigint | null {
  // A reader sees runs of lines with the same text (one shim chunk shares one timestamp).
  if (s === lastParsed.text) return lastParsed.ns;
  const ns = parseUncached(s);
  lastParsed = { text: s, ns };
  return ns;
}

let lastParsed: { text: string; ns: bigint | null } = { text: '', ns: null };

function parseUncached(s: string): bigint | null {
  const m = RFC3339.exec(s);
  if (m === null) return null;
  let offsetMinutes = 0;
  if (m[8] !== undefined) {
    const oh = Number(m[9]);
    const om = Number(m[10]);
    if (oh > 23 || om > 59) return null;
    offsetMinutes = (m[8] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const wallSeconds = civilToSeconds(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  if (wallSeconds === null) return null;
  return BigInt(wallSeconds - offsetMinutes * 60) * NS_PER_SEC + fractionToNs(m[7]);
}

/** `"5"` → 500000000n; more than 9 digits are truncated. */
export function fractionToNs(digits: string | undefined): bigint {
  if (digits === undefined || digits === '') return 0n;
  return BigInt(digits.slice(0, 9).padEnd(9, '0'));
}

/** Seconds since the epoch of a wall-clock time read as UTC, or null if a field is out of range. */
export function civilToSeconds(year: number, month: number, day: number, hour: number, minute: number, second: number): number | null {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  return daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

// Days since 1970-01-01 of a proleptic Gregorian date, by plain arithmetic (Date.UTC maps years 0-99 to 19xx).
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}
