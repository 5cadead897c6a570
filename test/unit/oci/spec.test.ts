import { generateSpec, parseSpec, serializeSpec } from '../../../lib/oci/spec.js';
import { hostsFile, resolvConf } from '../../../lib/oci/spec-identity.js';
import { specMounts } from '../../../lib/oci/spec-mounts.js';
import { specResources, specRlimits } from '../../../lib/oci/spec-resources.js';
import { protectedPaths, MASKED_PATHS } from '../../../lib/oci/spec-security.js';
import type { ContainerConfig, ContainerRecord } from '../../../lib/state/container-record.js';
import { containerRecordFixture } from '../container-record-fixture.js';

function record(config: Partial<ContainerConfig> = {}): ContainerRecord {
  return containerRecordFixture(config);
}

const etcFiles = { hostname: '/b/hostname', hosts: '/b/hosts', resolvConf: '/b/resolv.conf' };
const volumePath = (n: string) => `/vols/${n}/_data`;
const dests = (rec: ContainerRecord) => specMounts({ rec, etcFiles, volumePath }).map((m) => m.destination);

describe('spec mounts', () => {
  it('turns binds, volumes and tmpfs mounts into OCI mounts with podman\'s defaults', () => {
    const rec = record({
      mounts: [
        { type: 'bind', source: '/host', destination: '/data', options: ['ro', 'Z'] },
        { type: 'volume', source: 'v1', destination: '/v', options: ['rshared', 'nocopy'] },
        { type: 'tmpfs', source: 'tmpfs', destination: '/t', options: ['size=1m', 'noexec'] },
      ],
    });
    const m = specMounts({ rec, etcFiles, volumePath });
    expect(m.find((x) => x.destination === '/data')).toEqual({ destination: '/data', type: 'bind', source: '/host', options: ['rbind', 'rprivate', 'ro'] });
    expect(m.find((x) => x.destination === '/v')).toEqual({ destination: '/v', type: 'bind', source: '/vols/v1/_data', options: ['rbind', 'rshared', 'rw', 'nosuid', 'nodev'] });
    expect(m.find((x) => x.destination === '/t')).toEqual({
      destination: '/t',
      type: 'tmpfs',
      source: 'tmpfs',
      options: ['rw', 'nosuid', 'nodev', 'size=1m', 'noexec', 'tmpcopyup', 'rprivate'],
    });
  });

  it('lets a user mount replace a default one and mounts parents first', () => {
    const rec = record({
      mounts: [
        { type: 'bind', source: '/h/hosts', destination: '/etc/hosts', options: [] },
        { type: 'tmpfs', source: 'tmpfs', destination: '/a/b/c', options: [] },
        { type: 'bind', source: '/h/a', destination: '/a', options: [] },
      ],
    });
    const d = dests(rec);
    expect(d.filter((x) => x === '/etc/hosts')).toHaveLength(1);
    expect(specMounts({ rec, etcFiles, volumePath }).find((x) => x.destination === '/etc/hosts')!.source).toBe('/h/hosts');
    expect(d.indexOf('/a')).toBeLessThan(d.indexOf('/a/b/c'));
    expect(d.indexOf('/dev')).toBeLessThan(d.indexOf('/dev/pts'));
  });

  it('gives a read-only root tmpfs on /run, /tmp and /var/tmp unless --read-only-tmpfs=false', () => {
    expect(dests(record({ readOnly: true, readOnlyTmpfs: true }))).toEqual(expect.arrayContaining(['/run', '/tmp', '/var/tmp']));
    expect(dests(record({ readOnly: true, readOnlyTmpfs: false }))).not.toContain('/tmp');
    expect(dests(record())).not.toContain('/tmp');
  });

  it('binds the init binary in and runs it first for --init', () => {
    const rec = record({ init: true, cmd: ['sleep', '1'] });
    const spec = generateSpec({ rec, rootfs: '/r', user: { uid: 0, gid: 0, additionalGids: [], home: '/root' }, etcFiles, hostLimits: { nofile: 1024, nproc: 1024 }, initPath: '/usr/bin/catatonit' }) as {
      process: { args: string[] };
      mounts: Array<{ destination: string; source: string }>;
    };
    expect(spec.process.args).toEqual(['/run/podman-init', '--', 'sleep', '1']);
    expect(spec.mounts.find((m) => m.destination === '/run/podman-init')?.source).toBe('/usr/bin/catatonit');
  });
});

