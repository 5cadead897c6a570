// /_ping, /version, /info, /events: what a client asks first, in Docker's shapes.
import os from 'node:os';
import { listImageRecords } from '../image/records.js';
import { systemInfo } from '../system/info.js';
import { goArch, pmanVersion } from '../system/version.js';
import type { Call } from './call.js';
import { serveEvents } from './events.js';
import { API_VERSION, MIN_API_VERSION, route, type Route } from './router.js';

async function ping(call: Call): Promise<void> {
  // Api-Version is set on every reply; HEAD gets the same headers (Node leaves out the body).
  call.text(200, 'text/plain; charset=utf-8', 'OK');
}

function versionBody(): Record<string, unknown> {
  const version = pmanVersion();
  const common = {
    ApiVersion: API_VERSION,
    MinAPIVersion: MIN_API_VERSION,
    GitCommit: '',
    GoVersion: `node ${process.version}`,
    Os: 'linux',
    Arch: goArch(),
    KernelVersion: os.release(),
    BuildTime: '',
  };
  return {
    Platform: { Name: 'pman' },
    Components: [{ Name: 'Engine', Version: version, Details: { ...common, Experimental: 'false' } }],
    Version: version,
    ...common,
  };
}

async function version(call: Call): Promise<void> {
  call.json(200, versionBody());
}

async function info(call: Call): Promise<void> {
  const { ctx } = call;
  const i = await systemInfo(ctx);
  const c = i.store.containerStore;
  call.json(200, {
    ID: os.hostname(),
    Containers: c.number,
    ContainersRunning: c.running,
    ContainersPaused: c.paused,
    ContainersStopped: c.stopped,
    Images: listImageRecords(ctx).length,
    Driver: 'overlay',
    DriverStatus: [['Backing Filesystem', 'extfs']],
    DockerRootDir: ctx.root,
    Plugins: { Volume: ['local'], Network: ['bridge', 'host', 'none'], Log: ['k8s-file', 'json-file', 'none'] },
    MemoryLimit: true,
    SwapLimit: true,
    CpuCfsPeriod: true,
    CpuCfsQuota: true,
    CPUShares: true,
    CPUSet: true,
    PidsLimit: true,
    IPv4Forwarding: true,
    Debug: ctx.logLevel === 'debug',
    NFd: 0,
    NGoroutines: 0,
    SystemTime: new Date().toISOString(),
    LoggingDriver: 'k8s-file',
    CgroupDriver: i.host.cgroupManager,
    CgroupVersion: i.host.cgroupVersion.replace(/^v/, ''),
    KernelVersion: i.host.kernel,
    OperatingSystem: 'pman',
    OSType: 'linux',
    Architecture: process.arch === 'x64' ? 'x86_64' : process.arch,
    NCPU: os.cpus().length,
    MemTotal: os.totalmem(),
    IndexServerAddress: 'https://index.docker.io/v1/',
    RegistryConfig: { IndexConfigs: {}, InsecureRegistryCIDRs: [], Mirrors: [] },
    Name: i.host.hostname,
    Labels: [],
    ExperimentalBuild: false,
    ServerVersion: pmanVersion(),
    Runtimes: { [ctx.runtime]: { path: i.host.ociRuntime.path } },
    DefaultRuntime: ctx.runtime,
    Swarm: { NodeID: '', NodeAddr: '', LocalNodeState: 'inactive', ControlAvailable: false, Error: '', RemoteManagers: null },
    LiveRestoreEnabled: true,
    Isolation: '',
    InitBinary: 'catatonit',
    SecurityOptions: ctx.rootless ? ['name=rootless'] : [],
    Warnings: [],
  });
}

export function systemRoutes(): Route[] {
  return [
    route('GET', '/_ping', ping),
    route('HEAD', '/_ping', ping),
    route('GET', '/version', version),
    route('GET', '/info', info),
    route('GET', '/events', serveEvents),
  ];
}
