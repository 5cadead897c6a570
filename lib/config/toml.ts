// TOML files (registries.conf, containers.conf) are read with smol-toml, a complete
// TOML 1.0 parser. It is not bundled: it is required from node_modules the first time a file is
// parsed, so commands that read no configuration never load it (like ajv in state/validators.ts),
// and containers.conf's merged result is cached (lib/config/conf-cache.ts), so `pman run` parses
// only after a file changed.
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
