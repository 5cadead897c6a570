// Pure parsers of podman's run/create flags of #20, part 1 (namespaces, /dev/shm, sysctls, time
// zone, umask, environment merges, passwd entries, attach streams, systemd mode): each value
// checked as podman checks it, with one clear line naming the flag and what to give instead.
// lib/container/extras.ts puts them together against the host and other containers.
import { InvalidArgumentError } from '../../errors.js';
import { parseBytes } from './resources.js';

export type NamespaceKind = 'pid' | 'ipc' | 'uts' | 'cgroup';

/** The modes each namespace flag takes (podman's), besides container:NAME and ns:PATH. */
const NS_MODES: Record<NamespaceKind, string[]> = {
  pid: ['host', 'private'],
  ipc: ['host', 'private', 'shareable', 'none'],
  uts: ['host', 'private'],
  cgroup: ['host', 'private'],
};

export const NS_FLAG: Record<NamespaceKind, string> = { pid: '--pid', ipc: '--ipc', uts: '--uts', cgroup: '--cgroupns' };

/** A namespace flag's value: a mode, or container:NAME (unresolved) / ns:PATH. */
export type NamespaceSpec = { mode: 'host' | 'private' | 'shareable' | 'none' } | { mode: 'container'; ref: string } | { mode: 'ns'; path: string };

export function parseNamespace(kind: NamespaceKind, value: string): NamespaceSpec {
  const flag = NS_FLAG[kind];
  if (value.startsWith('container:')) {
    const ref = value.slice('container:'.length);
    if (!ref) throw new InvalidArgumentError(`invalid ${flag} "${value}": name the container (container:NAME)`);
    return { mode: 'container', ref };
  }
  if (value.startsWith('ns:')) {
    const p = value.slice(3);
    if (!p.startsWith('/')) throw new InvalidArgumentError(`invalid ${flag} "${value}": give the absolute path of a namespace file (ns:/proc/PID/ns/${kind})`);
    return { mode: 'ns', path: p };
  }
  if (!NS_MODES[kind].includes(value)) {
    throw new InvalidArgumentError(`invalid ${flag} "${value}": use ${[...NS_MODES[kind], 'container:NAME', 'ns:PATH'].join(', ')}`);
  }
  return { mode: value as 'host' | 'private' | 'shareable' | 'none' };
}

/** The IPC sysctls a container's own IPC namespace has (podman's list). */
const IPC_SYSCTLS = ['kernel.msgmax', 'kernel.msgmnb', 'kernel.msgmni', 'kernel.sem', 'kernel.shmall', 'kernel.shmmax', 'kernel.shmmni', 'kernel.shm_rmid_forced'];
const UTS_SYSCTLS = ['kernel.domainname', 'kernel.hostname'];

/** Which namespace a sysctl belongs to, or undefined when it is not namespaced (the host's own). */
export function sysctlNamespace(key: string): 'ipc' | 'net' | 'uts' | undefined {
  if (IPC_SYSCTLS.includes(key) || key.startsWith('fs.mqueue.')) return 'ipc';
  if (key.startsWith('net.')) return 'net';
  if (UTS_SYSCTLS.includes(key)) return 'uts';
  return undefined;
}

/** Which of the container's namespaces a sysctl may not be set in: the host's or another container's. */
export type SharedNamespaces = Record<'net' | 'ipc' | 'uts', boolean>;

/**
 * --sysctl KEY=VALUE: only namespaced sysctls, and only in a namespace of the container's own
 * (net.* not with --network host, IPC ones not with --ipc host, UTS ones not with --uts host).
 * kernel.hostname is refused as podman refuses it: the container's host name is --hostname (runc
 * would refuse the spec at start, the name being set already). `what` names the source in messages.
 */
export function parseSysctls(values: string[], shared: SharedNamespaces, what = '--sysctl'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    // sysctl(8) also takes the /proc/sys path form: net/ipv4/ip_forward.
    const key = eq < 0 ? '' : v.slice(0, eq).trim().replaceAll('/', '.');
    if (!key || !/^[a-z0-9_.*-]+$/i.test(key)) throw new InvalidArgumentError(`invalid ${what} "${v}": use KEY=VALUE (e.g. net.ipv4.ip_forward=1)`);
    const ns = sysctlNamespace(key);
    if (!ns) throw new InvalidArgumentError(`invalid ${what} "${v}": ${key} is not a namespaced sysctl; a container may set only net.*, fs.mqueue.*, kernel.domainname and the IPC kernel.* ones`);
    if (key === 'kernel.hostname') throw new InvalidArgumentError(`invalid ${what} "${v}": kernel.hostname cannot be set as a sysctl; give the container's host name with --hostname`);
    if (shared[ns]) {
      const flag = ns === 'net' ? '--network' : `--${ns}`;
      throw new InvalidArgumentError(`invalid ${what} "${v}": ${key} cannot be set with ${flag} host (it would change the host's own)`);
    }
    out[key] = v.slice(eq + 1);
  }
  return out;
}

/** --shm-size: podman's byte sizes (0 = no size limit). */
export function parseShmSize(value: string, what = '--shm-size'): number {
  return parseBytes(value, what);
}

