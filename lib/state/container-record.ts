// The container record (containers/<id>/container.json): what the user asked for (config) and
// what happened to it (state). Its JSON schema is the one description: the TypeScript types are
// derived from it (RecordType), so they cannot drift. docs/state-layout.md describes it for humans.
import type { RecordType } from './record-type.js';
import { validatorFor } from './validators.js';
import { extrasSchema } from './container-extras.js';
import { idMapsSchema } from './idmap-schema.js';
import { deviceSchema, resourcesExtraProperties } from './resources-extra-schema.js';
import { secretRefSchema } from './secret-ref-schema.js';

const stringArray = { type: 'array', items: { type: 'string' } } as const;
const stringMap = { type: 'object', additionalProperties: { type: 'string' } } as const;
const integer = { type: 'integer' } as const;

/** A user mount (-v, --mount, --tmpfs, --volumes-from), validated and normalised at create. */
const mountSchema = {
  type: 'object',
  required: ['type', 'source', 'destination', 'options'],
  properties: {
    type: { enum: ['bind', 'volume', 'tmpfs'] },
    // bind: absolute host path; volume: the volume's name; tmpfs: "tmpfs".
    source: { type: 'string' },
    // Absolute, normalised path inside the container.
    destination: { type: 'string' },
    // Option words as -v spells them: ro, U, z, rshared, nocopy, size=64m, mode=1777 …
    options: stringArray,
  },
} as const;

/** A pman process doing something to the container (its pid and start time, against pid reuse). */
const processMarker = {
  type: 'object',
  required: ['pid', 'startTime'],
  properties: { pid: { type: 'integer', minimum: 0 }, startTime: { type: 'integer', minimum: 0 } },
} as const;

const resourcesSchema = {
  type: 'object',
  properties: {
    // Bytes. memorySwap is memory + swap (-1 = unlimited swap), as docker and the OCI spec count it.
    memory: integer,
    memorySwap: integer,
    memoryReservation: integer,
    // CPUs in billionths (--cpus 1.5 = 1500000000).
    nanoCpus: integer,
    cpuShares: integer,
    cpusetCpus: { type: 'string' },
    cpusetMems: { type: 'string' },
    // -1 = unlimited; absent = pman's default (2048).
    pidsLimit: integer,
    oomKillDisable: { type: 'boolean' },
    oomScoreAdj: integer,
    ulimits: {
      type: 'array',
      // name: lower-case, without RLIMIT_ (nofile, nproc, core …); -1 = unlimited.
      items: { type: 'object', required: ['name', 'soft', 'hard'], properties: { name: { type: 'string' }, soft: integer, hard: integer } },
    },
    ...resourcesExtraProperties,
  },
} as const;

const securitySchema = {
  type: 'object',
  properties: {
    privileged: { type: 'boolean' },
    // Capability names with the CAP_ prefix, or ALL.
    capAdd: stringArray,
    capDrop: stringArray,
    // containers.conf default_capabilities, when they differ from pman's default set.
    defaultCaps: stringArray,
    noNewPrivileges: { type: 'boolean' },
    // "default" (pman's profile), "unconfined", or the absolute path of a profile file.
    seccomp: { type: 'string' },
    // Extra groups (names or numbers) for the container process.
    groupAdd: stringArray,
    // Paths added to / removed from the masked paths (--security-opt mask= / unmask=).
    mask: stringArray,
    unmask: stringArray,
  },
} as const;

const networkSchema = {
  type: 'object',
  required: ['mode'],
  properties: {
    // "none": own network namespace with loopback only; "host": the host's network; "bridge": its
    // own namespace wired by netavark to the networks below (lib/network); "container": the
    // namespace of the container `container`; "ns": the namespace file `nsPath` (lib/network/join.ts);
    // "pasta", "slirp4netns": its own namespace uplinked by that user-mode stack (lib/network/user-mode).
    mode: { enum: ['none', 'host', 'bridge', 'container', 'ns', 'pasta', 'slirp4netns'] },
    container: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    nsPath: { type: 'string', pattern: '^/' },
    // --network pasta:OPTS / slirp4netns:OPTS, split at commas.
    userModeOptions: stringArray,
    // Network name -> what the container has on it (the address is allocated at create).
    networks: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        required: ['interface'],
        properties: {
          interface: { type: 'string' },
          // --ip, or the address IPAM allocated (lib/network/ipam.ts).
          ip: { type: 'string' },
          // --ip6, or the IPv6 address IPAM allocated on a network made with --ipv6.
          ip6: { type: 'string' },
          mac: { type: 'string' },
          aliases: stringArray,
        },
      },
    },
    // -P/--publish-all: the image's EXPOSE and --expose ports get free host ports.
    publishAll: { type: 'boolean' },
    expose: stringArray,
    // -p/--publish and -P, resolved (host port chosen when none was given).
    ports: {
      type: 'array',
      items: {
        type: 'object',
        required: ['hostIp', 'hostPort', 'containerPort', 'protocol', 'range'],
        properties: {
          hostIp: { type: 'string' },
          hostPort: { type: 'integer' },
          containerPort: { type: 'integer' },
          protocol: { enum: ['tcp', 'udp', 'sctp'] },
          range: { type: 'integer' },
        },
      },
    },
    dns: stringArray,
    dnsSearch: stringArray,
    dnsOptions: stringArray,
    // HOST:IP entries added to /etc/hosts.
    addHosts: stringArray,
  },
} as const;

