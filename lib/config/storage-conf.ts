// The keys of containers/storage's storage.conf that pman honours: those of --userns=auto
// (docs/userns.md). Read only when a container asks for --userns=auto; the file's other keys
// (driver, graphroot, …) describe podman's store, not pman's, and are ignored.
import fs from 'node:fs';
import { InvalidArgumentError } from '../errors.js';
import { parseTomlFile, readConfigFile } from './toml.js';

export interface AutoUsernsConf {
  /** root-auto-userns-user: whose /etc/subuid and /etc/subgid ranges auto containers share. */
  user: string;
  /** auto-userns-min-size and auto-userns-max-size (0: no maximum). */
  minSize: number;
  maxSize: number;
  /** The file read, if any (for messages). */
  file?: string;
}

/** containers/storage's defaults. */
export const AUTO_USERNS_DEFAULTS: AutoUsernsConf = { user: 'containers', minSize: 1024, maxSize: 65536 };

/**
 * The storage.conf root reads, as containers/storage finds it: CONTAINERS_STORAGE_CONF when set,
 * else /etc/containers/storage.conf when it exists, else /usr/share/containers/storage.conf.
 */
export function storageConfFile(env: NodeJS.ProcessEnv, exists: (p: string) => boolean = fs.existsSync): string {
  if (env.CONTAINERS_STORAGE_CONF) return env.CONTAINERS_STORAGE_CONF;
  return exists('/etc/containers/storage.conf') ? '/etc/containers/storage.conf' : '/usr/share/containers/storage.conf';
}

/** The auto-userns keys of storage.conf's text, checked; the defaults for those not set. */
export function parseAutoUsernsConf(text: string, file: string): AutoUsernsConf {
  const doc = parseTomlFile(text, file, 'storage.conf');
  const storage = doc.storage;
  const options = storage !== null && typeof storage === 'object' && !Array.isArray(storage) ? (storage as Record<string, unknown>).options : undefined;
  const conf: AutoUsernsConf = { ...AUTO_USERNS_DEFAULTS, file };
  if (options === undefined) return conf;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new InvalidArgumentError(`invalid storage.conf "${file}": [storage.options] must be a table`);
  const o = options as Record<string, unknown>;
  const user = o['root-auto-userns-user'];
  if (user !== undefined) {
    if (typeof user !== 'string' || !/^[A-Za-z0-9_.][A-Za-z0-9_.-]*$/.test(user)) {
      throw new InvalidArgumentError(`invalid storage.conf "${file}": root-auto-userns-user must be a user name, not ${JSON.stringify(user)}`);
    }
    conf.user = user;
  }
  for (const [key, field] of [['auto-userns-min-size', 'minSize'], ['auto-userns-max-size', 'maxSize']] as const) {
    const v = o[key];
    if (v === undefined) continue;
    const n = typeof v === 'bigint' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 4294967295) {
      throw new InvalidArgumentError(`invalid storage.conf "${file}": ${key} must be a whole number from 0 to 4294967295, not ${JSON.stringify(String(v))}`);
    }
    conf[field] = n;
  }
  return conf;
}

/** The auto-userns settings root's pman uses (the defaults without a storage.conf). */
export function loadAutoUsernsConf(env: NodeJS.ProcessEnv): AutoUsernsConf {
  const file = storageConfFile(env);
  const text = readConfigFile(file, 'storage.conf');
  return text === undefined ? { ...AUTO_USERNS_DEFAULTS } : parseAutoUsernsConf(text, file);
}
