// The part of a container record that podman's run/create flags of #20 (part 1) add
// (docs/commands.md, "podman's run/create flags"): kept in one optional object of its own so that
// records written before it stay valid and the record schema gains one line. Absent = default.
const stringArray = { type: 'array', items: { type: 'string' } } as const;

/**
 * A namespace as --pid/--ipc/--uts/--cgroupns set it: the host's, a new one (private; ipc also
 * shareable, or none: private without /dev/shm), another container's (its ID), or a file's.
 */
const namespaceSchema = {
  type: 'object',
  required: ['mode'],
  properties: {
    mode: { enum: ['host', 'private', 'shareable', 'none', 'container', 'ns'] },
    container: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    path: { type: 'string', pattern: '^/' },
  },
} as const;

/** A cgroup path pman made (a container's or a pod's): absolute, normalised, no "." or ".." part, no control character. */
export const cgroupPathSchema = { type: 'string', pattern: '^(/[^/\\u0000-\\u001f\\u007f]+)+$', not: { pattern: '(^|/)\\.\\.?(/|$)' } } as const;

export const extrasSchema = {
  type: 'object',
  properties: {
    // -a/--attach: the streams `run`/`start -a` attach (stdin, stdout, stderr); absent = all.
    attach: { type: 'array', items: { enum: ['stdin', 'stdout', 'stderr'] } },
    // Host files the shim writes on each start: the container's pid 1 / the shim's own pid.
    pidfile: { type: 'string', pattern: '^/' },
    conmonPidfile: { type: 'string', pattern: '^/' },
    // --timeout: seconds the container may run before the shim kills it (exit code 255).
    timeout: { type: 'integer', minimum: 1 },
    // --requires: containers (IDs) started before this one.
    requires: stringArray,
    namespaces: {
      type: 'object',
      properties: { pid: namespaceSchema, ipc: namespaceSchema, uts: namespaceSchema, cgroup: namespaceSchema },
    },
    // --shm-size in bytes (0 = unlimited: the tmpfs without size=).
    shmSize: { type: 'integer', minimum: 0 },
    sysctls: { type: 'object', additionalProperties: { type: 'string' } },
    // --personality: LINUX or LINUX32.
    personality: { enum: ['LINUX', 'LINUX32'] },
    // --tz: "local" or an IANA zone name (/usr/share/zoneinfo/NAME on the host).
    tz: { type: 'string' },
    // --umask, octal text (e.g. "0027").
    umask: { type: 'string', pattern: '^[0-7]{1,4}$' },
    // --unsetenv names (the defaults pman adds are not added for these), --unsetenv-all.
    unsetenv: stringArray,
    unsetenvAll: { type: 'boolean' },
    // --no-hosts: no /etc/hosts is mounted (the image's stays).
    noHosts: { type: 'boolean' },
    // --chrootdirs: /etc/hosts, /etc/hostname, /etc/resolv.conf are mounted under these too.
    chrootDirs: stringArray,
    // --systemd: the command runs systemd (tmpfs on /run, /run/lock, /tmp, /var/log/journal).
    systemd: { type: 'boolean' },
    // --passwd-entry / --hostuser: lines added to the container's /etc/passwd (a file of pman's
    // bind-mounted over the image's); --passwd=false: none added.
    passwdLines: stringArray,
    groupLines: stringArray,
    // --sdnotify: conmon (the shim says READY=1 once the container runs) or ignore.
    sdnotify: { enum: ['conmon', 'ignore'] },
    notifySocket: { type: 'string', pattern: '^/' },
    // --rootfs: the container runs from this host directory instead of an image; overlay: with
    // :O, changes go to the container's own upper layer and the directory stays unchanged.
    rootfs: { type: 'string', pattern: '^/' },
    rootfsOverlay: { type: 'boolean' },
    // --cgroup-parent (or the pod's cgroup): the container's cgroup path, "<parent>/pman-<id>"
    // (normalised, no ".."); absent = "/pman/<id>". Every reader takes it from cgroupPathOf.
    cgroupPath: cgroupPathSchema,
  },
} as const;
