// Numbers printed the way podman's Go code prints them: time.Duration's String() ("2.35s",
// "31.281901ms", "1m2s") and go-units' HumanSizeWithPrecision ("1.954MB", decimal units, no space).

/** Go's time.Duration String() for a number of nanoseconds. */
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

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'];

/** go-units HumanSizeWithPrecision(bytes, 4): "%.4g" of the value in decimal units. */
export function goHumanSize(bytes: number, precision = 4): string {
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < UNITS.length - 1) {
    v /= 1000;
    i++;
  }
  return `${Number(v.toPrecision(precision))}${UNITS[i]}`;
}
