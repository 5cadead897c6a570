// containers.conf's defaults for podman's flags of #20 part 1: tz, umask, shm_size, no_hosts and
// default_sysctls. lib/container/conf-defaults.ts passes only those whose flag was not given;
// here they are checked (messages name the key and the files) and put into the record's extras.
// Unlike a flag, a default that does not fit the container is left out, not refused, as podman
// does: default_sysctls of a namespace the container does not own (net.* with --network host or
// another container's network, IPC ones with --ipc host, kernel.domainname with --uts host),
// shm_size without a /dev/shm of the container's own, no_hosts when --add-host asks for entries.
import type { ExtrasConfig } from '../state/container-record.js';
import { parseShmSize, parseSysctls, parseUmask, sysctlNamespace, type SharedNamespaces } from './parse/extras.js';

export interface ExtrasConfDefaults {
  /** The files they come from, for messages: `containers.conf (FILE, …)`. */
  where: string;
  tz?: string;
  umask?: string;
  shmSize?: string;
  noHosts?: boolean;
  /** default_sysctls: below --sysctl (a flag for the same key wins). */
  sysctls?: string[];
}

export interface ExtrasConfFacts {
  shared: SharedNamespaces;
  /** --ipc's mode, when given (host, container, none: no /dev/shm of the container's own). */
  ipcMode?: string;
  addHosts: number;
  /** The host's zone file of a time zone (lib/container/extras.ts), which checks that it exists. */
  zoneFile: (tz: string, what: string) => string;
}

export function applyExtrasConf(x: ExtrasConfig, c: ExtrasConfDefaults, f: ExtrasConfFacts): void {
  const what = (key: string) => `${key} in ${c.where}`;
  if (c.tz !== undefined) {
    f.zoneFile(c.tz, what('tz'));
    x.tz = c.tz;
  }
  if (c.umask !== undefined) x.umask = parseUmask(c.umask, what('umask'));
  if (c.shmSize !== undefined) {
    const size = parseShmSize(c.shmSize, what('shm_size'));
    if (f.ipcMode !== 'host' && f.ipcMode !== 'container' && f.ipcMode !== 'none') x.shmSize = size;
  }
  if (c.noHosts && f.addHosts === 0) x.noHosts = true;
  if (c.sysctls?.length) {
    const all = parseSysctls(c.sysctls, { net: false, ipc: false, uts: false }, what('default_sysctls'));
    const own = Object.fromEntries(Object.entries(all).filter(([key]) => !f.shared[sysctlNamespace(key)!]));
    if (Object.keys(own).length) x.sysctls = { ...own, ...x.sysctls };
  }
}
