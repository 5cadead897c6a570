// Go's time.Duration both ways, since podman reads and prints durations with it: `logs --since 1h30m`,
// `volume prune --filter until=1h30m`, and the CPU and up times of `stats`/`top` ("1m2.5s").

const NS_PER_SEC = 1_000_000_000n;
const MAX_DURATION_NS = (1n << 63n) - 1n; // Go's time.Duration range

const UNIT_NS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n, // U+00B5 micro sign
  'μs': 1_000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: NS_PER_SEC,
  m: 60n * NS_PER_SEC,
  h: 3600n * NS_PER_SEC,
};

/**
 * A Go time.ParseDuration string: an optional sign, then one or more `<number><unit>` with a
 * decimal number (`1.5`, `.5`, `5.`) and a unit ns, us, µs, ms, s, m, h; or a bare `0`.
 * Computed exactly in ns (Go rounds fractions through a float). Null if malformed or out of range.
 */
export function parseGoDuration(value: string): bigint | null {
  let rest = value;
  let negative = false;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    negative = rest.startsWith('-');
    rest = rest.slice(1);
  }
  if (rest === '0') return 0n;
  if (rest === '') return null;
  let total = 0n;
  const component = /^(\d*)(?:\.(\d*))?([^\d.]+)/;
  while (rest !== '') {
    const m = component.exec(rest);
    if (m === null) return null;
    const [whole, intDigits = '', fracDigits = '', unitText = ''] = m;
    if (intDigits === '' && fracDigits === '') return null;
    const unit = UNIT_NS[unitText];
    if (unit === undefined) return null;
    total += BigInt(intDigits || '0') * unit;
    if (fracDigits !== '') total += (BigInt(fracDigits) * unit) / 10n ** BigInt(fracDigits.length);
    if (total > MAX_DURATION_NS) return null;
    rest = rest.slice(whole.length);
  }
  return negative ? -total : total;
}

/** Go's time.Duration String() for a number of nanoseconds: "2.35s", "31.281901ms", "1m2s". */
export function goDuration(ns: number): string {
  if (ns === 0) return '0s';
  const neg = ns < 0;
  let n = Math.abs(Math.round(ns));
  let out: string;
  if (n < 1000) out = `${n}ns`;
  else if (n < 1e6) out = `${trimFraction(n / 1e3)}µs`;
  else if (n < 1e9) out = `${trimFraction(n / 1e6)}ms`;
  else {
    const h = Math.floor(n / 3.6e12);
    n -= h * 3.6e12;
    const m = Math.floor(n / 6e10);
    n -= m * 6e10;
    const s = `${trimFraction(n / 1e9)}s`;
    out = h > 0 ? `${h}h${m}m${s}` : m > 0 ? `${m}m${s}` : s;
  }
  return neg ? `-${out}` : out;
}

/** Up to 9 decimals, trailing zeros dropped (Go prints exact nanoseconds). */
function trimFraction(v: number): string {
  return v.toFixed(9).replace(/\.?0+$/, '');
}
