// podman's run/create flags of #20, part 1: attach streams, pid files, timeout, requires, rootfs,
// namespaces, /dev/shm, sysctls, personality, time zone, umask, environment, passwd and hosts
// files, systemd mode, sd-notify, seccomp policy. Declared here, turned into ExtrasOptions
// (lib/container/extras.ts does the work), so the shared flag table gains one line.
import type { Argv } from 'yargs';
import type { ExtrasOptions } from '../container/extras.js';
import { last, list } from './argv.js';
import { bool, str } from './create-config-flags.js';


export function podmanRunFlags(y: Argv): Argv {
  return y
    .option('attach', { alias: 'a', ...str('Attach to STDIN, STDOUT or STDERR (run; create records it for start -a)') })
    .option('pidfile', str("Write the container's pid 1 (its host pid) to this file on each start"))
    .option('conmon-pidfile', str("Write the pid of the container's shim (pman's conmon) to this file"))
    .option('timeout', str('Seconds the container may run before it is killed (exit code 255; 0: no limit)'))
    .option('requires', str('Start these containers (NAME[,NAME…]) before this one'))
    .option('rootfs', bool('The first argument is a root filesystem directory (PATH[:O]; :O overlays it, leaving it unchanged) instead of an image'))
    .option('init-ctr', str('not supported: pman pods have no init containers (containers of a pod start with it; use --requires for an order)'))
    .option('pid', str('PID namespace: private, host, container:NAME or ns:PATH'))
    .option('ipc', str('IPC namespace: private, shareable, none (no /dev/shm), host, container:NAME or ns:PATH'))
    .option('uts', str('UTS namespace: private, host, container:NAME or ns:PATH'))
    .option('cgroupns', str('cgroup namespace: host (default), private, container:NAME or ns:PATH'))
    .option('cgroup-parent', str("Make the container's cgroup under this cgroup (PATH, from the root of the cgroup tree) instead of /pman"))
    .option('cgroups', str('cgroup mode: enabled (default) or no-conmon (the shim is never in the container cgroup); disabled and split are refused'))
    .option('shm-size', str('Size of /dev/shm (e.g. 64m, the default; 0: no limit)'))
    .option('sysctl', str('Namespaced kernel parameter: KEY=VALUE (net.*, fs.mqueue.*, IPC kernel.*, kernel.domainname)'))
    .option('personality', str('Execution domain: LINUX or LINUX32'))
    .option('tz', str("Time zone of the container: local (the host's) or a zone name such as Europe/Berlin"))
    .option('umask', str('umask of the container process (octal, default 0022)'))
    .option('unsetenv', str('Do not set this default environment variable (from the image or pman)'))
    .option('unsetenv-all', bool('Set no default environment variables: only those given with -e/--env-file'))
    .option('env-merge', str("Set KEY from a template over the image's value: 'PATH=${PATH}:/opt/bin'"))
    .option('passwd', bool('Let --passwd-entry and --hostuser add entries to /etc/passwd (default true)'))
    .option('passwd-entry', str('Line added to /etc/passwd for the --user UID when the image has none ($USERNAME, $UID, $GID, $NAME, $HOME)'))
    .option('hostuser', str("Add this host user's /etc/passwd entry to the container's"))
    .option('no-hosts', bool('Do not create /etc/hosts for the container (the image keeps its own)'))
    .option('chrootdirs', str('Directory inside the container treated as a chroot: /etc/hosts, hostname and resolv.conf are mounted under it too'))
    .option('preserve-fds', str("Pass pman's file descriptors 3 to 3+N-1 into the container (run; create refuses N > 0)"))
    .option('sdnotify', str('sd-notify mode: conmon (the shim sends READY=1 to NOTIFY_SOCKET once the container runs) or ignore (the default); container is refused'))
    .option('systemd', str('systemd mode: true (when the command is systemd or init), false or always'))
    .option('seccomp-policy', str("Seccomp policy: default, or image (the profile in the image's io.containers.seccomp.profile label)"));
}

export function extrasOptionsFrom(argv: Record<string, unknown>, cwd: string, hostEnv: NodeJS.ProcessEnv): ExtrasOptions {
  return {
    cwd,
    notifySocket: hostEnv.NOTIFY_SOCKET,
    attach: list(argv.attach),
    pidfile: last(argv.pidfile),
    conmonPidfile: last(argv['conmon-pidfile']),
    timeout: last(argv.timeout),
    requires: list(argv.requires),
    rootfs: argv.rootfs === true,
    initCtr: last(argv['init-ctr']),
    pid: last(argv.pid),
    ipc: last(argv.ipc),
    uts: last(argv.uts),
    cgroupns: last(argv.cgroupns),
    cgroupParent: last(argv['cgroup-parent']),
    cgroups: last(argv.cgroups),
    shmSize: last(argv['shm-size']),
    sysctls: list(argv.sysctl),
    personality: last(argv.personality),
    tz: last(argv.tz),
    umask: last(argv.umask),
    unsetenv: list(argv.unsetenv),
    unsetenvAll: argv['unsetenv-all'] === true,
    envMerge: list(argv['env-merge']),
    passwd: argv.passwd !== false,
    passwdEntry: last(argv['passwd-entry']),
    hostusers: list(argv.hostuser),
    noHosts: argv['no-hosts'] === true,
    chrootDirs: list(argv.chrootdirs),
    preserveFds: last(argv['preserve-fds']),
    sdnotify: last(argv.sdnotify),
    systemd: last(argv.systemd),
    seccompPolicy: last(argv['seccomp-policy']),
  };
}
