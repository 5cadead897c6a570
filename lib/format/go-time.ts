// podman's documents hold Go time.Time values: its JSON writes them in RFC 3339 with up to nine
// fraction digits (Go's RFC3339Nano), a --format template prints time.Time's String() form. A
// GoTime carries one instant with its nanoseconds (Date has milliseconds only) and prints both.

const NS_PER_SEC = 1_000_000_000n;
const RFC3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/;

/**
 * An instant as podman's Go structs hold one. pman's own times are UTC; one read with another
 * offset (an image's `created`) keeps it, as Go's time.Parse does.
 */
export class GoTime {
  /** ns: nanoseconds since the epoch; offset: the zone's minutes east of UTC. */
  constructor(
    readonly ns: bigint,
    readonly offset = 0,
  ) {}

  /** `2026-12-04T16:01:53.123456789Z`: what Go's json.Marshal writes. */
  toJSON(): string {
    const [date, time, frac] = parts(this.ns, this.offset);
    return `${date}T${time}${frac ? `.${frac}` : ''}${this.offset === 0 ? 'Z' : zone(this.offset, ':')}`;
  }

  /** `2026-12-04 16:01:53.123456789 +0000 UTC`: Go's time.Time String() (a fixed zone is named by its offset). */
  toString(): string {
    const [date, time, frac] = parts(this.ns, this.offset);
    const name = this.offset === 0 ? 'UTC' : zone(this.offset, '');
    return `${date} ${time}${frac ? `.${frac}` : ''} ${zone(this.offset, '')} ${name}`;
  }
}

/** Go's zero time.Time (`0001-01-01 00:00:00 +0000 UTC`), as podman shows a time never set. */
export const ZERO_TIME = new GoTime(-62_135_596_800n * NS_PER_SEC);

/** RFC 3339 text as a GoTime; text that is not such a time is returned as it is. */
export function goTime(text: string): GoTime | string {
  const ns = rfc3339ToNs(text);
  if (ns === null) return text;
  const m = /([+-])(\d\d):(\d\d)$/.exec(text);
  return new GoTime(ns, m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0);
}

/** Nanoseconds since the epoch of RFC 3339 text with 0 to 9 fraction digits, or null. */
export function rfc3339ToNs(text: string): bigint | null {
  const m = RFC3339.exec(text);
  if (!m) return null;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return null;
  return BigInt(ms / 1000) * NS_PER_SEC + BigInt((m[2] ?? '').padEnd(9, '0'));
}

/** RFC 3339 in UTC with up to nanoseconds and no trailing zeros, as Go's time.RFC3339Nano prints it. */
export function rfc3339Nano(ns: bigint): string {
  return new GoTime(ns).toJSON();
}

// `+0200` (sep '') or `+02:00` (sep ':').
function zone(offset: number, sep: string): string {
  const abs = Math.abs(offset);
  return `${offset < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}${sep}${String(abs % 60).padStart(2, '0')}`;
}

// The date and the time of day at offset minutes east of UTC, and the fraction's digits without trailing zeros.
function parts(ns: bigint, offset = 0): [string, string, string] {
  let sec = ns / NS_PER_SEC;
  let frac = ns % NS_PER_SEC;
  if (frac < 0n) {
    sec -= 1n;
    frac += NS_PER_SEC;
  }
  const iso = new Date((Number(sec) + offset * 60) * 1000).toISOString();
  return [iso.slice(0, 10), iso.slice(11, 19), frac.toString().padStart(9, '0').replace(/0+$/, '')];
}
