// containers.conf (containers.conf(5)): the defaults podman users keep for every container, read
// from the same files podman reads, in podman's order, each file replacing the keys it sets.
// Only the keys that mean something to pman are kept (docs/config-files.md lists them); unknown
// keys and tables are ignored, as podman ignores them. A file that is not valid TOML, or a known
// key of the wrong type, is an error naming the file and the line.
//
// Cost: files are parsed with smol-toml (lib/config/toml.ts); `pman create`/`run` read the merged
// result from a cache keyed by the files' identities (lib/config/conf-cache.ts) and parse only
// after a file changed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InvalidArgumentError } from '../errors.js';
import { parseTomlFile, readConfigFile, type TomlTable, type TomlValue } from './toml.js';

export interface ContainersConf {
  // [containers]
  annotations?: string[];
  defaultCapabilities?: string[];
  defaultSysctls?: string[];
  defaultUlimits?: string[];
  dnsServers?: string[];
  dnsSearches?: string[];
  dnsOptions?: string[];
  env?: string[];
  envHost?: boolean;
  init?: boolean;
  initPath?: string;
  logDriver?: string;
  /** Bytes; -1 = unlimited. */
  logSizeMax?: number;
  noHosts?: boolean;
  /** 0 or -1 = unlimited. */
  pidsLimit?: number;
  shmSize?: string;
  tz?: string;
  umask?: string;
  /** The default user namespace mode (below PODMAN_USERNS and --userns: lib/container/userns-default.ts). */
  userns?: string;
  /** Read and checked, not applied: podman 4.3.1 does not use it either (docs/config-files.md). */
  usernsSize?: number;
  // [engine]
  eventsLogger?: string;
  /** OCI hooks directories (docs/commands.md, "OCI hooks"), in increasing precedence. */
  hooksDir?: string[];
  imageDefaultTransport?: string;
  /** The runtime's name (a key of runtimes) or a path. */
  runtime?: string;
  /** Runtime name -> candidate paths, the first that exists is used. */
  runtimes?: Record<string, string[]>;
  stopTimeout?: number;
  /** The files read, in order (for messages and `pman info`). */
  files: string[];
}

type Kind = 'string' | 'strings' | 'bool' | 'int';

/** The keys pman applies: TOML name -> [field, type]. */
const CONTAINERS_KEYS: Record<string, [keyof ContainersConf, Kind]> = {
  annotations: ['annotations', 'strings'],
  default_capabilities: ['defaultCapabilities', 'strings'],
  default_sysctls: ['defaultSysctls', 'strings'],
  default_ulimits: ['defaultUlimits', 'strings'],
  dns_servers: ['dnsServers', 'strings'],
  dns_searches: ['dnsSearches', 'strings'],
  dns_options: ['dnsOptions', 'strings'],
  env: ['env', 'strings'],
  env_host: ['envHost', 'bool'],
  init: ['init', 'bool'],
  init_path: ['initPath', 'string'],
  log_driver: ['logDriver', 'string'],
  log_size_max: ['logSizeMax', 'int'],
  no_hosts: ['noHosts', 'bool'],
  pids_limit: ['pidsLimit', 'int'],
  shm_size: ['shmSize', 'string'],
  tz: ['tz', 'string'],
  umask: ['umask', 'string'],
  userns: ['userns', 'string'],
  userns_size: ['usernsSize', 'int'],
};

const ENGINE_KEYS: Record<string, [keyof ContainersConf, Kind]> = {
  events_logger: ['eventsLogger', 'string'],
  hooks_dir: ['hooksDir', 'strings'],
  image_default_transport: ['imageDefaultTransport', 'string'],
  runtime: ['runtime', 'string'],
  stop_timeout: ['stopTimeout', 'int'],
};

/** podman's events backends (pman takes journald as its file: lib/config/events-logger.ts). */
const EVENTS_LOGGERS = ['file', 'journald', 'none'];

export type ConfStep = { file?: string; dir?: string };

/**
 * Where podman reads containers.conf, in its order: CONTAINERS_CONF alone when set; otherwise
 * /usr/share/containers/containers.conf, /etc/containers/containers.conf, their
 * containers.conf.d/ drop-ins, and for a rootless user ~/.config/containers/containers.conf and
 * its drop-ins; CONTAINERS_CONF_OVERRIDE last in both cases.
 */
export function containersConfSequence(env: NodeJS.ProcessEnv, rootless: boolean): ConfStep[] {
  const seq: ConfStep[] = [];
  if (env.CONTAINERS_CONF) seq.push({ file: env.CONTAINERS_CONF });
  else {
    seq.push({ file: '/usr/share/containers/containers.conf' }, { file: '/etc/containers/containers.conf' });
    seq.push({ dir: '/usr/share/containers/containers.conf.d' }, { dir: '/etc/containers/containers.conf.d' });
    if (rootless) {
      const configHome = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), '.config');
      seq.push({ file: path.join(configHome, 'containers', 'containers.conf') }, { dir: path.join(configHome, 'containers', 'containers.conf.d') });
    }
  }
  if (env.CONTAINERS_CONF_OVERRIDE) seq.push({ file: env.CONTAINERS_CONF_OVERRIDE });
  return seq;
}

function bad(file: string, msg: string): InvalidArgumentError {
  return new InvalidArgumentError(`invalid containers.conf "${file}": ${msg}`);
}

