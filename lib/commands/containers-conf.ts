// containers.conf for create/run: the files the environment names (lib/config/containers-conf.ts)
// read once per command, through the cache in the user's runtime directory
// (lib/config/conf-cache.ts), and applied under the command line's options.
import path from 'node:path';
import { callerIds, createContext } from '../context.js';
import { containersConfSequence, type ContainersConf } from '../config/containers-conf.js';
import { loadContainersConfCached } from '../config/conf-cache.js';
import { applyConfDefaults } from '../container/conf-defaults.js';
import type { CreateOptions } from '../container/create.js';

/** The cache lives in the store's runtime directory (per user, tmpfs): `<runroot>/containers-conf.json`. */
export function containersConfFor(env: NodeJS.ProcessEnv, runroot: string): ContainersConf {
  return loadContainersConfCached(containersConfSequence(env, callerIds(env).uid !== 0), path.join(runroot, 'containers-conf.json'));
}

export function withContainersConf(opts: CreateOptions, argv: Record<string, unknown>, env: NodeJS.ProcessEnv): CreateOptions {
  // The runroot as the command's context has it (--runroot, PMAN_RUNROOT, the default).
  const { runroot } = createContext({ runroot: argv.runroot as string | undefined, env });
  return applyConfDefaults(opts, containersConfFor(env, runroot), {
    envHost: argv['env-host'] !== undefined,
    init: argv.init !== undefined,
    noHosts: argv['no-hosts'] !== undefined,
  });
}
