// containers.conf's defaults for the creators that have no command line: `kube play` and the
// Docker-compatible API's create (podman applies the file to both). The same resolution as
// create/run (lib/container/conf-defaults.ts), as if no flag had been given, except the
// booleans the caller says its input set. Kept apart from conf-defaults.ts so that the run path
// does not load extras.ts (create.ts imports it lazily).
import type { ContainersConf } from '../config/containers-conf.js';
import { applyConfDefaults, type GivenFlags } from './conf-defaults.js';
import type { CreateOptions } from './create.js';
import { noExtras } from './extras.js';

export function applyConfDefaultsWithoutFlags(opts: CreateOptions, conf: ContainersConf, given: Partial<GivenFlags> = {}): CreateOptions {
  if (conf.files.length === 0) return opts;
  // Without an extras part the file's tz, umask, shm_size, no_hosts and sysctls would have no place to go.
  return applyConfDefaults({ ...opts, extras: opts.extras ?? noExtras() }, conf, { envHost: false, init: false, noHosts: false, ...given });
}
