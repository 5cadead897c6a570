// The options of a pman command as lib/cli.ts declares them for `--help` (the global ones, then
// those of the command's yargs builder), for the generated manual pages and bash completion.
// lib/cli.ts's yargsParser is handed a stand-in for yargs that records option() and accepts every
// other call, as lib/fast-parse.ts reads a builder without running yargs.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const top = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { yargsParser } = await import(path.join(top, 'dist/lib/cli.js'));

/** The visible options of command `name` (its COMMANDS entry) with `spec` (its loaded module), in declaration order. */
export function commandOptions(name, spec) {
  const options = [];
  const recorder = new Proxy(
    {},
    { get: (_t, prop) => (prop === 'option' ? (flag, o) => (options.push({ name: flag, ...o }), recorder) : () => recorder) },
  );
  const io = { stdin: process.stdin, stdout: { columns: 80 }, stderr: process.stderr };
  yargsParser(() => recorder, name, spec, [], io, async () => undefined);
  return options.filter((o) => !o.hidden);
}

/** The global options (those of a command that declares none of its own). */
export function globalOptions() {
  return commandOptions('version', { usage: 'version', handler: () => 0 });
}

/** An option's flags as typed: -f, --force. */
export function flagsOf(o) {
  return [o.name, ...(Array.isArray(o.alias) ? o.alias : o.alias ? [o.alias] : [])].map((f) => (f.length === 1 ? `-${f}` : `--${f}`));
}