/**
 * A health check (docs/healthchecks.md), as docker's image config and API hold one: the test
 * (["CMD", …], ["CMD-SHELL", "…"]) and durations in nanoseconds (absent = Docker's default).
 */
const healthcheckSchema = {
  type: 'object',
  required: ['test'],
  properties: {
    test: { type: 'array', minItems: 2, items: { type: 'string' } },
    interval: { type: 'integer', minimum: 0 },
    timeout: { type: 'integer', minimum: 0 },
    startPeriod: { type: 'integer', minimum: 0 },
    startInterval: { type: 'integer', minimum: 0 },
    retries: { type: 'integer', minimum: 0 },
  },
} as const;

const schema = {
  type: 'object',
  required: ['version', 'id', 'name', 'created', 'image', 'imageName', 'layers', 'config', 'state'],
  properties: {
    version: { const: 1 },
    id: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    name: { type: 'string', pattern: '^[a-zA-Z0-9][a-zA-Z0-9_.-]*$' },
    created: { type: 'string' },
    // Image ID (64 hex) and the name it was created from.
    image: { type: 'string' },
    imageName: { type: 'string' },
    // Image layer directories, top-most first (overlay lowerdir order).
    layers: stringArray,
    config: {
      type: 'object',
      required: ['entrypoint', 'cmd', 'env', 'workingDir', 'user', 'hostname', 'labels', 'stopSignal', 'stopTimeout', 'tty', 'interactive', 'autoRemove', 'logDriver', 'logPath', 'runtime'],
      properties: {
        // The process to run: entrypoint + cmd after image defaults and overrides.
        entrypoint: stringArray,
        cmd: stringArray,
        env: stringArray,
        workingDir: { type: 'string' },
        user: { type: 'string' },
        hostname: { type: 'string' },
        labels: stringMap,
        stopSignal: { type: 'string' },
        stopTimeout: { type: 'integer', minimum: 0 },
        tty: { type: 'boolean' },
        interactive: { type: 'boolean' },
        autoRemove: { type: 'boolean' },
        logDriver: { enum: ['k8s-file', 'json-file', 'none'] },
        logPath: { type: 'string' },
        // OCI runtime binary for this container.
        runtime: { type: 'string' },
        // The options below came with container configuration (docs/configuration.md); they are
        // optional so that records written before them stay valid. Absent = the default.
        mounts: { type: 'array', items: mountSchema },
        // Containers whose mounts were copied (--volumes-from), as given.
        volumesFrom: stringArray,
        readOnly: { type: 'boolean' },
        // With readOnly: tmpfs on /run, /tmp and /var/tmp (default true, like podman).
        readOnlyTmpfs: { type: 'boolean' },
        resources: resourcesSchema,
        // --device: nodes made in the container (lib/container/parse/devices.ts).
        devices: { type: 'array', items: deviceSchema },
        // --secret: secrets given to the container (docs/secrets.md).
        secrets: { type: 'array', items: secretRefSchema },
        security: securitySchema,
        network: networkSchema,
        annotations: stringMap,
        // Run an init (catatonit) as PID 1 that reaps zombies and forwards signals.
        init: { type: 'boolean' },
        // The pod the container belongs to (its ID), and whether it is that pod's infra container
        // (docs/pods.md): members join the infra's namespaces the pod shares.
        pod: { type: 'string', pattern: '^[0-9a-f]{64}$' },
        infra: { type: 'boolean' },
        restartPolicy: {
          type: 'object',
          required: ['name', 'maximumRetryCount'],
          // maximumRetryCount: on-failure only, give up after this many restarts (0 = no limit).
          properties: { name: { enum: ['no', 'on-failure', 'always', 'unless-stopped'] }, maximumRetryCount: { type: 'integer', minimum: 0 } },
        },
        // --log-opt (docs/log-format.md): rotate before a write would make the log bigger than
        // maxSize bytes; maxFile files kept in all, the live one included (with maxSize; default
        // 1); tag is accepted for podman compatibility and unused by the file drivers.
        logOpts: {
          type: 'object',
          properties: { maxSize: { type: 'integer', minimum: 1 }, maxFile: { type: 'integer', minimum: 1 }, tag: { type: 'string' } },
        },
        // The health check the shim runs (the image's HEALTHCHECK or --health-*); absent = none.
        healthcheck: healthcheckSchema,
        // --health-on-failure: what the shim does when the container turns unhealthy.
        healthOnFailure: { enum: ['none', 'kill', 'restart', 'stop'] },
        // podman's run/create flags of #20, part 1 (container-extras.ts).
        extras: extrasSchema,
        // --uidmap/--gidmap/--subuidname/--subgidname/--userns=auto (idmap-schema.ts).
        idMaps: idMapsSchema,
        // Does not outlive a machine crash, as a --rm container (lib/state/volatile.ts): a build
        // step's container (docs/build.md). Absent = false.
        volatile: { type: 'boolean' },
        // The command line that created the container (run/create, or the pod's for an infra
        // container), as podman's CreateCommand. Absent = none: records written before it, and
        // containers made by kube play, the API or build.
        createCommand: stringArray,
      },
    },
    state: {
      type: 'object',
      required: ['status', 'pid', 'shimPid', 'shimStartTime', 'bootId', 'exitCode', 'startedAt', 'finishedAt', 'error', 'oomKilled', 'restartCount'],
      properties: {
        // `unknown`: never written; the status of a stand-in for a record that cannot be read
        // (loadContainerOrUnreadable in containers.ts).
        status: { enum: ['created', 'running', 'paused', 'exited', 'unknown'] },
        // Container init pid while running, else 0.
        pid: { type: 'integer', minimum: 0 },
        // The shim supervising the container, and its start time (guards against pid reuse).
        shimPid: { type: 'integer', minimum: 0 },
        shimStartTime: { type: 'integer', minimum: 0 },
        // boot_id of the kernel the container was started under (a reboot invalidates runtime state).
        bootId: { type: 'string' },
        exitCode: { type: 'integer' },
        startedAt: { type: 'string' },
        finishedAt: { type: 'string' },
        // Why the container is not in the state the user expected (e.g. the shim died).
        error: { type: 'string' },
        oomKilled: { type: 'boolean' },
        restartCount: { type: 'integer', minimum: 0 },
        // Set by `pman stop`: a restart policy must not bring the container back.
        stoppedByUser: { type: 'boolean' },
        // Set while `pman restart` (this process) is between stop and start: `logs -f` keeps following.
        restarting: processMarker,
        // Set while `pman stop` (this process) waits for the container to exit: ps and inspect
        // show the status "stopping", as podman does.
        stopping: processMarker,
      },
    },
  },
} as const;

