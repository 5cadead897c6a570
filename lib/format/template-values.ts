// How JavaScript data looks through Go's eyes: which values are true, how they print with %v, what
// a field of them is. Podman users know Go's output ([a b], map[k:v], <no value>), so we keep it.
import { GoNilPointer } from './go-fields.js';
import { GoTime } from './go-time.js';
import { TemplateFault } from './template-fault.js';

/** A Go map: a Map, or an object made with Object.create(null); a missing key is no value, not an error. */
export function isGoMap(value: unknown): value is Map<unknown, unknown> | Record<string, unknown> {
  return value instanceof Map || (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === null);
}

/** Plain objects and maps, as opposed to arrays, dates and class instances. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype;
}

/** Go truth: false, 0, "", nil and empty lists and maps are false; a struct always counts as true. */
export function isTrue(value: unknown): boolean {
  if (value === null || value === undefined || value instanceof GoNilPointer) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'bigint') return value !== 0n;
  if (typeof value === 'string' || Array.isArray(value)) return value.length > 0;
  if (value instanceof Map) return value.size > 0;
  if (isPlainObject(value)) return Object.keys(value).length > 0;
  return true;
}

/** Key/value pairs of a map-like object in Go's iteration order for maps: sorted by key. */
export function sortedEntries(value: object): [string, unknown][] {
  const entries: [string, unknown][] =
    value instanceof Map ? [...value].map(([k, v]) => [String(k), v]) : Object.entries(value);
  return entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The value as an action prints it: a missing value is `<no value>`. */
export function printValue(value: unknown): string {
  return value === null || value === undefined ? '<no value>' : formatValue(value);
}

/** The value as Go's %v prints it. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined || value instanceof GoNilPointer) return '<nil>';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return formatNumber(value);
  if (Array.isArray(value)) return `[${value.map(formatValue).join(' ')}]`;
  if (value instanceof Date) return formatDate(value);
  if (value instanceof GoTime) return value.toString();
  if (typeof value === 'object') return `map[${sortedEntries(value).map(([k, v]) => `${k}:${formatValue(v)}`).join(' ')}]`;
  return String(value);
}

function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  // Go's %g: exponent form below 1e-4 and from 1e21, with at least two exponent digits.
  const [mantissa, exp] = n.toExponential().split('e') as [string, string];
  const e = Number(exp);
  if (e >= -4 && e < 21) return String(n);
  return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

/** Go's time.Time String(), in UTC: 2024-01-02 03:04:05.5 +0000 UTC. */
function formatDate(d: Date): string {
  const ms = d.getTime();
  return Number.isNaN(ms) ? 'Invalid Date' : String(new GoTime(BigInt(ms) * 1_000_000n));
}

/** The Go type a value would have, for messages such as `%!d(string=x)`. */
export function goTypeName(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float64';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'string') return 'string';
  if (Array.isArray(value)) return '[]interface {}';
  if (value instanceof Date || value instanceof GoTime) return 'time.Time';
  if (typeof value === 'object') return 'map[string]interface {}';
  return typeof value;
}

/**
 * `.name` of a value. Fields of plain objects and class instances must exist (podman's structs
 * reject unknown fields); Go maps and nil yield no value. Object.prototype is never searched, so
 * `.constructor` or `.toString` are unknown fields, not a way into the runtime.
 */
export function fieldOf(receiver: unknown, name: string): unknown {
  if (receiver === null || receiver === undefined) return undefined;
  if (receiver instanceof Map) return receiver.get(name);
  if (typeof receiver !== 'object' || Array.isArray(receiver)) {
    throw new TemplateFault(`can't evaluate field ${name} in type ${goTypeName(receiver)}`);
  }
  if (Object.getPrototypeOf(receiver) === null) return (receiver as Record<string, unknown>)[name];
  for (let o: object | null = receiver; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    if (Object.hasOwn(o, name)) return (receiver as Record<string, unknown>)[name];
  }
  throw new TemplateFault(`field "${name}" does not exist`);
}

/** JSON as Go's json.Marshal writes it: compact, Maps as objects, Go maps with sorted keys. */
export function toJson(value: unknown): string {
  return (
    JSON.stringify(value ?? null, (_key, v: unknown) => {
      if (typeof v === 'bigint') return Number(v);
      if (isGoMap(v)) return Object.fromEntries(sortedEntries(v));
      return v;
    }) ?? 'null'
  );
}
