// Metadata flags of create/run: --label-file and --annotation (labels given with -l are parsed by
// create.ts's parseLabels).
import fs from 'node:fs';
import { InvalidArgumentError } from '../../errors.js';

/** A label file: KEY=VALUE lines; blank lines and lines starting with # are skipped. */
export function parseLabelFileText(text: string, file: string): string[] {
  const out: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '').trim();
    if (line === '' || line.startsWith('#')) return;
    if (line.startsWith('=')) throw new InvalidArgumentError(`invalid label file "${file}" line ${i + 1}: "${line}" has no key`);
    out.push(line);
  });
  return out;
}

export function readLabelFile(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new InvalidArgumentError(`cannot read --label-file "${file}": ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  return parseLabelFileText(text, file);
}

/** KEY=VALUE flag values (--annotation, volume --opt): the value may be empty, the key may not. */
export function parseKeyValueFlags(values: string[], flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq <= 0) throw new InvalidArgumentError(`invalid ${flag} "${v}": use KEY=VALUE`);
    out[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return out;
}

export function parseAnnotations(values: string[]): Record<string, string> | undefined {
  return values.length === 0 ? undefined : parseKeyValueFlags(values, '--annotation');
}