describe('spec resources', () => {
  it('sets cgroup limits, with swap twice the memory by default', () => {
    const r = specResources(record({ resources: { memory: 64 << 20, nanoCpus: 1_500_000_000, cpuShares: 512, cpusetCpus: '0', pidsLimit: 100, oomKillDisable: true } }));
    expect(r).toEqual({
      devices: [{ allow: false, access: 'rwm' }],
      pids: { limit: 100 },
      memory: { limit: 64 << 20, swap: 128 << 20, disableOOMKiller: true },
      cpu: { period: 100000, quota: 150000, shares: 512, cpus: '0' },
    });
    expect(specResources(record()).pids).toEqual({ limit: 2048 });
  });

  it('writes one set of values for both hierarchies, in the v1 terms runc converts for v2', () => {
    // The flags of test/integration/config/resources.test.ts, which reads the files of the host's
    // hierarchy. runc writes, on v1: memory.limit_in_bytes 64m, memory.memsw.limit_in_bytes 96m,
    // memory.soft_limit_in_bytes 32m, cpu.cfs_quota_us/cfs_period_us 50000/100000, cpu.shares
    // 512; on v2: memory.max 64m, memory.swap.max 32m (swap = memory+swap - memory), memory.low
    // 32m, cpu.max "50000 100000", cpu.weight from the shares (below the default 100).
    const r = specResources(record({ resources: { memory: 64 << 20, memorySwap: 96 << 20, memoryReservation: 32 << 20, nanoCpus: 500_000_000, cpuShares: 512, cpusetCpus: '0' } }));
    expect([r.memory, r.cpu]).toEqual([
      { limit: 64 << 20, swap: 96 << 20, reservation: 32 << 20 },
      { period: 100000, quota: 50000, shares: 512, cpus: '0' },
    ]);
    // Unlimited swap stays -1 (runc: memsw/swap.max unlimited on either).
    expect(specResources(record({ resources: { memory: 64 << 20, memorySwap: -1 } })).memory).toEqual({ limit: 64 << 20, swap: -1 });
  });

  it('replaces default rlimits by --ulimit and writes unlimited as 2^64-1', () => {
    const rec = record({ resources: { ulimits: [{ name: 'nofile', soft: 10, hard: 20 }, { name: 'core', soft: -1, hard: -1 }] } });
    const limits = specRlimits(rec, { nofile: 1000, nproc: 2000 });
    expect(limits.map((l) => l.type)).toEqual(['RLIMIT_NPROC', 'RLIMIT_NOFILE', 'RLIMIT_CORE']);
    const text = serializeSpec({ process: { rlimits: limits } });
    expect(text).toContain('"soft": 18446744073709551615');
    expect(text).not.toContain('__RLIM');
    // Read back and written again (as exec does with the container's process), it stays exact.
    expect(serializeSpec(parseSpec(text))).toBe(text);
  });
});

