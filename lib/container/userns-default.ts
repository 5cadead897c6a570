// The user namespace mode a container gets when none is asked for (docs/userns.md, "The default
// mode"): podman 4.3.1's order is --userns, then the PODMAN_USERNS environment variable, then
// containers.conf's [containers] userns. The mode found is checked and applied where a --userns
// would be (lib/container/parse/security.ts), its messages naming where it came from.
//
// As in podman: an empty --userns or PODMAN_USERNS counts as not given; ID-map flags choose the
// container's namespace themselves (podman makes the mode "private" then); a member of a pod gets
// none of the defaults (podman drops their maps unless the pod itself has a user namespace, which
// pman's pods never have: checkPodUsernsEnv). Pure: the caller passes the environment and the file.
import { InvalidArgumentError } from '../errors.js';
import type { ContainersConf } from '../config/containers-conf.js';
import { confWhere } from './conf-defaults.js';
import type { CreateOptions } from './create.js';
import { hasIdMapFlags } from './parse/idmaps.js';

export interface UsernsDefault {
  mode: string;
  /** For messages: `PODMAN_USERNS`, `userns in containers.conf (FILE, …)`. */
  from: string;
}

/** PODMAN_USERNS when set and not empty, else containers.conf's userns, else nothing. */
export function usernsDefault(env: NodeJS.ProcessEnv, conf: ContainersConf | undefined): UsernsDefault | undefined {
  if (env.PODMAN_USERNS) return { mode: env.PODMAN_USERNS, from: 'PODMAN_USERNS' };
  if (conf?.userns !== undefined) return { mode: conf.userns, from: `userns in ${confWhere(conf)}` };
  return undefined;
}

/** The create options with the default user namespace mode put where --userns goes, when it applies. */
export function withDefaultUserns(opts: CreateOptions, env: NodeJS.ProcessEnv, conf: ContainersConf | undefined): CreateOptions {
  const c = opts.config;
  if (!c || c.security.userns || hasIdMapFlags(c.idMaps) || opts.pod !== undefined) return opts;
  const d = usernsDefault(env, conf);
  if (!d) return opts;
  return { ...opts, config: { ...c, security: { ...c.security, userns: d.mode, usernsFrom: d.from } } };
}

/**
 * podman gives a new pod's infra container PODMAN_USERNS as its --userns, and the pod's members
 * then share that user namespace. pman's pods share the host's, so a mode other than host is
 * refused where a pod with an infra container is made (pod create, --pod new:, kube play), rather
 * than giving the pod less isolation than was asked for. containers.conf's userns does not make
 * podman's pod share a namespace (only its infra gets it): pman leaves it out there.
 */
export function checkPodUsernsEnv(env: NodeJS.ProcessEnv, what: string): void {
  const mode = env.PODMAN_USERNS;
  if (!mode || mode === 'host') return;
  throw new InvalidArgumentError(
    `cannot ${what} with PODMAN_USERNS "${mode}": podman would give the pod's containers a user namespace of their own, shared by the pod, and pman's pods share the host's; unset PODMAN_USERNS (or set it to host) for this command`,
  );
}
