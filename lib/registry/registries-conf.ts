// registries.conf in the containers' format (containers-registries.conf(5), version 2): search
// registries for short names, [aliases], and per-registry [[registry]] settings (insecure,
// blocked, location rewrites). Files are layered: the main file, then drop-ins, then pman's own
// override, each replacing what it sets.
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from '../errors.js';
import { parseTomlFile, readConfigFile, type TomlTable, type TomlValue } from '../config/toml.js';

export type ShortNameMode = 'enforcing' | 'permissive' | 'disabled';

export interface RegistryEntry {
  /** What the entry applies to: "host[:port][/path]" (or "*.example.com"). */
  prefix: string;
  /** Where to go instead (defaults to the prefix). */
  location: string;
  insecure: boolean;
  blocked: boolean;
}

export interface RegistriesConf {
  searchRegistries: string[];
  shortNameMode: ShortNameMode;
  /** Short name (no tag) -> fully qualified repository. */
  aliases: Record<string, string>;
  registries: RegistryEntry[];
  /** Where searchRegistries came from (for messages). */
  searchSource?: string;
  /** The files read, in order. */
  files: string[];
}

export function emptyRegistriesConf(): RegistriesConf {
  return { searchRegistries: [], shortNameMode: 'permissive', aliases: {}, registries: [], files: [] };
}

function bad(file: string, msg: string): InvalidArgumentError {
  return new InvalidArgumentError(`invalid registries configuration "${file}": ${msg}`);
}

function str(v: TomlValue | undefined, file: string, what: string): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw bad(file, `${what} must be a string`);
  return v;
}

function bool(v: TomlValue | undefined, file: string, what: string): boolean | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw bad(file, `${what} must be true or false`);
  return v;
}

/** Applies one file's text on top of `base` (returns a new object). */
export function applyRegistriesConf(base: RegistriesConf, text: string, file: string): RegistriesConf {
  // The file and the place in it: "…/registries.conf": line 3, column 9: <what is wrong>.
  const doc = parseTomlFile(text, file, 'registries configuration');
  const out: RegistriesConf = { ...base, aliases: { ...base.aliases }, registries: [...base.registries], files: [...base.files, file] };
  if (doc.registries !== undefined && !Array.isArray(doc.registries)) {
    throw bad(file, 'the version 1 format ([registries.search]) is not supported; use unqualified-search-registries');
  }
  const search = doc['unqualified-search-registries'];
  if (search !== undefined) {
    if (!Array.isArray(search) || !search.every((s) => typeof s === 'string')) throw bad(file, 'unqualified-search-registries must be an array of strings');
    out.searchRegistries = search as string[];
    out.searchSource = file;
  }
  const mode = str(doc['short-name-mode'], file, 'short-name-mode');
  if (mode !== undefined) {
    if (mode !== 'enforcing' && mode !== 'permissive' && mode !== 'disabled') throw bad(file, `short-name-mode "${mode}" must be enforcing, permissive or disabled`);
    out.shortNameMode = mode;
  }
  const aliases = doc.aliases;
  if (aliases !== undefined) {
    if (typeof aliases !== 'object' || Array.isArray(aliases)) throw bad(file, '[aliases] must be a table');
    for (const [k, v] of Object.entries(aliases)) {
      if (typeof v !== 'string') throw bad(file, `alias "${k}" must be a string`);
      out.aliases[k] = v;
    }
  }
  const regs = doc.registry;
  if (regs !== undefined) {
    if (!Array.isArray(regs)) throw bad(file, '[[registry]] must be an array of tables');
    for (const r of regs) {
      if (typeof r !== 'object' || Array.isArray(r)) throw bad(file, '[[registry]] entries must be tables');
      const t = r as TomlTable;
      const location = str(t.location, file, 'registry.location');
      const prefix = str(t.prefix, file, 'registry.prefix') ?? location;
      if (!prefix) throw bad(file, 'a [[registry]] needs a location or a prefix');
      const entry: RegistryEntry = {
        prefix,
        location: location ?? prefix,
        insecure: bool(t.insecure, file, 'registry.insecure') ?? false,
        blocked: bool(t.blocked, file, 'registry.blocked') ?? false,
      };
      const at = out.registries.findIndex((e) => e.prefix === prefix);
      if (at >= 0) out.registries[at] = entry;
      else out.registries.push(entry);
    }
  }
  return out;
}

export interface RegistriesConfPaths {
  /** Main files; the first that exists is read. */
  main: string[];
  /** Directories of *.conf drop-ins, read in order, files sorted by name. */
  dropInDirs: string[];
  /** pman's own override, read last (optional). */
  override?: string;
}

const readIfExists = (file: string) => readConfigFile(file, 'registries configuration');

export function loadRegistriesConf(paths: RegistriesConfPaths): RegistriesConf {
  let conf = emptyRegistriesConf();
  for (const file of paths.main) {
    const text = readIfExists(file);
    if (text !== undefined) {
      conf = applyRegistriesConf(conf, text, file);
      break;
    }
  }
  for (const dir of paths.dropInDirs) {
    let names: string[];
    try {
      names = fs.readdirSync(dir).filter((f) => f.endsWith('.conf')).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      const file = path.join(dir, name);
      const text = readIfExists(file);
      if (text !== undefined) conf = applyRegistriesConf(conf, text, file);
    }
  }
  if (paths.override) {
    const text = readIfExists(paths.override);
    if (text !== undefined) conf = applyRegistriesConf(conf, text, paths.override);
  }
  return conf;
}

/** The [[registry]] entry that applies to "host/repo" (longest prefix; "*.domain" wildcards). */
export function findRegistryEntry(conf: RegistriesConf, repository: string): RegistryEntry | undefined {
  let best: RegistryEntry | undefined;
  let bestLen = -1;
  for (const e of conf.registries) {
    let len = -1;
    if (e.prefix.startsWith('*.')) {
      const host = repository.split('/')[0];
      if (host.endsWith(e.prefix.slice(1))) len = e.prefix.length;
    } else if (repository === e.prefix || repository.startsWith(`${e.prefix}/`)) {
      len = e.prefix.length;
    }
    if (len > bestLen) {
      best = e;
      bestLen = len;
    }
  }
  return best;
}
