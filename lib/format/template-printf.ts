// The printf, print and println template functions: a subset of Go's fmt, with Go's in-band
// complaints (%!d(string=x), %!s(MISSING)) instead of exceptions, as podman users would see.
import { formatValue, goTypeName } from './template-values.js';

const VERB = /%([-+# 0]*)(\d*)(?:\.(\d*))?([\s\S]?)/g;

export function sprintf(format: string, args: unknown[]): string {
  let next = 0;
  let out = format.replace(VERB, (_m, flags: string, width: string, precision: string | undefined, verb: string) => {
    if (verb === '') return '%!(NOVERB)';
    if (verb === '%') return '%';
    if (next >= args.length) return `%!${verb}(MISSING)`;
    const text = formatVerb(verb, args[next++], flags, precision === undefined ? undefined : Number(precision || 0));
    return pad(text, Number(width || 0), flags);
  });
  if (next < args.length) out += `%!(EXTRA ${args.slice(next).map(describeArg).join(', ')})`;
  return out;
}

function formatVerb(verb: string, arg: unknown, flags: string, precision: number | undefined): string {
  const sign = (n: number, text: string): string => (flags.includes('+') && n >= 0 ? `+${text}` : text);
  switch (verb) {
    case 'v':
      return typeof arg === 'number' ? sign(arg, formatValue(arg)) : formatValue(arg);
    case 's':
      if (typeof arg === 'string') return precision === undefined ? arg : [...arg].slice(0, precision).join('');
      if (typeof arg === 'object' && arg !== null) return formatValue(arg);
      break;
    case 'q':
      if (typeof arg === 'string') return JSON.stringify(arg);
      break;
    case 'd':
      if (Number.isInteger(arg)) return sign(arg as number, String(arg));
      break;
    case 'f':
    case 'F':
      if (typeof arg === 'number') return sign(arg, arg.toFixed(precision ?? 6));
      break;
    case 'x':
    case 'X': {
      let hex: string | undefined;
      if (Number.isInteger(arg)) hex = (arg as number).toString(16);
      else if (typeof arg === 'string') hex = Buffer.from(arg).toString('hex');
      if (hex !== undefined) return verb === 'X' ? hex.toUpperCase() : hex;
      break;
    }
    case 't':
      if (typeof arg === 'boolean') return String(arg);
      break;
  }
  return arg === null || arg === undefined ? `%!${verb}(<nil>)` : `%!${verb}(${describeArg(arg)})`;
}

function describeArg(arg: unknown): string {
  return arg === null || arg === undefined ? '<nil>' : `${goTypeName(arg)}=${formatValue(arg)}`;
}

/** Pads to a width counted in characters, as Go counts runes. */
function pad(text: string, width: number, flags: string): string {
  const missing = width - [...text].length;
  if (missing <= 0) return text;
  if (flags.includes('-')) return text + ' '.repeat(missing);
  if (!flags.includes('0')) return ' '.repeat(missing) + text;
  const sign = /^[+-]/.test(text) ? text[0]! : '';
  return sign + '0'.repeat(missing) + text.slice(sign.length);
}

/** fmt.Sprint: operands separated by a space when neither side is a string. */
export function sprint(args: unknown[]): string {
  return args
    .map((arg, i) => (i > 0 && typeof arg !== 'string' && typeof args[i - 1] !== 'string' ? ' ' : '') + formatValue(arg))
    .join('');
}

/** fmt.Sprintln: operands always separated by a space, and a newline at the end. */
export function sprintln(args: unknown[]): string {
  return `${args.map(formatValue).join(' ')}\n`;
}
