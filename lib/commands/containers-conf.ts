// containers.conf for create/run: the files the environment names (lib/config/containers-conf.ts)
// read once per command, through the cache in the user's runtime directory
// (lib/config/conf-cache.ts), and applied under the command line's options.
import { createContext } from '../context.js';
import { containersConfFor } from '../config/conf-cache.js';
import { applyConfDefaults, podSysctlsOf } from '../container/conf-defaults.js';
import type { CreateOptions } from '../container/create.js';
import type { PodCreateOptions } from '../pod/create.js';
import { withDefaultUserns } from '../container/userns-default.js';

export function withContainersConf(opts: CreateOptions, argv: Record<string, unknown>, env: NodeJS.ProcessEnv): CreateOptions {
  // The runroot as the command's context has it (--runroot, PMAN_RUNROOT, the default).
  const { runroot } = createContext({ runroot: argv.runroot as string | undefined, env });
  const conf = containersConfFor(env, runroot);
  const withConf = applyConfDefaults(opts, conf, {
    envHost: argv['env-host'] !== undefined,
    init: argv.init !== undefined,
    noHosts: argv['no-hosts'] !== undefined,
  });
  return withDefaultUserns(withConf, env, conf);
}

/** default_sysctls for a new pod's infra container, whose namespaces the members join (podman's rule). */
export function podConfSysctls(env: NodeJS.ProcessEnv, runroot: string): PodCreateOptions['confSysctls'] {
  return podSysctlsOf(containersConfFor(env, runroot));
}
