// The container-configuration flags of `run` and `create` (storage, resources, security, network,
// metadata, init, restart), declared here; create-config-options.ts turns them into ConfigOptions.
import type { Argv } from 'yargs';

export const str = (describe: string) => ({ type: 'string' as const, describe });
export const bool = (describe: string) => ({ type: 'boolean' as const, describe });

export function configFlags(y: Argv): Argv {
  return (
    y
      // Storage.
      .option('volume', { alias: 'v', ...str('Bind mount a host path or named volume: [SRC:]DEST[:ro,rw,z,Z,U,nocopy,…]') })
      .option('mount', str('Attach a mount: type=bind|volume|tmpfs,source=…,target=…[,readonly,…]'))
      .option('tmpfs', str('Mount a tmpfs: DEST[:size=…,mode=…,…]'))
      .option('volumes-from', str('Mount the volumes of another container: CONTAINER[:ro|rw]'))
      .option('read-only', bool('Make the container root filesystem read-only'))
      .option('read-only-tmpfs', bool('With --read-only, mount tmpfs on /run, /tmp and /var/tmp (default true; --read-only-tmpfs=false)'))
      .option('image-volume', str("What the image's VOLUME paths get: bind (a new anonymous volume, the default), tmpfs or ignore"))
      // Resources.
      .option('memory', { alias: 'm', ...str('Memory limit (e.g. 512m, 1g)') })
      .option('memory-swap', str('Memory plus swap limit (-1: unlimited swap)'))
      .option('memory-reservation', str('Memory soft limit'))
      .option('cpus', str('Number of CPUs (e.g. 0.5)'))
      .option('cpu-shares', { alias: 'c', ...str('CPU shares (relative weight)') })
      .option('cpuset-cpus', str('CPUs in which to allow execution (0-3, 0,1)'))
      .option('cpuset-mems', str('Memory nodes in which to allow execution (0-3, 0,1)'))
      .option('pids-limit', str('Tune the container pids limit (-1 or 0: unlimited; default 2048)'))
      .option('ulimit', str('Ulimit options: NAME=SOFT[:HARD]'))
      .option('oom-kill-disable', bool('Disable the OOM killer for the container (cgroup v1)'))
      .option('oom-score-adj', str('Tune the host OOM preferences of the container (-1000 to 1000)'))
      // Devices, block I/O and further CPU/memory cgroup settings (lib/container/parse/resources-extra.ts).
      .option('device', str('Add a host device to the container: HOST[:CONTAINER][:PERMISSIONS rwm]'))
      .option('device-cgroup-rule', str("Add a rule to the devices cgroup: 'TYPE MAJOR:MINOR ACCESS', e.g. 'c 1:3 mr'"))
      .option('device-read-bps', str('Limit read rate from a device: DEVICE:RATE (bytes per second, e.g. 1mb)'))
      .option('device-write-bps', str('Limit write rate to a device: DEVICE:RATE (bytes per second, e.g. 1mb)'))
      .option('device-read-iops', str('Limit read rate from a device: DEVICE:RATE (operations per second)'))
      .option('device-write-iops', str('Limit write rate to a device: DEVICE:RATE (operations per second)'))
      .option('blkio-weight', str('Block IO relative weight (10 to 1000; needs the BFQ scheduler)'))
      .option('blkio-weight-device', str('Block IO relative weight of a device: DEVICE:WEIGHT'))
      .option('cpu-period', str('Limit the CPU CFS period (microseconds)'))
      .option('cpu-quota', str('Limit the CPU CFS quota (microseconds)'))
      .option('cpu-rt-period', str('Limit the CPU real-time period (microseconds; cgroup v1)'))
      .option('cpu-rt-runtime', str('Limit the CPU real-time runtime (microseconds; cgroup v1)'))
      .option('memory-swappiness', str('Tune the container memory swappiness (0 to 100; cgroup v1)'))
      .option('cgroup-conf', str('Set a cgroup v2 file of the container: KEY=VALUE'))
      // ID maps: a user namespace of the container's own (root only; docs/userns.md).
      .option('uidmap', str('UID map for a user namespace of the container: CONTAINER_ID:HOST_ID:SIZE (repeatable; root only)'))
      .option('gidmap', str('GID map for a user namespace of the container: CONTAINER_ID:HOST_ID:SIZE (repeatable; root only)'))
      .option('subuidname', str('Map the container\'s UIDs to the ranges of NAME in /etc/subuid (root only)'))
      .option('subgidname', str('Map the container\'s GIDs to the ranges of NAME in /etc/subgid (root only)'))
      .option('secret', str('Give the container a secret: NAME[,type=mount|env][,target=T][,uid=N,gid=N,mode=N]'))
      // Security.
      .option('cap-add', str('Add capabilities (or ALL)'))
      .option('cap-drop', str('Drop capabilities (or ALL)'))
      .option('privileged', bool('Give extended privileges to the container'))
      .option('security-opt', str('Security options: no-new-privileges, seccomp=unconfined|PROFILE, mask=, unmask='))
      .option('group-add', str('Add additional groups to the container process'))
      .option('userns', str('User namespace mode: host, or auto[:size=N][,uidmapping=C:H:S][,gidmapping=C:H:S] (IDs allocated per container; root only)'))
      // Network and identity.
      .option('network', { alias: 'net', ...str("Network mode: bridge (the default network; root's default), none (loopback only; rootless default), host, network names (NAME[,NAME…]), container:NAME or ns:PATH") })
      .option('ip', str('IPv4 address for the container on its network'))
      .option('mac-address', str('MAC address for the container on its network'))
      .option('network-alias', str('Add a DNS alias for the container on its networks'))
      .option('publish', { alias: 'p', ...str('Publish a port to the host: [IP:][HOSTPORT:]CONTAINERPORT[/PROTOCOL]') })
      .option('publish-all', { alias: 'P', ...bool('Publish every exposed port on a free host port') })
      .option('expose', str('Expose a port or range (PORT[/PROTOCOL]) for --publish-all'))
      .option('dns', str('Set custom DNS servers'))
      .option('dns-search', str('Set custom DNS search domains'))
      .option('dns-option', { alias: 'dns-opt', ...str('Set custom DNS options') })
      .option('add-host', str('Add a custom host-to-IP mapping (HOST:IP)'))
      .option('env-host', bool('Use the host environment in the container'))
      .option('label-file', str('Read labels from a file of KEY=VALUE lines'))
      .option('annotation', str('Add an annotation to the container (KEY=VALUE)'))
      // Process.
      .option('init', bool('Run an init inside the container that forwards signals and reaps processes'))
      .option('init-path', str('Path to the container-init binary'))
      .option('restart', str('Restart policy: no, on-failure[:MAX], always, unless-stopped'))
      // Health check (docs/healthchecks.md).
      .option('health-cmd', str('Health check command: a shell command, a JSON array (["CMD", …]) or none'))
      .option('health-interval', str('Time between health checks (default 30s; disable: only `healthcheck run`)'))
      .option('health-timeout', str('Time a health check may take before it is killed and failed (default 30s)'))
      .option('health-retries', str('Consecutive failures that make the container unhealthy (default 3)'))
      .option('health-start-period', str('Time after start during which failures do not count (default 0s)'))
      .option('health-start-interval', str('Time between health checks during the start period (default 5s)'))
      .option('health-on-failure', str('Action when the container turns unhealthy: none, kill, restart or stop'))
      .option('no-healthcheck', bool("Disable any health check, the image's included"))
  );
}
