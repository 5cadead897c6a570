// The command line: global flags, routing to one lazily loaded command module, and the one place
// where errors become messages and exit codes (125 for pman's own errors, as podman does).
import type { Argv } from 'yargs';
import path from 'node:path';
import { createContext, type Context, type EngineOptions, type EventsBackend, type LogLevel } from './context.js';
import { confEventsBackend } from './config/events-logger.js';
import { confHooksDirs } from './config/conf-hooks-dir.js';
import { COMMANDS, ALIASES } from './commands/index.js';
import { SYSTEM_OWN_VERBS } from './commands/system-verbs.js';
import { InvalidArgumentError, exitCodeOf } from './errors.js';
import type { CommandSpec, IO } from './commands/types.js';
import { PARSER_CONFIG } from './commands/argv.js';
import { fastParse, optionTable, type OptionTable } from './fast-parse.js';
import { trace } from './util/trace.js';
import { checkBooleanFlags, type FlagKind } from './bool-flags.js';
import { commandIndex, startsContainer } from './command-word.js';

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'];
/** Global flags that take a value (so routing can skip their values to find the command). */

/** `pman container ls` -> ps, `pman image rm` -> rmi … (podman's management groups). */
const GROUPS: Record<string, Record<string, string>> = {
  container: { ls: 'ps', list: 'ps', exists: 'container-exists', prune: 'container-prune', cleanup: 'container-cleanup', umount: 'unmount' },
  healthcheck: { run: 'healthcheck-run' },
  image: { ls: 'images', list: 'images', rm: 'rmi', prune: 'image-prune', exists: 'image-exists', tree: 'image-tree' },
  // Unmapped `system` words (migrate …) stay with the system command itself.
  system: { info: 'info', df: 'system-df', prune: 'system-prune', reset: 'system-reset' },
  network: { connect: 'network-connect', disconnect: 'network-disconnect', reload: 'network-reload', create: 'network-create', exists: 'network-exists', inspect: 'network-inspect', ls: 'network-ls', list: 'network-ls', rm: 'network-rm', remove: 'network-rm', prune: 'network-prune' },
  pod: Object.fromEntries(
    ['create', 'exists', 'inspect', 'kill', 'logs', 'pause', 'prune', 'restart', 'rm', 'start', 'stats', 'stop', 'top', 'unpause'].map((v) => [v, `pod-${v}`]).concat([['ps', 'pod-ls'], ['ls', 'pod-ls'], ['list', 'pod-ls'], ['remove', 'pod-rm']]),
  ),
  kube: { play: 'kube-play', down: 'kube-down', generate: 'kube-generate' },
  generate: { kube: 'kube-generate' },
  secret: { create: 'secret-create', exists: 'secret-exists', inspect: 'secret-inspect', ls: 'secret-ls', list: 'secret-ls', rm: 'secret-rm', remove: 'secret-rm' },
  volume: { create: 'volume-create', exists: 'volume-exists', ls: 'volume-ls', list: 'volume-ls', inspect: 'volume-inspect', rm: 'volume-rm', remove: 'volume-rm', prune: 'volume-prune' },
};

/**
 * The subcommands `pman container --help`, `pman image --help` and `pman system --help` list, in
 * podman's order; each runs the command GROUPS maps it to, else the command of the same name.
 */
export const GROUP_VERBS: Record<string, string[]> = {
  container: [
    'attach', 'cleanup', 'commit', 'cp', 'create', 'diff', 'exec', 'exists', 'export', 'init', 'inspect', 'kill', 'list',
    'logs', 'ls', 'mount', 'pause', 'port', 'prune', 'ps', 'rename', 'restart', 'rm', 'run', 'start', 'stats', 'stop',
    'top', 'unmount', 'unpause', 'wait',
  ],
  image: ['build', 'exists', 'history', 'import', 'inspect', 'list', 'load', 'ls', 'prune', 'pull', 'push', 'rm', 'save', 'tag', 'tree', 'untag'],
  system: ['check', 'df', 'info', 'migrate', 'prune', 'reset', 'service'],
  // The other groups list every command GROUPS routes them to, under its first word (pod ps, not ls).
  ...Object.fromEntries(['healthcheck', 'kube', 'network', 'pod', 'secret', 'volume'].map((g) => [g, firstWords(GROUPS[g])])),
};

