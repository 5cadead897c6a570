// The user-mode network stacks of rootless containers (docs/networking.md, "Rootless networks"):
// `--network pasta[:OPTIONS]` and `--network slirp4netns[:OPTIONS]`, their options checked when
// the container is created, and the default a rootless container gets without --network.
import { InvalidArgumentError } from '../../errors.js';

export type UserModeKind = 'pasta' | 'slirp4netns';

export const USER_MODE_KINDS: readonly UserModeKind[] = ['pasta', 'slirp4netns'];

/**
 * slirp4netns, as podman 4. pasta starts faster here (~18 ms against ~44 ms), but the pasta Debian 12
 * ships (passt 2023-03-09) lost the last megabytes of a TCP stream sent to a published port from the
 * host's loopback, and stalled a bulk transfer from the host's address (docs/networking.md): a
 * default must not lose data. --network pasta remains for those who want it.
 */
export const DEFAULT_USER_MODE: UserModeKind = 'slirp4netns';

export function isUserMode(mode: string | undefined): mode is UserModeKind {
  return mode === 'pasta' || mode === 'slirp4netns';
}

/** pasta arguments pman gives itself: a user's own would break supervision or the namespace. */
const PASTA_RESERVED = ['--netns', '--netns-only', '--userns', '--pid', '-P', '-f', '--foreground', '--runas', '-F', '--fd'];

/** slirp4netns options podman accepts that pman honours, with the values each takes. */
const SLIRP_OPTIONS: Record<string, RegExp> = {
  allow_host_loopback: /^(true|false)$/,
  mtu: /^[0-9]{3,5}$/,
  enable_ipv6: /^false$/,
  port_handler: /^slirp4netns$/,
};

/**
 * `pasta:-4,--mtu,1500` → ["-4", "--mtu", "1500"] (pasta's own arguments, comma-separated as in
 * podman); `slirp4netns:allow_host_loopback=true,mtu=1500` → ["allow_host_loopback=true", "mtu=1500"].
 */
export function parseUserModeOptions(kind: UserModeKind, text: string, flag: string): string[] {
  const opts = text.split(',').filter((o) => o !== '');
  if (kind === 'pasta') {
    for (const o of opts) {
      const name = o.split('=')[0];
      if (PASTA_RESERVED.includes(name)) throw new InvalidArgumentError(`invalid --network "${flag}": pman sets pasta's ${name} itself, leave it out`);
    }
    return opts;
  }
  for (const o of opts) {
    const [name, value] = o.split('=', 2);
    const re = SLIRP_OPTIONS[name];
    if (!re) throw new InvalidArgumentError(`invalid --network "${flag}": unknown slirp4netns option "${name}" (use ${Object.keys(SLIRP_OPTIONS).join(', ')})`);
    if (value === undefined || !re.test(value)) throw new InvalidArgumentError(`invalid --network "${flag}": slirp4netns option ${name} cannot be "${value ?? ''}"`);
  }
  return opts;
}

/** The value of a slirp4netns option ("name=value") among opts, or undefined. */
export function slirpOption(opts: readonly string[] | undefined, name: string): string | undefined {
  const hit = (opts ?? []).filter((o) => o.startsWith(`${name}=`)).pop();
  return hit?.slice(name.length + 1);
}