/** --umask: octal, at most 0777. */
export function parseUmask(value: string, what = '--umask'): string {
  if (!/^[0-7]{1,4}$/.test(value) || parseInt(value, 8) > 0o777) throw new InvalidArgumentError(`invalid ${what} "${value}": use an octal mask such as 0022 or 027`);
  return value.padStart(4, '0');
}

/** --personality: podman's LINUX or LINUX32 (any case). */
export function parsePersonality(value: string): 'LINUX' | 'LINUX32' {
  const v = value.toUpperCase();
  if (v !== 'LINUX' && v !== 'LINUX32') throw new InvalidArgumentError(`invalid --personality "${value}": use LINUX or LINUX32`);
  return v;
}

/** -a/--attach: stdin, stdout or stderr (each may be given several times, or comma-separated). */
export function parseAttach(values: string[]): Array<'stdin' | 'stdout' | 'stderr'> {
  const out: Array<'stdin' | 'stdout' | 'stderr'> = [];
  for (const v of values.flatMap((x) => x.split(','))) {
    const s = v.trim().toLowerCase();
    if (s !== 'stdin' && s !== 'stdout' && s !== 'stderr') throw new InvalidArgumentError(`invalid --attach "${v}": use stdin, stdout or stderr`);
    if (!out.includes(s)) out.push(s);
  }
  return out;
}

/** A whole number of seconds or a count, >= 0. */
export function parseCount(value: string, flag: string): number {
  if (!/^[0-9]+$/.test(value.trim())) throw new InvalidArgumentError(`invalid ${flag} "${value}": use a whole number`);
  return Number(value);
}

/** --tz: "local" or an IANA zone name (no path tricks: letters, digits, _ + - and / between parts). */
export function checkTimeZoneName(value: string, what = '--tz'): void {
  if (value === 'local') return;
  if (!/^[A-Za-z0-9_+-]+(\/[A-Za-z0-9_+-]+)*$/.test(value)) throw new InvalidArgumentError(`invalid ${what} "${value}": use local or a zone name such as Europe/Berlin`);
}

/**
 * --env-merge KEY=TEXT: TEXT with ${NAME} (or $NAME) replaced by NAME's value in `env` so far
 * (unset: empty), as podman does; returns the KEY=VALUE line.
 */
export function expandEnvMerge(spec: string, env: string[]): string {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`invalid --env-merge "${spec}": use KEY=VALUE, e.g. 'PATH=\${PATH}:/opt/bin'`);
  const values = new Map(env.map((e) => [e.slice(0, e.indexOf('=') < 0 ? e.length : e.indexOf('=')), e.indexOf('=') < 0 ? '' : e.slice(e.indexOf('=') + 1)]));
  const text = spec.slice(eq + 1).replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_m, a: string | undefined, b: string | undefined) => values.get((a ?? b)!) ?? '');
  return `${spec.slice(0, eq)}=${text}`;
}

/** The commands --systemd=true treats as systemd (podman's list, by path or by the name systemd). */
export function runsSystemd(command: string[]): boolean {
  const c = command[0] ?? '';
  return ['/sbin/init', '/usr/sbin/init', '/usr/local/sbin/init'].includes(c) || c.split('/').pop() === 'systemd';
}

/** --systemd true|false|always. */
export function parseSystemdMode(value: string): 'true' | 'false' | 'always' {
  const v = value.toLowerCase();
  if (v !== 'true' && v !== 'false' && v !== 'always') throw new InvalidArgumentError(`invalid --systemd "${value}": use true, false or always`);
  return v;
}

/**
 * --passwd-entry TEMPLATE: podman's variables $USERNAME, $UID, $GID, $NAME, $HOME filled in;
 * the result must be one passwd line of seven fields.
 */
export function passwdEntry(template: string, vars: { username: string; uid: number; gid: number; name: string; home: string }): string {
  const line = template
    .replaceAll('$USERNAME', vars.username)
    .replaceAll('$UID', String(vars.uid))
    .replaceAll('$GID', String(vars.gid))
    .replaceAll('$NAME', vars.name)
    .replaceAll('$HOME', vars.home);
  if (line.includes('\n') || line.split(':').length !== 7) throw new InvalidArgumentError(`invalid --passwd-entry "${template}": it must make one passwd line of 7 fields (NAME:x:UID:GID:GECOS:HOME:SHELL)`);
  return line;
}

/** --cgroups: what pman can do of podman's modes, and why not the others. */
export function checkCgroupsMode(value: string): void {
  if (value === 'enabled' || value === 'no-conmon') return;
  if (value === 'disabled') throw new InvalidArgumentError('--cgroups disabled is not supported: runc always puts a container in a cgroup of its own (podman needs crun for this mode)');
  if (value === 'split') throw new InvalidArgumentError("--cgroups split is not supported: it splits the cgroup of systemd's unit that runs podman, and pman runs without systemd's cgroup manager");
  throw new InvalidArgumentError(`invalid --cgroups "${value}": use enabled, disabled, no-conmon or split`);
}

/** True when any of podman's run/create flags of part 1 was given (create.ts loads extras.ts only then). */
export function extrasGiven(o: object): boolean {
  return Object.entries(o).some(([k, v]) => (k === 'passwd' ? v === false : k !== 'cwd' && k !== 'notifySocket' && v !== undefined && v !== false && !(Array.isArray(v) && v.length === 0)));
}