/** A group's words, one per command it routes to (the first word naming it), sorted. */
function firstWords(group: Record<string, string>): string[] {
  const seen = new Set<string>();
  return Object.entries(group).filter(([, target]) => !seen.has(target) && seen.add(target)).map(([word]) => word).sort();
}

/** The help of a group: its subcommands that exist in this build, with what they do. */
export function groupHelp(group: string): string {
  const describe = COMMANDS[group]?.describe;
  const lines = [`Usage: pman ${group} COMMAND [options]`, '', ...(describe ? [describe, ''] : []), 'Commands:'];
  for (const sub of GROUP_VERBS[group]) {
    const target = route([group, sub]).name ?? sub;
    // `pman system` handles some words itself (check, migrate, service): their own descriptions.
    const describe = target === 'system' ? SYSTEM_OWN_VERBS[sub] : COMMANDS[target]?.describe;
    if (describe) lines.push(`  ${sub.padEnd(10)} ${describe}`);
  }
  lines.push('', `Run "pman ${group} COMMAND --help" for the options of a command.`);
  return `${lines.join('\n')}\n`;
}

export interface Route {
  /** The command name, undefined when none was given. */
  name: string | undefined;
  /** Global flags that came before the command. */
  globals: string[];
  /** Everything after the command name. */
  rest: string[];
}

/** Finds the command word after the global flags and rewrites group forms into plain commands. */
export function route(argv: string[]): Route {
  const i = commandIndex(argv);
  let globals = argv.slice(0, i);
  if (i >= argv.length) return { name: undefined, globals, rest: [] };
  let name = argv[i];
  let rest = argv.slice(i + 1);
  const group = GROUPS[name];
  // Global flags may also come between the group and its command, as in podman (pod --log-level debug ps).
  const j = group ? commandIndex(rest) : 0;
  if (group && j < rest.length && !(name === 'system' && !group[rest[j]])) {
    const sub = rest[j];
    // An unknown word of a listed group is named with its group in the error ("pman container foo").
    const mapped = group[sub] ?? (GROUP_VERBS[name] && !GROUP_VERBS[name].includes(sub) ? `${name} ${sub}` : sub);
    globals = [...globals, ...rest.slice(0, j)];
    rest = rest.slice(j + 1);
    if (sub === 'inspect' && (name === 'image' || name === 'container')) rest = ['--type', name, ...rest];
    name = mapped;
  } else if (GROUP_VERBS[name] && (rest.length === 0 || rest[0] === '--help' || rest[0] === '-h')) {
    return { name: 'help', globals, rest: [name, ...rest] };
  }
  name = ALIASES[name] ?? name;
  return { name, globals, rest };
}

