// OCI hooks configuration (oci-hooks(5)), read as podman 4.3.1 reads it: every `*.json` file of
// the hooks directories, a file in a later directory masking one of the same name in an earlier
// one; schema 1.0.0 and the deprecated 0.1.0. Files are untrusted input: each is checked whole,
// and the first bad one stops the create with one line naming it. docs/commands.md, "OCI hooks".
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { InvalidArgumentError } from '../errors.js';

/** podman's default when neither --hooks-dir nor containers.conf's hooks_dir names any (root and rootless alike). */
export const DEFAULT_HOOKS_DIRS = ['/usr/share/containers/oci/hooks.d'];

/** The stages runc runs from config.json's `hooks`. */
export const RUNTIME_STAGES = ['prestart', 'createRuntime', 'createContainer', 'startContainer', 'poststart', 'poststop'] as const;
/** podman's extension stage, run by pman itself at create: the hook filters config.json. */
export const PRECREATE = 'precreate';

export type HookStage = (typeof RUNTIME_STAGES)[number] | typeof PRECREATE;

/** One hook as config.json's `hooks` holds it (the OCI runtime spec's Hook). */
export interface OciHook {
  path: string;
  args?: string[];
  env?: string[];
  timeout?: number;
}

/** When a hook applies to a container: every condition given must hold (0.1.0 files: any one). */
export interface HookWhen {
  always?: boolean;
  /** Key pattern -> value pattern: some annotation must match both. */
  annotations?: Array<[RegExp, RegExp]>;
  /** Patterns of the container's command (its process.args[0]). */
  commands?: RegExp[];
  hasBindMounts?: boolean;
  /** Any one condition suffices (the 0.1.0 schema's meaning). */
  any?: boolean;
}

export interface HookConfig {
  /** The file's name: hooks apply in the order of their names (case ignored). */
  name: string;
  file: string;
  hook: OciHook;
  when: HookWhen;
  stages: HookStage[];
}

/** The hooks directories in effect: --hooks-dir, else containers.conf's hooks_dir, else podman's default. */
export function hooksDirs(ctx: Context): string[] {
  return ctx.engine?.hooksDirs ?? ctx.confHooksDirs?.() ?? DEFAULT_HOOKS_DIRS;
}

/**
 * The hooks of `dirs` (in increasing precedence), sorted by file name. A directory that does not
 * exist has none (one failed open: the cost when hooks are not used). A hook whose program does
 * not exist is left out, as podman leaves it out (`debug` says so).
 */
export function readHooks(dirs: string[], debug: (message: string) => void = () => undefined): HookConfig[] {
  const byName = new Map<string, HookConfig>();
  for (const dir of dirs) {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new InvalidArgumentError(`cannot read the OCI hooks directory "${dir}": ${(err as NodeJS.ErrnoException).code === 'ENOTDIR' ? 'not a directory' : (err as Error).message}`);
    }
    for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
      const file = path.join(dir, name);
      const hook = readHookFile(file);
      // (A same-named file of an earlier directory stays then, as in podman.)
      if (fs.existsSync(hook.hook.path)) byName.set(name, hook);
      else debug(`OCI hook "${file}" left out: its program ${hook.hook.path} does not exist`);
    }
  }
  return [...byName.values()].sort((a, b) => cmp(a.name.toLowerCase(), b.name.toLowerCase()) || cmp(a.name, b.name));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One hook file, checked: its version's schema, an absolute program path, known stages, patterns that compile. */
export function readHookFile(file: string): HookConfig {
  const bad = (problem: string) => new InvalidArgumentError(`invalid OCI hook "${file}": ${problem}`);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw bad(code === 'EISDIR' ? 'a directory, not a file' : code === 'EACCES' ? 'permission denied' : (err as Error).message);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw bad(`not JSON (${(err as Error).message})`);
  }
  if (!isObject(doc)) throw bad('not a JSON object');
  const version = doc.version;
  let parsed: Omit<HookConfig, 'name' | 'file'>;
  if (version === '1.0.0') parsed = readCurrent(doc, bad);
  else if (version === undefined || version === '' || version === '0.1.0') parsed = readLegacy(doc, bad);
  else throw bad(`unrecognized hook version ${JSON.stringify(version)}: use "1.0.0"`);
  if (!path.isAbsolute(parsed.hook.path)) throw bad(`hook.path "${parsed.hook.path}" must be an absolute path`);
  return { name: path.basename(file), file, ...parsed };
}

type Bad = (problem: string) => InvalidArgumentError;

