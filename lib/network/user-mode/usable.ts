// Whether a user-mode stack can run for this caller, checked when the container is created so a
// run fails at once with one line naming what is missing: the program, or a /dev/net/tun the user
// may open (both stacks open it inside the container's namespace, as the user).
import fs from 'node:fs';
import type { Context } from '../../context.js';
import { InvalidArgumentError } from '../../errors.js';
import { DEFAULT_USER_MODE, type UserModeKind } from './options.js';

const DIRS = ['/usr/bin', '/usr/local/bin', '/bin', '/usr/sbin', '/usr/libexec/podman', '/usr/lib/podman'];
const PACKAGES: Record<UserModeKind, string> = { pasta: 'passt', slirp4netns: 'slirp4netns' };
export const TUN = '/dev/net/tun';

/** The device checked: tests point _PMAN_TEST_TUN at a file of root's rather than change the machine's device. */
function tunPath(): string {
  return process.env._PMAN_TEST_TUN || TUN;
}

/** The program's path, or undefined when it is not installed. */
export function userModeBinary(kind: UserModeKind): string | undefined {
  for (const d of DIRS) {
    const p = `${d}/${kind}`;
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return undefined;
}

/** The stack a rootless container gets without --network: the default, else the other when only it is installed. */
export function defaultUserMode(): UserModeKind {
  const other: UserModeKind = DEFAULT_USER_MODE === 'pasta' ? 'slirp4netns' : 'pasta';
  return userModeBinary(DEFAULT_USER_MODE) || !userModeBinary(other) ? DEFAULT_USER_MODE : other;
}

/** Refuses a user-mode network pman cannot start for this caller, naming the cause and the fix. */
export function checkUserModeUsable(ctx: Context, kind: UserModeKind, explicit: boolean): void {
  const how = explicit ? `--network ${kind}` : `the default rootless network (${kind})`;
  if (!ctx.rootless) throw new InvalidArgumentError(`--network ${kind} is for rootless containers: as root use --network bridge or a network name`);
  if (!userModeBinary(kind)) throw new InvalidArgumentError(`cannot use ${how}: ${kind} is not installed (package ${PACKAGES[kind]}); install it, or use --network none or host`);
  try {
    fs.accessSync(tunPath(), fs.constants.R_OK | fs.constants.W_OK);
  } catch {
    throw new InvalidArgumentError(`cannot use ${how}: ${TUN} is not usable by this user; as root run "chmod 0666 ${TUN}" (./install.sh does), or use --network none or host`);
  }
}