function globalOptions(y: Argv): Argv {
  return y
    .option('root', { type: 'string', describe: 'Persistent state directory (env PMAN_ROOT)' })
    .option('runroot', { type: 'string', describe: 'Runtime state directory (env PMAN_RUNROOT)' })
    .option('runtime', { type: 'string', describe: 'OCI runtime binary (env PMAN_RUNTIME)' })
    .option('log-level', { type: 'string', choices: LOG_LEVELS, describe: 'Log level' })
    .option('runtime-flag', { type: 'string', describe: 'A global flag for every OCI runtime call ("debug" gives --debug); repeatable' })
    .option('network-cmd-path', { type: 'string', describe: 'The slirp4netns binary for --network slirp4netns' })
    .option('network-config-dir', { type: 'string', describe: "netavark's configuration directory for the containers' networks" })
    .option('volumepath', { type: 'string', describe: 'Where named volumes live (default <root>/volumes)' })
    // podman's other global flags (#20): checked in checkGlobals, which refuses what cannot apply.
    .option('noout', { type: 'boolean', hidden: true, describe: 'Do not print to stdout' })
    .option('cgroup-manager', { type: 'string', hidden: true, describe: 'Cgroup manager: cgroupfs (pman manages cgroups itself; systemd is refused)' })
    .option('events-backend', { type: 'string', hidden: true, describe: 'Events backend: file or none (journald is refused)' })
    .option('storage-driver', { type: 'string', hidden: true, describe: 'Storage driver: overlay (the only one)' })
    .option('tmpdir', { type: 'string', hidden: true, describe: "Accepted: pman keeps podman's tmpdir state under --runroot" })
    .option('syslog', { type: 'boolean', hidden: true, describe: 'not supported: pman logs to stderr only' })
    .option('remote', { type: 'boolean', hidden: true, describe: 'not supported: pman has no remote client' })
    .option('connection', { type: 'string', hidden: true, describe: 'not supported: pman has no remote client' })
    .option('url', { type: 'string', hidden: true, describe: 'not supported: pman has no remote client' })
    .option('identity', { type: 'string', hidden: true, describe: 'not supported: pman has no remote client' })
    .option('ssh', { type: 'string', hidden: true, describe: 'not supported: pman has no remote client' })
    .option('conmon', { type: 'string', hidden: true, describe: "not supported: pman's own shim supervises containers, not conmon" })
    .option('storage-opt', { type: 'string', hidden: true, describe: 'not supported: overlay in pman takes no storage options' })
    .option('hooks-dir', { type: 'string', hidden: true, describe: 'A directory of OCI hook files (repeatable; replaces containers.conf hooks_dir)' })
    .option('namespace', { type: 'string', hidden: true, describe: "not supported: pman has no libpod namespaces (use separate --root stores)" });
}

/** Values of podman's global flags pman cannot honour: refused with one line naming the flag. */
const GLOBAL_ACCEPTS: Record<string, string[]> = {
  'cgroup-manager': ['cgroupfs'],
  'events-backend': ['file', 'none'],
  'storage-driver': ['overlay'],
};

const REFUSED_WHY: Record<string, string> = {
  conmon: "pman's own shim supervises containers",
  syslog: 'pman logs to stderr only',
  'storage-opt': 'overlay in pman takes no storage options',
  namespace: 'pman has no libpod namespaces (use separate --root stores)',
};

/** --runtime-flag, --network-cmd-path, --network-config-dir, --volumepath, --hooks-dir, --events-backend (checked by checkGlobals): undefined when none is given. */
function engineOptions(parsed: Record<string, unknown>): EngineOptions | undefined {
  const flags = parsed['runtime-flag'];
  const runtimeFlags = flags === undefined ? [] : (Array.isArray(flags) ? flags : [flags]).map(String);
  const engine: EngineOptions = {};
  if (runtimeFlags.length) engine.runtimeFlags = runtimeFlags;
  for (const [flag, key] of [['network-cmd-path', 'networkCmdPath'], ['network-config-dir', 'networkConfigDir'], ['volumepath', 'volumePath']] as const) {
    const v = parsed[flag];
    if (v === undefined) continue;
    const value = String(Array.isArray(v) ? v[v.length - 1] : v);
    if (value === '') throw new InvalidArgumentError(`--${flag} "": give a path`);
    engine[key] = path.resolve(value);
  }
  const hooks = parsed['hooks-dir'];
  // podman's string slice: repeatable, comma-separated, "" adds none (`--hooks-dir ""`: no hooks at all).
  if (hooks !== undefined) engine.hooksDirs = (Array.isArray(hooks) ? hooks : [hooks]).flatMap((v) => String(v).split(',')).filter(Boolean).map((d) => path.resolve(d));
  const events = parsed['events-backend'];
  if (events !== undefined) engine.eventsBackend = String(Array.isArray(events) ? events[events.length - 1] : events) as EventsBackend;
  return Object.keys(engine).length ? engine : undefined;
}

