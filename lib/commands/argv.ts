// Reading parsed argv values the way every command needs them: yargs gives one value for a flag
// used once and an array for a flag used several times, and positionals may be absent.
import { InvalidArgumentError } from '../errors.js';

/**
 * yargs's parser settings for every command (lib/cli.ts). A command that needs more passes them
 * with its own on top: yargs's parserConfiguration replaces the whole set.
 */
export const PARSER_CONFIG = {
  // podman has real --no-trunc, --no-stdin … flags, not negations.
  'boolean-negation': false,
  // Container and image IDs are hex: 583971198e07 or 0x1f must stay text, not become numbers.
  'parse-positional-numbers': false,
  'populate--': false,
  'strip-aliased': true,
  'camel-case-expansion': true,
} as const;

/** Every value of a repeatable flag, in order. */
export function list(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}

/** The value of a flag; used several times, the last one wins (as in podman). */
export function last(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  return String(Array.isArray(v) ? v[v.length - 1] : v);
}

/** The command line pman runs with, as podman records its os.Args (a pod's CreateCommand). */
export function commandLine(): string[] {
  return ['pman', ...process.argv.slice(2)];
}

/** The values of a variadic positional (`[containers..]`). */
export function positionals(argv: Record<string, unknown>, key: string): string[] {
  return list(argv[key]);
}

/** `--time`/`-t` of stop, restart and rm: whole seconds, or undefined for the container's own. */
export function timeoutSeconds(v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(last(v));
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`invalid --time "${String(v)}": use a whole number of seconds`);
  return n;
}