/** The 1-based line where `key =` is set in `[table]`, for messages about its value (0 if not found). */
function lineOf(text: string, table: string, key: string): number {
  const lines = text.split('\n');
  let inTable = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i].trim();
    const header = /^\[([^\]]+)\]/.exec(l);
    if (header) inTable = header[1].trim() === table;
    else if (inTable && new RegExp(`^"?${key}"?\\s*=`).test(l)) return i + 1;
  }
  return 0;
}

function typed(v: TomlValue, kind: Kind): unknown {
  if (kind === 'string') return typeof v === 'string' ? v : undefined;
  if (kind === 'bool') return typeof v === 'boolean' ? v : undefined;
  if (kind === 'int') return typeof v === 'number' && Number.isInteger(v) ? v : typeof v === 'bigint' ? Number(v) : undefined;
  return Array.isArray(v) && v.every((s) => typeof s === 'string') ? v : undefined;
}

const KIND_WORDS: Record<Kind, string> = { string: 'a string', strings: 'an array of strings', bool: 'true or false', int: 'a whole number' };

function applyTable(out: ContainersConf, table: TomlValue | undefined, name: string, keys: Record<string, [keyof ContainersConf, Kind]>, text: string, file: string): void {
  if (table === undefined || typeof table !== 'object' || Array.isArray(table) || table instanceof Date) return;
  for (const [key, value] of Object.entries(table as TomlTable)) {
    const known = keys[key];
    if (!known) continue;
    const v = typed(value, known[1]);
    if (v === undefined) throw bad(file, `line ${lineOf(text, name, key)}: ${name}.${key} must be ${KIND_WORDS[known[1]]}`);
    (out as unknown as Record<string, unknown>)[known[0]] = v;
  }
}

/** Applies one file's text on top of `base` (returns a new object). */
export function applyContainersConf(base: ContainersConf, text: string, file: string): ContainersConf {
  const out: ContainersConf = { ...base, files: [...base.files, file] };
  const doc = parseTomlFile(text, file, 'containers.conf');
  applyTable(out, doc.containers, 'containers', CONTAINERS_KEYS, text, file);
  applyTable(out, doc.engine, 'engine', ENGINE_KEYS, text, file);
  if (out.eventsLogger !== base.eventsLogger && !EVENTS_LOGGERS.includes(out.eventsLogger!)) {
    throw bad(file, `line ${lineOf(text, 'engine', 'events_logger')}: engine.events_logger "${out.eventsLogger}" must be one of ${EVENTS_LOGGERS.join(', ')}`);
  }
  const engine = doc.engine as TomlTable | undefined;
  const runtimes = engine && typeof engine === 'object' ? engine.runtimes : undefined;
  if (runtimes !== undefined && typeof runtimes === 'object' && !Array.isArray(runtimes)) {
    out.runtimes = { ...base.runtimes };
    for (const [name, paths] of Object.entries(runtimes as TomlTable)) {
      const list = typed(paths, 'strings');
      if (list === undefined) throw bad(file, `line ${lineOf(text, 'engine.runtimes', name)}: engine.runtimes.${name} must be ${KIND_WORDS.strings}`);
      out.runtimes[name] = list as string[];
    }
  }
  return out;
}

const FIELD_KINDS = new Map<string, Kind>([...Object.values(CONTAINERS_KEYS), ...Object.values(ENGINE_KEYS)]);

/**
 * The fields a merged configuration can have, as this pman knows them: a cache written by a pman
 * that knew other keys may lack one that the files set, so the cache records this list.
 */
export const CONF_FIELDS: string[] = [...FIELD_KINDS.keys(), 'runtimes'].sort();

/**
 * A merged configuration read back from somewhere untrusted (the cache): every field a known one
 * of its type, or undefined.
 */
export function checkedContainersConf(value: unknown): ContainersConf | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const strings = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string');
  for (const [field, v] of Object.entries(value)) {
    const kind = FIELD_KINDS.get(field);
    if (field === 'files' || kind === 'strings') {
      if (!strings(v)) return undefined;
    } else if (field === 'runtimes') {
      if (typeof v !== 'object' || v === null || Array.isArray(v) || !Object.values(v).every(strings)) return undefined;
    } else if (kind === undefined || typed(v as TomlValue, kind) === undefined) return undefined;
  }
  return strings((value as ContainersConf).files) ? (value as ContainersConf) : undefined;
}

function dropIns(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.conf'))
      .sort()
      .map((f) => path.join(dir, f));
  } catch {
    return [];
  }
}

/** The files a sequence names, in order: its files and the drop-ins of its directories as they are now. */
export function sequenceFiles(sequence: ConfStep[]): string[] {
  return sequence.flatMap((step) => (step.file ? [step.file] : dropIns(step.dir!)));
}

export function loadContainersConf(sequence: ConfStep[]): ContainersConf {
  let conf: ContainersConf = { files: [] };
  for (const file of sequenceFiles(sequence)) {
    const text = readConfigFile(file, 'containers.conf');
    if (text !== undefined) conf = applyContainersConf(conf, text, file);
  }
  return conf;
}

/** The runtime containers.conf names, as a path or a name on PATH: engine.runtimes resolves names. */
export function confRuntime(conf: ContainersConf, exists: (p: string) => boolean = fs.existsSync): string | undefined {
  if (!conf.runtime) return undefined;
  const paths = conf.runtimes?.[conf.runtime];
  if (!paths || paths.length === 0) return conf.runtime;
  const found = paths.find(exists);
  if (!found) throw new InvalidArgumentError(`containers.conf: runtime "${conf.runtime}" is not at any of its engine.runtimes paths (${paths.join(', ')}): install it or choose another runtime`);
  return found;
}
