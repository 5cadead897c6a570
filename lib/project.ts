// Where pman is installed, found once. Every file pman ships besides its code (the native addon,
// the shim, generated validators, package.json) is located from here, so the code works the same
// from dist/lib/** and from a bundle in dist/bundle/ (both two levels below the project root).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
