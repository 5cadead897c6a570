// A fast path for the common command lines: parses them from the same option declarations the
// yargs builders make, without loading yargs (importing it and its first parse cost ~20 ms of
// every command's start-up, more than anything else the CLI does before its real work).
//
// It only takes what it is sure to read exactly as yargs does with pman's settings (see
// lib/cli.ts: halt-at-non-option for commands without declared positionals, no boolean
// negation, camel-case expansion, aliases stripped). Anything else — help, "--", an unknown
// flag, a flag missing its value, a boolean with a value other than true/false, a short flag with
// a value glued on — returns undefined, and yargs parses it (and words its errors). A unit test
// holds the two to the same results over every command's flags.
import type { Argv } from 'yargs';

export interface OptionDef {
  name: string;
  type: 'string' | 'boolean' | 'number';
  aliases: string[];
  default?: unknown;
  choices?: unknown[];
}

export type OptionTable = Map<string, OptionDef>;

type Builder = (y: Argv) => Argv;

/**
 * The options a builder declares, recorded by handing it a stand-in for yargs. Undefined when it
 * uses anything but option() with the settings read here.
 */
export function optionTable(builder: Builder | undefined, base: OptionDef[] = []): OptionTable | undefined {
  const table: OptionTable = new Map(base.map((d) => [d.name, d]));
  let unsupported = false;
  const known = new Set(['alias', 'type', 'default', 'describe', 'choices', 'hidden']);
  const recorder = new Proxy(
    {},
    {
      get(_t, prop) {
        if (prop !== 'option') {
          unsupported = true;
          return () => recorder;
        }
        return (name: string, o: Record<string, unknown>) => {
          if (Object.keys(o).some((k) => !known.has(k)) || !['string', 'boolean', 'number'].includes(o.type as string)) unsupported = true;
          const aliases = o.alias === undefined ? [] : Array.isArray(o.alias) ? (o.alias as string[]) : [o.alias as string];
          table.set(name, { name, type: o.type as OptionDef['type'], aliases, default: o.default, choices: o.choices as unknown[] | undefined });
          return recorder;
        };
      },
    },
  ) as unknown as Argv;
  if (builder) builder(recorder);
  return unsupported ? undefined : table;
}

const camel = (s: string) => s.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

const NUMBER_RE = /^-?\d+(\.\d+)?$/;

/**
 * Parses `args` (the global flags before the command and everything after it) as yargs would,
 * or returns undefined when it cannot be sure to.
 */
export function fastParse(table: OptionTable, args: string[], haltAtNonOption: boolean): Record<string, unknown> | undefined {
  const long = new Map<string, OptionDef>();
  const short = new Map<string, OptionDef>();
  for (const d of table.values()) {
    long.set(d.name, d);
    for (const a of d.aliases) (a.length === 1 ? short : long).set(a, d);
  }
  const values = new Map<OptionDef, unknown>();
  const rest: Array<string | number> = [];
  let ok = true;

  const set = (d: OptionDef, raw: string | boolean): void => {
    let v: unknown = raw;
    if (d.type === 'number') {
      if (typeof raw !== 'string' || !NUMBER_RE.test(raw)) return void (ok = false);
      v = Number(raw);
    }
    if (d.choices && !d.choices.includes(v)) return void (ok = false);
    if (!values.has(d)) return void values.set(d, v);
    // Repeated: yargs collects strings and numbers into an array; a boolean given twice must agree.
    const prev = values.get(d);
    if (d.type === 'boolean') {
      if (prev !== v) ok = false;
      return;
    }
    values.set(d, Array.isArray(prev) ? [...(prev as unknown[]), v] : [prev, v]);
  };
  /** The value after a flag: there, and not itself looking like a flag. */
  const valueAt = (i: number): string | undefined => (i < args.length && !args[i].startsWith('-') ? args[i] : undefined);

  let i = 0;
  for (; ok && i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const d = long.get(eq < 0 ? a.slice(2) : a.slice(2, eq));
      if (!d) return undefined; // "--", --help, unknown or misspelt: yargs decides
      const glued = eq < 0 ? undefined : a.slice(eq + 1);
      if (d.type === 'boolean') {
        if (glued === undefined || glued === 'true') set(d, true);
        else if (glued === 'false') set(d, false);
        else return undefined;
      } else if (glued !== undefined) {
        set(d, glued);
      } else {
        const v = valueAt(i + 1);
        if (v === undefined) return undefined;
        set(d, v);
        i++;
      }
    } else if (a.startsWith('-') && a.length > 1) {
      const letters = a.slice(1);
      for (let j = 0; ok && j < letters.length; j++) {
        const d = short.get(letters[j]);
        if (!d) return undefined;
        if (d.type === 'boolean') {
          set(d, true);
        } else {
          // Only the last letter of a cluster may take a value, and it is the next word (-it, -ie A).
          if (j !== letters.length - 1) return undefined;
          const v = valueAt(i + 1);
          if (v === undefined) return undefined;
          set(d, v);
          i++;
        }
      }
    } else if (haltAtNonOption) {
      rest.push(...args.slice(i));
      break;
    } else {
      // Positionals stay text, as yargs is told (parse-positional-numbers off): IDs are hex.
      rest.push(a);
    }
  }
  if (!ok) return undefined;

  const out: Record<string, unknown> = { _: rest };
  const put = (d: OptionDef, v: unknown) => {
    out[d.name] = v;
    const c = camel(d.name);
    if (c !== d.name) out[c] = v;
  };
  for (const d of table.values()) {
    if (values.has(d)) put(d, values.get(d));
    else if (d.default !== undefined) put(d, d.default);
  }
  return out;
}
