// Security flags of create/run (--cap-add/--cap-drop, --privileged, --security-opt, --group-add,
// --userns) checked and normalised into a SecurityConfig. Pure except for resolving a seccomp
// profile's path against the working directory.
import path from 'node:path';
import { InvalidArgumentError } from '../../errors.js';
import { normalizeCap } from '../../oci/capabilities.js';
import type { SecurityConfig } from '../../state/container-record.js';
import { rootlessUnsupported } from '../../rootless/unsupported.js';
import { isAutoUserns, parseAutoUserns } from './userns-auto.js';

export interface SecurityFlags {
  privileged?: boolean;
  capAdd: string[];
  capDrop: string[];
  securityOpts: string[];
  groupAdd: string[];
  userns?: string;
  /**
   * Where userns came from when no --userns was given (PODMAN_USERNS, containers.conf's userns,
   * the API's HostConfig.UsernsMode), for messages: lib/container/userns-default.ts.
   */
  usernsFrom?: string;
  /** containers.conf default_capabilities (normalised), replacing pman's default set. */
  defaultCaps?: string[];
  /** pman runs rootless (keep-id is a rootless mode). */
  rootless: boolean;
  cwd: string;
}

function splitList(values: string[]): string[] {
  return values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

/** podman's --security-opt forms that mean nothing without SELinux/AppArmor are accepted as no-ops. */
const IGNORED_OPTS = /^(label=|apparmor=|seccomp-notify|proc-opts=)/;

export function parseSecurity(f: SecurityFlags): SecurityConfig | undefined {
  const s: SecurityConfig = {};
  if (f.privileged) s.privileged = true;
  const capAdd = splitList(f.capAdd).map((c) => normalizeCap(c, '--cap-add'));
  const capDrop = splitList(f.capDrop).map((c) => normalizeCap(c, '--cap-drop'));
  if (capAdd.length) s.capAdd = [...new Set(capAdd)];
  if (capDrop.length) s.capDrop = [...new Set(capDrop)];
  if (f.defaultCaps) s.defaultCaps = f.defaultCaps;
  for (const opt of f.securityOpts) {
    const eq = opt.search(/[=:]/);
    const key = eq < 0 ? opt : opt.slice(0, eq);
    const value = eq < 0 ? '' : opt.slice(eq + 1);
    if (key === 'no-new-privileges') {
      if (value !== '' && value !== 'true' && value !== 'false') throw new InvalidArgumentError(`invalid --security-opt "${opt}": use no-new-privileges[=true|false]`);
      s.noNewPrivileges = value !== 'false';
    } else if (key === 'seccomp') {
      if (!value) throw new InvalidArgumentError(`invalid --security-opt "${opt}": use seccomp=unconfined or seccomp=/path/to/profile.json`);
      s.seccomp = value === 'unconfined' ? 'unconfined' : path.resolve(f.cwd, value);
    } else if (key === 'mask' || key === 'unmask') {
      const paths = value.split(':').filter(Boolean);
      if (paths.length === 0 || paths.some((p) => !p.startsWith('/') && !(key === 'unmask' && p === 'ALL'))) {
        throw new InvalidArgumentError(`invalid --security-opt "${opt}": use ${key}=/abs/path[:/other/path]`);
      }
      s[key] = [...(s[key] ?? []), ...paths];
    } else if (!IGNORED_OPTS.test(opt)) {
      throw new InvalidArgumentError(`invalid --security-opt "${opt}": use no-new-privileges, seccomp=unconfined|PROFILE, mask=PATHS or unmask=PATHS`);
    }
  }
  const groups = splitList(f.groupAdd);
  for (const g of groups) {
    if (g === 'keep-groups') throw new InvalidArgumentError('--group-add keep-groups is only for rootless containers run by crun; it is not supported');
    if (!/^[0-9]+$/.test(g) && !/^[a-zA-Z_][a-zA-Z0-9_.-]*$/.test(g)) throw new InvalidArgumentError(`invalid --group-add "${g}": use a group name or number`);
  }
  if (groups.length) s.groupAdd = groups;
  checkUserns(f.userns, f.rootless, f.usernsFrom);
  return Object.keys(s).length > 0 ? s : undefined;
}

/**
 * Rootful pman runs containers in the host user namespace, which is what --userns=host asks for;
 * auto (root only) gives a container a namespace of its own with IDs allocated for it (its spec is
 * checked here, the rest in container/userns-auto.ts). keep-id maps the caller's uid into a
 * rootless namespace; the other modes are refused clearly rather than silently ignored. `from`
 * names where the mode came from when it was not --userns (PODMAN_USERNS, containers.conf).
 */
export function checkUserns(mode: string | undefined, rootless: boolean, from?: string): void {
  if (mode === undefined || mode === '' || mode === 'host') return;
  // "--userns=auto" for the flag, `PODMAN_USERNS "auto"` for the others.
  const named = from ? `${from} "${mode}"` : `--userns=${mode}`;
  if (isAutoUserns(mode)) {
    if (rootless) throw rootlessUnsupported(from ? named : '--userns=auto', 'a rootless container already runs in your user namespace (root mapped to you, the rest to your /etc/subuid range), and pman does not nest a second one in it');
    parseAutoUserns(mode, from);
    return;
  }
  if (mode === 'keep-id' || mode.startsWith('keep-id:')) {
    throw new InvalidArgumentError(
      rootless
        ? `${named} is not supported yet: rootless containers run in the user's namespace with uid 0 mapped to the user`
        : `${named} only applies to rootless containers (it maps your own uid into the container); as root use ${from ? 'host' : '--userns=host'} or leave it out`,
    );
  }
  throw new InvalidArgumentError(`invalid ${from ?? '--userns'} "${mode}": use host, or auto[:size=N][,uidmapping=…][,gidmapping=…] (root only)`);
}
