// Boolean flags given a value (`--privileged=VALUE`): podman (Go's strconv.ParseBool) takes
// 1, t, T, TRUE, true, True and 0, f, F, FALSE, false, False, and refuses anything else. yargs
// would turn every value but "true" into false without a word, so the command line is checked,
// and the accepted spellings rewritten to true/false, before either parser reads it (lib/cli.ts).
// The same pass gives a flag that takes a value the next word even when it starts with a dash, as
// Go's pflag does (`--name -x` names the container "-x", which is then refused as a name; yargs
// would read an unknown flag -x): the pair is glued into `--name=-x`.
import { InvalidArgumentError } from './errors.js';

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** What a flag name (without dashes) is: a boolean, a flag taking a value, or not declared. */
export type FlagKind = (name: string) => 'boolean' | 'value' | undefined;

/**
 * `args` with every `--BOOL=VALUE` (and `-B=VALUE`) spelled `--BOOL=true|false`, and every
 * `--FLAG -WORD` (`-F -WORD`) of a flag taking a value as `--FLAG=-WORD`, except the flags named
 * in `optionalValue` (their value may be left out, as podman's `string[="true"]`); throws naming
 * the flag and the value when VALUE is none of ParseBool's, and for `--no-BOOL` (podman has no
 * negations, only real flags such as --no-trunc), naming what to write instead. Stops at "--",
 * and with `haltAtNonOption` at the first word that is not a flag or a flag's value (the
 * container's command and its flags belong to the container).
 */
export function checkBooleanFlags(args: string[], kind: FlagKind, haltAtNonOption: boolean, optionalValue: readonly string[] = []): string[] {
  let out: Array<string | undefined> | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') break;
    if (!a.startsWith('-') || a === '-') {
      if (haltAtNonOption) break;
      continue;
    }
    const long = a.startsWith('--');
    const eq = a.indexOf('=');
    if (!long && eq < 0 && a.length > 2) {
      // A cluster (-it, -ie A, -e5): the first letter taking a value takes the rest, or the next word.
      const at = [...a.slice(1)].findIndex((c) => kind(c) !== 'boolean');
      if (at === a.length - 2 && kind(a[a.length - 1]) === 'value' && i + 1 < args.length && !args[i + 1].startsWith('-')) i++;
      continue;
    }
    const name = a.slice(long ? 2 : 1, eq < 0 ? undefined : eq);
    const flag = `${long ? '--' : '-'}${name}`;
    const k = long || name.length === 1 ? kind(name) : undefined;
    if (k === undefined && long && name.startsWith('no-') && kind(name.slice(3)) === 'boolean') {
      throw new InvalidArgumentError(`unknown flag ${flag}: use --${name.slice(3)}=false`);
    }
    if (k === 'value') {
      if (eq >= 0 || i + 1 >= args.length) continue;
      const next = args[i + 1];
      // A flag whose value podman makes optional (build --pull) takes no dashed word.
      const glue = next.startsWith('-') && next !== '-' && next !== '--' && !optionalValue.includes(name);
      if (glue) {
        out ??= [...args];
        out[i] = `${flag}=${next}`;
        out[i + 1] = undefined;
      }
      if (glue || !next.startsWith('-')) i++;
      continue;
    }
    if (k !== 'boolean' || eq < 0) continue;
    const value = a.slice(eq + 1);
    const canonical = TRUE.has(value) ? 'true' : FALSE.has(value) ? 'false' : undefined;
    if (canonical === undefined) throw new InvalidArgumentError(`invalid value "${value}" for ${flag}: a boolean flag takes true or false`);
    out ??= [...args];
    out[i] = `${flag}=${canonical}`;
  }
  return out ? out.filter((a) => a !== undefined) : args;
}
