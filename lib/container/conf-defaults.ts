// containers.conf's [containers] and [engine] defaults put under create/run's options: the one
// place where a container's defaults come from the configuration files. A flag given on the
// command line always wins; for list keys (annotations, ulimits) the file's entries come first,
// so a flag naming the same key replaces it. docs/config-files.md lists what is applied.
import { InvalidArgumentError } from '../errors.js';
import { confRuntime, type ContainersConf } from '../config/containers-conf.js';
import { normalizeCap } from '../oci/capabilities.js';
import { DEFAULT_CAPS } from '../oci/spec-security.js';
import type { CreateOptions } from './create.js';
import type { ExtrasConfDefaults } from './extras-conf.js';
import { emptyConfigOptions } from './host-config.js';

/** Which boolean flags the user gave (true or false), so that only the others take the file's value. */
export interface GivenFlags {
  envHost: boolean;
  init: boolean;
  noHosts: boolean;
}

const CONF_LOG_DRIVERS = ['k8s-file', 'json-file', 'none'];

/** The files of a configuration, for messages: `containers.conf (FILE, …)`. */
export const confWhere = (conf: ContainersConf) => `containers.conf (${conf.files.join(', ')})`;

/** default_sysctls for a new pod's infra container, whose namespaces the members join (podman's rule). */
export function podSysctlsOf(conf: ContainersConf): { where: string; sysctls: string[] } | undefined {
  return conf.defaultSysctls?.length ? { where: confWhere(conf), sysctls: conf.defaultSysctls } : undefined;
}

export function applyConfDefaults(opts: CreateOptions, conf: ContainersConf, given: GivenFlags): CreateOptions {
  if (conf.files.length === 0) return opts;
  const where = confWhere(conf);
  const c = opts.config ?? emptyConfigOptions();
  const out: CreateOptions = { ...opts, config: { ...c, resources: { ...c.resources }, security: { ...c.security }, network: { ...c.network } } };
  const config = out.config!;
  if (conf.env?.length) out.defaultEnv = conf.env;
  if (conf.envHost !== undefined && !given.envHost) config.envHost = conf.envHost;
  if (conf.init !== undefined && !given.init) config.init = conf.init;
  if (conf.initPath && config.initPath === undefined) config.initPath = conf.initPath;
  if (conf.annotations?.length) config.annotations = [...conf.annotations, ...config.annotations];
  if (conf.defaultUlimits?.length) config.resources.ulimits = [...conf.defaultUlimits, ...config.resources.ulimits];
  if (conf.pidsLimit !== undefined && config.resources.pidsLimit === undefined) config.resources.pidsLimit = String(conf.pidsLimit);
  if (conf.defaultCapabilities) {
    const caps = [...new Set(conf.defaultCapabilities.map((cap) => normalizeCap(cap, `default_capabilities in ${where}`)))];
    // The usual file repeats pman's own set: only a different set goes into the record.
    if (caps.length !== DEFAULT_CAPS.length || !caps.every((cap) => DEFAULT_CAPS.includes(cap))) config.security.defaultCaps = caps;
  }
  const joins = config.network.network?.startsWith('container:') || config.network.network?.startsWith('ns:');
  if (!joins) {
    if (conf.dnsServers?.length && config.network.dns.length === 0) config.network.dns = conf.dnsServers;
    if (conf.dnsSearches?.length && config.network.dnsSearch.length === 0) config.network.dnsSearch = conf.dnsSearches;
    if (conf.dnsOptions?.length && config.network.dnsOptions.length === 0) config.network.dnsOptions = conf.dnsOptions;
  }
  if (conf.logDriver !== undefined && out.logDriver === undefined) {
    if (!CONF_LOG_DRIVERS.includes(conf.logDriver)) {
      throw new InvalidArgumentError(`log_driver "${conf.logDriver}" in ${where} is not supported: use one of ${CONF_LOG_DRIVERS.join(', ')}`);
    }
    out.logDriver = conf.logDriver;
  }
  const logOpts = out.logOpts ?? [];
  if (conf.logSizeMax !== undefined && conf.logSizeMax > 0 && !logOpts.some((o) => o.startsWith('max-size='))) out.logOpts = [`max-size=${conf.logSizeMax}`, ...logOpts];
  if (conf.stopTimeout !== undefined && out.stopTimeout === undefined) out.stopTimeout = conf.stopTimeout;
  if (conf.runtime !== undefined && out.runtime === undefined) out.runtime = confRuntime(conf);
  const extras = out.extras && extrasDefaults(conf, out.extras, out.pod, given, where);
  if (extras) out.extras = { ...out.extras!, conf: extras };
  return out;
}

/** tz, umask, shm_size, no_hosts, default_sysctls for the flags not given; checked and applied in lib/container/extras-conf.ts. */
function extrasDefaults(conf: ContainersConf, x: NonNullable<CreateOptions['extras']>, pod: string | undefined, given: GivenFlags, where: string): ExtrasConfDefaults | undefined {
  const d: ExtrasConfDefaults = { where };
  if (conf.tz !== undefined && x.tz === undefined) d.tz = conf.tz;
  if (conf.umask !== undefined && x.umask === undefined) d.umask = conf.umask;
  if (conf.shmSize !== undefined && x.shmSize === undefined) d.shmSize = conf.shmSize;
  if (conf.noHosts && !given.noHosts) d.noHosts = true;
  // A pod's member joins the infra's namespaces (the host's with a pod on --network host): podman
  // leaves the defaults out there too (FromPod); the infra gets them (podConfSysctls).
  if (conf.defaultSysctls?.length && pod === undefined) d.sysctls = conf.defaultSysctls;
  return Object.keys(d).length > 1 ? d : undefined;
}