function readCurrent(doc: Record<string, unknown>, bad: Bad): Omit<HookConfig, 'name' | 'file'> {
  const h = doc.hook;
  if (!isObject(h)) throw bad(h === undefined ? 'missing required property: hook' : 'hook must be an object');
  const hookPath = h.path;
  if (hookPath === undefined || hookPath === '') throw bad('missing required property: hook.path');
  if (typeof hookPath !== 'string') throw bad('hook.path must be a string');
  const hook: OciHook = { path: hookPath };
  if (h.args !== undefined) hook.args = strings(h.args, 'hook.args', bad);
  if (h.env !== undefined) hook.env = strings(h.env, 'hook.env', bad);
  if (h.timeout !== undefined) {
    if (typeof h.timeout !== 'number' || !Number.isInteger(h.timeout) || h.timeout <= 0) throw bad(`hook.timeout ${JSON.stringify(h.timeout)} must be a whole number of seconds above 0`);
    hook.timeout = h.timeout;
  }
  const w = doc.when ?? {};
  if (!isObject(w)) throw bad('when must be an object');
  const when: HookWhen = {};
  for (const key of ['always', 'hasBindMounts'] as const) {
    if (w[key] === undefined) continue;
    if (typeof w[key] !== 'boolean') throw bad(`when.${key} must be true or false`);
    when[key] = w[key] as boolean;
  }
  if (w.annotations !== undefined) {
    if (!isObject(w.annotations)) throw bad('when.annotations must be an object of patterns');
    when.annotations = Object.entries(w.annotations).map(([k, v]) => {
      if (typeof v !== 'string') throw bad(`when.annotations["${k}"] must be a string`);
      return [pattern(k, 'annotation key', bad), pattern(v, 'annotation value', bad)];
    });
  }
  if (w.commands !== undefined) when.commands = strings(w.commands, 'when.commands', bad).map((c) => pattern(c, 'command', bad));
  return { hook, when, stages: stages(doc.stages, bad) };
}

/** The 0.1.0 schema (deprecated, still read by podman): its fields in their 1.0.0 form, any condition sufficing. */
function readLegacy(doc: Record<string, unknown>, bad: Bad): Omit<HookConfig, 'name' | 'file'> {
  const one = (a: string, b: string): unknown => {
    if (doc[a] !== undefined && doc[b] !== undefined) throw bad(`cannot set both '${b}' and '${a}'`);
    return doc[a] ?? doc[b];
  };
  if (doc.hook === undefined) throw bad('missing required property: hook');
  if (typeof doc.hook !== 'string' || doc.hook === '') throw bad('hook must be the path of a program');
  const hook: OciHook = { path: doc.hook };
  if (doc.arguments !== undefined) hook.args = [doc.hook, ...strings(doc.arguments, 'arguments', bad)];
  const when: HookWhen = { any: true };
  const cmds = one('cmds', 'cmd');
  if (cmds !== undefined) when.commands = strings(cmds, 'cmds', bad).map((c) => pattern(c, 'command', bad));
  const annotations = one('annotations', 'annotation');
  if (annotations !== undefined) when.annotations = [[/.*/, pattern(strings(annotations, 'annotations', bad).join('|'), 'annotation value', bad)]];
  if (doc.hasbindmounts !== undefined) {
    if (typeof doc.hasbindmounts !== 'boolean') throw bad('hasbindmounts must be true or false');
    when.hasBindMounts = doc.hasbindmounts;
  }
  return { hook, when, stages: stages(one('stages', 'stage'), bad) };
}

function stages(value: unknown, bad: Bad): HookStage[] {
  if (value === undefined || value === null) throw bad('missing required property: stages');
  const known: string[] = [...RUNTIME_STAGES, PRECREATE];
  return strings(value, 'stages', bad).map((s) => {
    if (!known.includes(s)) throw bad(`unknown stage "${s}": use ${known.join(', ')}`);
    return s as HookStage;
  });
}

function strings(value: unknown, what: string, bad: Bad): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw bad(`${what} must be an array of strings`);
  return value as string[];
}

/**
 * A pattern of Go's regexp syntax (podman's), unanchored, as a JavaScript RegExp: the common
 * syntax is the same; Go's leading flag group `(?i)`, `(?s)`, `(?m)` becomes the RegExp's flags.
 */
export function pattern(source: string, what: string, bad: Bad): RegExp {
  const flags = /^\(\?([ims]+)\)/.exec(source);
  try {
    return flags ? new RegExp(source.slice(flags[0].length), [...new Set(flags[1])].join('')) : new RegExp(source);
  } catch (err) {
    throw bad(`invalid ${what} pattern ${JSON.stringify(source)}: ${(err as Error).message}`);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