function checkGlobals(parsed: Record<string, unknown>): void {
  for (const [flag, ok] of Object.entries(GLOBAL_ACCEPTS)) {
    const v = parsed[flag];
    if (v === undefined) continue;
    const value = String(Array.isArray(v) ? v[v.length - 1] : v);
    if (!ok.includes(value)) throw new InvalidArgumentError(`--${flag} "${value}" is not supported: pman uses ${ok.join(' or ')}`);
  }
  for (const flag of ['syslog', 'remote', 'connection', 'url', 'identity', 'ssh', 'conmon', 'storage-opt', 'namespace']) {
    if (parsed[flag] !== undefined && parsed[flag] !== false) throw new InvalidArgumentError(`--${flag} is not supported: ${REFUSED_WHY[flag] ?? 'pman has no remote client'}`);
  }
}

/** The yargs parser of one command, calling `handle` with what it parsed. */
export function yargsParser(
  yargs: (args: string[]) => Argv,
  name: string,
  spec: CommandSpec,
  args: string[],
  io: IO,
  handle: (parsed: Record<string, unknown>) => Promise<void>,
): Argv {
  let y = globalOptions(yargs(args))
    .scriptName(`pman ${name}`)
    .usage(`Usage: pman ${spec.usage}\n\n${COMMANDS[name].describe}`)
    .strict()
    .help('help')
    .version(false)
    .parserConfiguration({ ...PARSER_CONFIG, 'halt-at-non-option': spec.positionals === undefined })
    .fail((msg, err) => {
      if (err) throw err;
      // yargs's wording for a missing positional names no argument: show what the command takes.
      if (msg.startsWith('Not enough non-option arguments')) throw new InvalidArgumentError(`missing argument: usage: pman ${spec.usage}`);
      // The command as typed ("volume ls", not the module's name volume-ls): its usage's leading words.
      const typed = spec.usage.split(' ').filter((w, i, a) => a.slice(0, i + 1).every((x) => /^[a-z][a-z-]*$/.test(x))).join(' ');
      throw new InvalidArgumentError(`${msg.replace(/\n/g, ' ')}: see "pman ${typed || name} --help"`);
    })
    .wrap(Math.min(110, io.stdout.columns || 100));
  if (spec.shortHelp !== false) y = y.alias('help', 'h');
  if (spec.builder) y = spec.builder(y);
  return y.command({
    command: spec.positionals ? `$0 ${spec.positionals}` : '$0',
    describe: COMMANDS[name].describe,
    handler: handle,
  });
}

/**
 * Moves the words of argv._ onto the positionals a command declares ("<image> [names..]"), as
 * yargs does; false when yargs would refuse them (one missing, one too many).
 */
function namePositionals(declared: string, parsed: Record<string, unknown>): boolean {
  const words = parsed._ as unknown[];
  let next = 0;
  for (const p of declared.split(' ').filter(Boolean)) {
    const m = /^([<[])(\w+)(\.\.)?[>\]]$/.exec(p);
    if (!m) return false;
    const [, bracket, key, variadic] = m;
    if (next < words.length) {
      parsed[key] = variadic ? words.slice(next) : words[next];
      next = variadic ? words.length : next + 1;
    } else if (bracket === '<') {
      return false;
    } else if (variadic && words.length > 0) {
      parsed[key] = []; // yargs's way: an empty list once any positional was given, else none
    }
  }
  if (next < words.length) return false;
  parsed._ = [];
  return true;
}

const tables = new Map<string, OptionTable | undefined>();

/** The options of a command, global ones included, as its yargs builder declares them. */
export function commandOptionTable(name: string, spec: CommandSpec): OptionTable | undefined {
  if (!tables.has(name)) tables.set(name, optionTable((y) => (spec.builder ? spec.builder(globalOptions(y)) : globalOptions(y))));
  return tables.get(name);
}

/**
 * The command line parsed without yargs (lib/fast-parse.ts) when that is sure to give
 * what yargs would: commands that take their positionals from argv._ and declare plain options.
 */
export function fastParsed(name: string, spec: CommandSpec, args: string[]): Record<string, unknown> | undefined {
  const table = commandOptionTable(name, spec);
  if (!table) return undefined;
  const parsed = fastParse(table, args, spec.positionals === undefined);
  if (parsed && spec.positionals !== undefined && !namePositionals(spec.positionals, parsed)) return undefined;
  if (parsed) {
    parsed.$0 = `pman ${name}`;
    trace('cli: parsed without yargs');
  }
  return parsed;
}

