// Where pman is installed, found once. Every file pman ships besides its code (the native addon,
// the shim, generated validators, package.json) is located from here, so the code works the same
// from dist/lib/** and from a bundle in dist/bundle/ (both two levels below the project root).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** pman's version, from its package.json (read once). */
let version: string | undefined;
export function pmanVersion(): string {
  version ??= (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  return version;
}