describe('spec security and identity', () => {
  it('masks podman\'s paths, none for --privileged, and honours mask/unmask', () => {
    expect(protectedPaths(record()).maskedPaths).toEqual(MASKED_PATHS);
    expect(protectedPaths(record({ security: { privileged: true } }))).toEqual({ maskedPaths: [], readonlyPaths: [] });
    const p = protectedPaths(record({ security: { unmask: ['/proc/kcore'], mask: ['/proc/cpuinfo'] } }));
    expect(p.maskedPaths).not.toContain('/proc/kcore');
    expect(p.maskedPaths).toContain('/proc/cpuinfo');
  });

  it('writes /etc/hosts with extra hosts before the container\'s own name', () => {
    const rec = record({ network: { mode: 'none', addHosts: ['db:10.0.0.5', 'a;b:::1'] } });
    expect(hostsFile(rec, 'ignored')).toBe(
      '127.0.0.1\tlocalhost localhost.localdomain\n::1\tlocalhost localhost.localdomain\n10.0.0.5\tdb\n::1\ta b\n127.0.1.1\taaaaaaaaaaaa web\n',
    );
    expect(hostsFile(record({ network: { mode: 'host' } }), '127.0.0.1 localhost\n10.1.1.1 box')).toBe('127.0.0.1 localhost\n10.1.1.1 box\n');
  });

  it('derives resolv.conf from the host\'s, dropping loopback resolvers in a private network', () => {
    const host = 'nameserver 127.0.0.53\nsearch corp.example\noptions edns0\n';
    expect(resolvConf(record(), host)).toBe('search corp.example\nnameserver 8.8.8.8\nnameserver 8.8.4.4\noptions edns0\n');
    expect(resolvConf(record({ network: { mode: 'host' } }), host)).toBe('search corp.example\nnameserver 127.0.0.53\noptions edns0\n');
    const rec = record({ network: { mode: 'none', dns: ['1.1.1.1'], dnsSearch: ['.'], dnsOptions: ['ndots:3'] } });
    expect(resolvConf(rec, host)).toBe('nameserver 1.1.1.1\noptions ndots:3\n');
  });

  it('shares the host network namespace only for --network host', () => {
    const ns = (rec: ContainerRecord) => (generateSpec({ rec, rootfs: '/r', user: { uid: 0, gid: 0, additionalGids: [], home: '/' }, etcFiles, hostLimits: { nofile: 1, nproc: 1 } }) as { linux: { namespaces: Array<{ type: string }> } }).linux.namespaces.map((n) => n.type);
    expect(ns(record())).toContain('network');
    expect(ns(record({ network: { mode: 'host' } }))).not.toContain('network');
  });

  it('joins a pod infra\'s namespaces by path, and leaves the host name to a joined UTS namespace', () => {
    const joined = { network: '/run/netns/infra', ipc: '/proc/42/ns/ipc', uts: '/proc/42/ns/uts', cgroup: '/proc/42/ns/cgroup' };
    const spec = generateSpec({ rec: record({ pod: 'c'.repeat(64) }), rootfs: '/r', user: { uid: 0, gid: 0, additionalGids: [], home: '/' }, etcFiles, hostLimits: { nofile: 1, nproc: 1 }, joinedNamespaces: joined }) as {
      hostname?: string;
      linux: { namespaces: Array<{ type: string; path?: string }> };
    };
    expect(spec.linux.namespaces).toEqual([
      { type: 'pid' },
      { type: 'network', path: '/run/netns/infra' },
      { type: 'ipc', path: '/proc/42/ns/ipc' },
      { type: 'uts', path: '/proc/42/ns/uts' },
      { type: 'mount' },
      { type: 'cgroup', path: '/proc/42/ns/cgroup' },
    ]);
    expect(spec.hostname).toBeUndefined();
    // A host-network infra's members join its (the host's) namespace: it is not dropped.
    const host = generateSpec({ rec: record({ network: { mode: 'host' } }), rootfs: '/r', user: { uid: 0, gid: 0, additionalGids: [], home: '/' }, etcFiles, hostLimits: { nofile: 1, nproc: 1 }, joinedNamespaces: { network: '/proc/7/ns/net' } }) as { hostname?: string; linux: { namespaces: Array<{ type: string; path?: string }> } };
    expect(host.linux.namespaces).toContainEqual({ type: 'network', path: '/proc/7/ns/net' });
    expect(host.hostname).toBe('aaaaaaaaaaaa');
  });
});
