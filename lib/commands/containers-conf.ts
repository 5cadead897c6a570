// containers.conf for create/run: the files the environment names (lib/config/containers-conf.ts)
// read once per command and applied under the command line's options.
import { callerIds } from '../context.js';
import { containersConfSequence, loadContainersConf, type ContainersConf } from '../config/containers-conf.js';
import { applyConfDefaults } from '../container/conf-defaults.js';
import type { CreateOptions } from '../container/create.js';

export function containersConfFor(env: NodeJS.ProcessEnv): ContainersConf {
  return loadContainersConf(containersConfSequence(env, callerIds(env).uid !== 0));
}

export function withContainersConf(opts: CreateOptions, argv: Record<string, unknown>, env: NodeJS.ProcessEnv): CreateOptions {
  return applyConfDefaults(opts, containersConfFor(env), { envHost: argv['env-host'] !== undefined, init: argv.init !== undefined });
}