/** Which flags of a command are booleans, from its option table. */
export function tableKinds(table: OptionTable): FlagKind {
  const kinds = new Map<string, 'boolean' | 'value'>();
  for (const d of table.values()) for (const n of [d.name, ...d.aliases]) kinds.set(n, d.type === 'boolean' ? 'boolean' : 'value');
  return (name) => kinds.get(name);
}

/** The same from a yargs parser (commands whose builders the fast path cannot read). */
export function yargsKinds(y: Argv): FlagKind {
  // getOptions() is yargs's own (not in its typings): the declared keys, aliases included.
  const o = (y as unknown as { getOptions(): { boolean: string[]; key: Record<string, unknown> } }).getOptions();
  const bools = new Set(o.boolean);
  return (name) => (bools.has(name) ? 'boolean' : Object.hasOwn(o.key, name) ? 'value' : undefined);
}

function topLevelHelp(): string {
  const lines = ['Usage: pman [global options] COMMAND [options]', '', 'Commands:'];
  const groups: Record<string, string> = { container: 'Manage containers', image: 'Manage images' };
  const entries = [...Object.entries(COMMANDS).map(([name, e]) => [name, e.hidden ? undefined : e.describe]), ...Object.entries(groups)];
  for (const [name, describe] of entries.sort(([a], [b]) => String(a).localeCompare(String(b)))) {
    if (describe !== undefined) lines.push(`  ${String(name).padEnd(10)} ${describe}`);
  }
  lines.push('', 'Global options:', '  --root DIR         persistent state (default /var/lib/pman, rootless ~/.local/share/pman)');
  lines.push('  --runroot DIR      runtime state (default /run/pman, rootless $XDG_RUNTIME_DIR/pman)');
  lines.push('  --runtime PATH     OCI runtime (default runc)', '  --log-level LEVEL  debug, info, warn or error', '');
  lines.push('Run "pman COMMAND --help" for the options of a command.');
  return lines.join('\n') + '\n';
}

/**
 * The process's stdio. stdin only when a command touches it: Node builds process.stdin (a tty or
 * fs stream, with their modules) on first access, ~3 ms that `pman run` without -i never needs.
 */
function processIO(): IO {
  // `pman … | head`: once the reader is gone, end as a program killed by SIGPIPE would (podman
  // does), with no stack trace; Node would report the EPIPE as an unhandled 'error' event.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(141);
  });
  return {
    get stdin() {
      return process.stdin;
    },
    stdout: process.stdout,
    stderr: process.stderr,
  };
}

export async function main(argv: string[], io: IO = processIO()): Promise<void> {
  const code = await runCli(argv, io);
  await Promise.all([io.stdout, io.stderr].map(flushed));
  trace('cli: exit');
  process.exit(code);
}

/**
 * Resolves once everything written to the stream has been handed to the OS. Writes to a pipe are
 * asynchronous: while the reader lags, the last chunks still wait in the stream (below its
 * high-water mark, so no 'drain' is due), and process.exit would drop them — `pman save | slow
 * reader` lost its archive's last kilobytes. An empty write's callback runs after every earlier one.
 */
function flushed(stream: NodeJS.WritableStream): Promise<void> {
  const s = stream as NodeJS.WritableStream & { writableLength?: number; destroyed?: boolean };
  if (!s.writableLength || s.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    try {
      s.write('', () => resolve());
    } catch {
      resolve(); // ended or broken meanwhile: nothing more can be delivered
    }
  });
}

