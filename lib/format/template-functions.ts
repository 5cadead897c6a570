// The functions a --format template may call: Go's builtins that make sense for listing containers,
// plus the ones podman adds (json, upper, lower, title, join, split, truncate).
import { TemplateFault } from './template-fault.js';
import { sprint, sprintf, sprintln } from './template-printf.js';
import { formatValue, goTypeName, isTrue, toJson } from './template-values.js';

export interface TemplateFunction {
  /** Fewest and most arguments, the piped value included. */
  arity: [number, number];
  call(args: unknown[]): unknown;
}

/**
 * `and` and `or` are not here: they evaluate their arguments lazily, as Go's do, so the evaluator
 * implements them. They are in FUNCTION_NAMES for the parser.
 */
export const LAZY_FUNCTIONS = new Set(['and', 'or']);

const MANY = Infinity;

/** Strings are taken as text; any other value is printed as Go's %v would, rather than rejected. */
const text = (value: unknown): string => (typeof value === 'string' ? value : formatValue(value));

export const FUNCTIONS: ReadonlyMap<string, TemplateFunction> = new Map<string, TemplateFunction>([
  ['json', { arity: [1, 1], call: ([v]) => toJson(v) }],
  ['upper', { arity: [1, 1], call: ([s]) => text(s).toUpperCase() }],
  ['lower', { arity: [1, 1], call: ([s]) => text(s).toLowerCase() }],
  // Go's strings.Title: the first letter of each word, words being runs of letters, digits and _.
  ['title', { arity: [1, 1], call: ([s]) => text(s).replace(/(^|[^\p{L}\p{N}_])(\p{L})/gu, (_m, sep: string, c: string) => sep + c.toUpperCase()) }],
  ['join', { arity: [2, 2], call: ([list, sep]) => (list === null || list === undefined ? '' : asList(list).map(text).join(text(sep))) }],
  ['split', { arity: [2, 2], call: ([s, sep]) => (text(sep) === '' ? [...text(s)] : text(s).split(text(sep))) }],
  ['truncate', { arity: [2, 2], call: ([s, n]) => [...text(s)].slice(0, asCount(n)).join('') }],
  ['index', { arity: [1, MANY], call: ([item, ...keys]) => keys.reduce(indexOf, item) }],
  ['len', { arity: [1, 1], call: ([v]) => lengthOf(v) }],
  ['printf', { arity: [1, MANY], call: ([format, ...args]) => sprintf(text(format), args) }],
  ['print', { arity: [0, MANY], call: (args) => sprint(args) }],
  ['println', { arity: [0, MANY], call: (args) => sprintln(args) }],
  ['not', { arity: [1, 1], call: ([v]) => !isTrue(v) }],
  ['eq', { arity: [2, MANY], call: ([a, ...others]) => others.some((b) => equal(a, b)) }],
  ['ne', { arity: [2, 2], call: ([a, b]) => !equal(a, b) }],
  ['lt', { arity: [2, 2], call: ([a, b]) => compare(a, b) < 0 }],
  ['le', { arity: [2, 2], call: ([a, b]) => compare(a, b) <= 0 }],
  ['gt', { arity: [2, 2], call: ([a, b]) => compare(a, b) > 0 }],
  ['ge', { arity: [2, 2], call: ([a, b]) => compare(a, b) >= 0 }],
]);

export const FUNCTION_NAMES: ReadonlySet<string> = new Set([...FUNCTIONS.keys(), ...LAZY_FUNCTIONS]);

function asList(value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new TemplateFault(`expected a list, got ${formatValue(value)}`);
  return value;
}

function asCount(value: unknown): number {
  if (!Number.isInteger(value) || (value as number) < 0) throw new TemplateFault(`expected a length, got ${formatValue(value)}`);
  return value as number;
}

/**
 * One step of `index`: a list position or a map key. A missing key is the map's zero value, as in
 * Go: "" for a map whose values are all strings (podman's map[string]string: labels,
 * annotations), else no value.
 */
function indexOf(item: unknown, key: unknown): unknown {
  if (item === null || item === undefined) return undefined;
  if (Array.isArray(item) || typeof item === 'string') {
    const chars = typeof item === 'string' ? [...item] : item;
    if (!Number.isInteger(key)) throw new TemplateFault(`cannot index a list with ${formatValue(key)}`);
    const i = key as number;
    if (i < 0 || i >= chars.length) throw new TemplateFault(`index out of range: ${i}`);
    return typeof item === 'string' ? chars[i]!.codePointAt(0) : chars[i];
  }
  if (item instanceof Map) return item.has(key) ? item.get(key) : missingEntry(item.values());
  if (typeof item === 'object') {
    const k = text(key);
    return Object.hasOwn(item, k) ? (item as Record<string, unknown>)[k] : missingEntry(Object.values(item));
  }
  throw new TemplateFault(`can't index item of type ${goTypeName(item)}`);
}

/**
 * What Go's `index` gives for a key a map lacks: the zero value of the map's element type. Labels,
 * annotations and options are `map[string]string` in podman, so a missing label is "" there, not
 * `<no value>` (`{{index .Config.Labels "x"}}` in a script tests for empty). A map whose entries
 * are all strings (or that is empty) is read as one; any other stays no value.
 */
function missingEntry(values: Iterable<unknown>): unknown {
  for (const v of values) if (typeof v !== 'string') return undefined;
  return '';
}

function lengthOf(value: unknown): number {
  if (typeof value === 'string') return [...value].length;
  if (Array.isArray(value)) return value.length;
  if (value instanceof Map) return value.size;
  if (typeof value === 'object' && value !== null) return Object.keys(value).length;
  throw new TemplateFault(`len of ${goTypeName(value)}`);
}

type Basic = 'string' | 'number' | 'boolean';

function basicKind(value: unknown): Basic | 'nil' {
  if (value === null || value === undefined) return 'nil';
  const kind = typeof value;
  if (kind === 'string' || kind === 'number' || kind === 'boolean') return kind;
  throw new TemplateFault(`cannot compare ${formatValue(value)}: only strings, numbers and booleans compare`);
}

/** Go's eq: basic values of one kind compare; nil equals only nil; a string never equals a number. */
function equal(a: unknown, b: unknown): boolean {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (ka === 'nil' || kb === 'nil') return ka === kb;
  if (ka !== kb) throw new TemplateFault(`incompatible types for comparison: ${goTypeName(a)} and ${goTypeName(b)}`);
  return a === b;
}

function compare(a: unknown, b: unknown): number {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (ka === 'nil' || kb === 'nil' || ka === 'boolean' || kb === 'boolean') {
    throw new TemplateFault(`invalid type for comparison: ${formatValue(ka === 'nil' || ka === 'boolean' ? a : b)}`);
  }
  if (ka !== kb) throw new TemplateFault(`incompatible types for comparison: ${goTypeName(a)} and ${goTypeName(b)}`);
  return (a as string | number) < (b as string | number) ? -1 : a === b ? 0 : 1;
}
