// TOML files (registries.conf, containers.conf) are read with smol-toml, a complete
// TOML 1.0 parser. It is not bundled: it is required from node_modules the first time a file is
// parsed, so commands that read no configuration never load it (like ajv in state/validators.ts).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { InvalidArgumentError } from '../errors.js';
import type { TomlTable, TomlValue } from 'smol-toml';

export type { TomlTable, TomlValue } from 'smol-toml';

/** A syntax error, where it is (1-based), with smol-toml's reason without its quoted excerpt. */
export class TomlSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`line ${line}, column ${column}: ${reason}`);
  }
}

let smolToml: typeof import('smol-toml') | undefined;

export function parseToml(text: string): TomlTable {
  smolToml ??= createRequire(import.meta.url)('smol-toml') as typeof import('smol-toml');
  try {
    return smolToml.parse(text);
  } catch (err) {
    if (!(err instanceof smolToml.TomlError)) throw err;
    const reason = err.message.split('\n')[0].replace(/^Invalid TOML document: /, '');
    throw new TomlSyntaxError(reason, err.line, err.column);
  }
}

/** Parses a configuration file's text; a syntax error names the file and place: `invalid LABEL "FILE": line 3, column 9: …`. */
export function parseTomlFile(text: string, file: string, label: string): TomlTable {
  const simple = parseSimpleToml(text);
  if (simple) return simple;
  try {
    return parseToml(text);
  } catch (err) {
    if (err instanceof TomlSyntaxError) throw new InvalidArgumentError(`invalid ${label} "${file}": ${err.message}`);
    throw err;
  }
}

/** A configuration file's text, or undefined when it does not exist. */
export function readConfigFile(file: string, label: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new InvalidArgumentError(`cannot read ${label} "${file}": ${(err as Error).message}`, { cause: err });
  }
}

const STR = String.raw`"[^"\\#]*"|'[^'#]*'`;
const SCALAR = new RegExp(String.raw`^([A-Za-z0-9_-]+)\s*=\s*(${STR}|-?(?:0|[1-9][0-9]*)|true|false)\s*(#.*)?$`);
const ONE_LINE_ARRAY = new RegExp(String.raw`^([A-Za-z0-9_-]+)\s*=\s*\[((?:\s*(?:${STR})\s*,)*\s*(?:${STR})?\s*)\]\s*(#.*)?$`);
const ARRAY_START = /^([A-Za-z0-9_-]+)\s*=\s*\[\s*(#.*)?$/;
const ARRAY_ITEM = new RegExp(String.raw`^(${STR})\s*,?\s*(#.*)?$`);
const STRINGS = new RegExp(STR, 'g');

function scalar(text: string): TomlValue {
  if (text === 'true' || text === 'false') return text === 'true';
  if (/^-?[0-9]+$/.test(text)) return Number(text);
  return text.slice(1, -1);
}

/**
 * The common shape of a containers.conf (tables; keys set to plain strings, integers, booleans
 * and arrays of plain strings; comments) read without loading smol-toml, which costs more than
 * the rest of a `pman run`'s configuration reading. Anything else, including anything invalid
 * or repeated, returns undefined and goes to smol-toml, which reads it or reports the error.
 */
export function parseSimpleToml(text: string): TomlTable | undefined {
  const doc: TomlTable = {};
  let table: TomlTable = doc;
  const seenTables = new Set<string>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)\]\s*(#.*)?$/.exec(line);
    let m: RegExpExecArray | null;
    if (header) {
      if (seenTables.has(header[1])) return undefined;
      seenTables.add(header[1]);
      table = doc;
      for (const part of header[1].split('.')) {
        const next = table[part] ?? {};
        if (typeof next !== 'object' || Array.isArray(next) || next instanceof Date) return undefined;
        table[part] = next;
        table = next as TomlTable;
      }
      continue;
    }
    let key: string;
    let value: TomlValue;
    if ((m = SCALAR.exec(line))) [key, value] = [m[1], scalar(m[2])];
    else if ((m = ONE_LINE_ARRAY.exec(line))) [key, value] = [m[1], (m[2].match(STRINGS) ?? []).map(scalar)];
    else if ((m = ARRAY_START.exec(line))) {
      key = m[1];
      const items: TomlValue[] = [];
      for (i++; ; i++) {
        if (i >= lines.length) return undefined;
        const item = lines[i].trim();
        if (item === '' || item.startsWith('#')) continue;
        if (/^\]\s*(#.*)?$/.test(item)) break;
        const im = ARRAY_ITEM.exec(item);
        if (!im) return undefined;
        items.push(scalar(im[1]));
      }
      value = items;
    } else return undefined;
    if (key in table) return undefined;
    table[key] = value;
  }
  return doc;
}