export async function runCli(argv: string[], io: IO): Promise<number> {
  const debug = argv.some((a, i) => a === '--log-level=debug' || (a === '--log-level' && argv[i + 1] === 'debug'));
  try {
    const { name, globals, rest } = route(argv);
    if (name === undefined) {
      if (globals.includes('--version') || globals.includes('-v')) return runCli(['version', '--version'], io);
      if (globals.length === 0 || globals.includes('--help') || globals.includes('-h')) {
        io.stdout.write(topLevelHelp());
        return 0;
      }
      throw new InvalidArgumentError('missing command: run "pman --help" for the list of commands');
    }
    if (name === 'help') {
      // `pman help CMD …` is `pman CMD … --help`; a bare group word lists the group.
      const words = rest.filter((w) => w !== '--help' && w !== '-h');
      if (words.length === 1 && GROUP_VERBS[words[0]]) {
        const help = groupHelp(words[0]);
        // podman: `pman container` alone is an error, `pman container --help` is not.
        if (rest.length === 1 && argv[commandIndex(argv)] !== 'help') {
          io.stderr.write(`Error: missing command "pman ${words[0]} COMMAND"\n${help}`);
          return 125;
        }
        io.stdout.write(help);
        return 0;
      }
      if (words.length > 0) return runCli([...globals, ...words, '--help'], io);
      io.stdout.write(topLevelHelp());
      return 0;
    }
    const entry = COMMANDS[name];
    if (!entry) throw new InvalidArgumentError(`unrecognized command "pman ${name}": run "pman --help" for the list of commands`);
    trace('cli: routed');
    // Commands that start a container get their shim process booting now, in parallel with
    // loading the rest of the CLI (see lib/shim/launch.ts).
    // (lib/main.ts has usually done this already, before the CLI was even loaded.)
    if (startsContainer(argv)) (await import('./shim/launch.js')).prelaunchShim();
    const spec = await entry.load();
    trace(`cli: loaded ${name}`);
    let exitCode = 0;
    const handle = async (parsed: Record<string, unknown>) => {
      checkGlobals(parsed);
      if (parsed.noout === true) io = { ...io, stdout: nullStream(io.stdout) };
      const engine = engineOptions(parsed);
      const ctx: Context = createContext({
        root: parsed.root as string | undefined,
        runroot: parsed.runroot as string | undefined,
        runtime: parsed.runtime as string | undefined,
        logLevel: parsed['log-level'] as LogLevel | undefined,
        engine,
        // Without --events-backend, containers.conf's events_logger, read at the first event.
        confEventsBackend: confEventsBackend(process.env, () => ctx.runroot, (m) => ctx.warn(m)),
        confHooksDirs: confHooksDirs(process.env, () => ctx.runroot),
      });
      if (engine?.runtimeFlags) {
        const { checkRuntimeFlags, setRuntimeFlags } = await import('./oci/runtime.js');
        setRuntimeFlags(engine.runtimeFlags);
        checkRuntimeFlags(ctx.runtime);
      }
      exitCode = await spec.handler(ctx, parsed, io);
    };
    const table = commandOptionTable(name, spec);
    const halt = spec.positionals === undefined;
    let args = [...globals, ...rest];
    if (table) {
      args = checkBooleanFlags(args, tableKinds(table), halt, spec.optionalValue);
      const fast = fastParsed(name, spec, args);
      if (fast) {
        await handle(fast);
        return exitCode;
      }
    }
    const { default: yargs } = await import('yargs');
    trace('cli: yargs loaded');
    const y = yargsParser(yargs, name, spec, args, io, handle);
    if (!table) args = checkBooleanFlags(args, yargsKinds(y), halt, spec.optionalValue);
    await y.parseAsync(args);
    return exitCode;
  } catch (err) {
    return reportError(err, io, debug);
  }
}

/** --noout: a stdout that takes everything and prints nothing (stderr still shows errors). */
function nullStream(real: NodeJS.WriteStream): NodeJS.WriteStream {
  return new Proxy(real, {
    get(target, prop) {
      if (prop === 'write') return (_chunk: unknown, enc?: unknown, cb?: unknown) => {
        const done = typeof enc === 'function' ? enc : cb;
        if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
        return true;
      };
      const v = Reflect.get(target, prop, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

/** Prints one line for an error (a stack only with --log-level debug) and returns the exit code. */
export function reportError(err: unknown, io: IO, debug: boolean): number {
  const e = err as Error;
  io.stderr.write(`Error: ${e?.message ?? String(err)}\n`);
  if (debug && e?.stack) io.stderr.write(`${e.stack}\n`);
  if (debug && e?.cause instanceof Error && e.cause.stack) io.stderr.write(`caused by: ${e.cause.stack}\n`);
  return exitCodeOf(err);
}
