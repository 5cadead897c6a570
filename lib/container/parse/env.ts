// Environment assembly for `run`/`create`/`exec`: image env, --env-file files, -e flags, in
// podman's precedence (later wins), and `-e NAME` taking NAME from pman's own environment.
import fs from 'node:fs';
import { InvalidArgumentError } from '../../errors.js';

/** Parses the text of an --env-file: KEY=VALUE lines, `#` comments, blank lines, bare KEY. */
export function parseEnvFile(text: string, file: string, hostEnv: NodeJS.ProcessEnv): string[] {
  const out: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    const key = eq < 0 ? line.trimEnd() : line.slice(0, eq);
    if (key === '' || /\s/.test(key)) {
      throw new InvalidArgumentError(`invalid line ${i + 1} in env file "${file}": "${raw}" is not KEY=VALUE`);
    }
    if (eq < 0) {
      const v = hostEnv[key];
      if (v !== undefined) out.push(`${key}=${v}`);
    } else out.push(line);
  });
  return out;
}

export function readEnvFile(file: string, hostEnv: NodeJS.ProcessEnv): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new InvalidArgumentError(`cannot read env file "${file}": ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  return parseEnvFile(text, file, hostEnv);
}

/** One -e value: KEY=VALUE, or KEY (from the host env; dropped if unset), KEY* globs too. */
export function parseEnvFlag(value: string, hostEnv: NodeJS.ProcessEnv): string[] {
  const eq = value.indexOf('=');
  if (eq === 0 || value === '') throw new InvalidArgumentError(`invalid --env value "${value}": use KEY=VALUE or KEY`);
  if (eq > 0) return [value];
  if (value.endsWith('*')) {
    const prefix = value.slice(0, -1);
    return Object.entries(hostEnv)
      .filter(([k, v]) => k.startsWith(prefix) && v !== undefined)
      .map(([k, v]) => `${k}=${v}`);
  }
  const v = hostEnv[value];
  return v === undefined ? [] : [`${value}=${v}`];
}

/** Merges KEY=VALUE lists; a later entry for the same key replaces an earlier one in place. */
export function mergeEnv(...lists: string[][]): string[] {
  const map = new Map<string, string>();
  for (const list of lists) {
    for (const e of list) {
      const eq = e.indexOf('=');
      const key = eq < 0 ? e : e.slice(0, eq);
      map.set(key, e);
    }
  }
  return [...map.values()];
}