export type ContainerRecord = RecordType<typeof schema>;
export type ContainerConfig = ContainerRecord['config'];
export type ContainerState = ContainerRecord['state'];
export type ContainerStatus = ContainerState['status'];
export type LogDriver = ContainerConfig['logDriver'];
export type MountConfig = RecordType<typeof mountSchema>;
export type ResourceConfig = RecordType<typeof resourcesSchema>;
export type UlimitConfig = NonNullable<ResourceConfig['ulimits']>[number];
export type SecurityConfig = RecordType<typeof securitySchema>;
export type NetworkConfig = RecordType<typeof networkSchema>;
export type RestartPolicy = NonNullable<ContainerConfig['restartPolicy']>;
export type LogOptions = NonNullable<ContainerConfig['logOpts']>;
export type HealthcheckConfig = RecordType<typeof healthcheckSchema>;
export type ExtrasConfig = NonNullable<ContainerConfig['extras']>;
export type NamespaceConfig = NonNullable<NonNullable<ExtrasConfig['namespaces']>['pid']>;
export type IdMapsConfig = NonNullable<ContainerConfig['idMaps']>;
export type IdMapRange = IdMapsConfig['uidMap'][number];
export type HealthOnFailure = NonNullable<ContainerConfig['healthOnFailure']>;

export const ZERO_TIME = '0001-01-01T00:00:00Z';

export function initialState(): ContainerState {
  return {
    status: 'created',
    pid: 0,
    shimPid: 0,
    shimStartTime: 0,
    bootId: '',
    exitCode: 0,
    startedAt: ZERO_TIME,
    finishedAt: ZERO_TIME,
    error: '',
    oomKilled: false,
    restartCount: 0,
  };
}

export const validateContainerRecord = validatorFor<ContainerRecord>('containerRecord', schema);
