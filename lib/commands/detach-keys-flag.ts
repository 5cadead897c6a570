// --detach-keys of run, start, attach and exec: one declaration, one help text, one parser.
import type { Argv } from 'yargs';
import { DEFAULT_DETACH_KEYS, parseDetachKeys } from '../container/parse/detach-keys.js';
import { last } from './argv.js';

export function detachKeysFlag(y: Argv): Argv {
  return y.option('detach-keys', { type: 'string', describe: `Key sequence for detaching (default "${DEFAULT_DETACH_KEYS}", "" disables)` });
}

/** The detach sequence as bytes, or null when detaching is disabled (""). */
export function detachKeysFrom(argv: Record<string, unknown>): Buffer | null {
  return parseDetachKeys(last(argv['detach-keys']) ?? DEFAULT_DETACH_KEYS);
}
