import { createContext } from '../../../lib/context.js';
import { joinNamespaces } from '../../../lib/container/pod-member.js';
import type { ContainerRecord } from '../../../lib/state/container-record.js';
import { containerRecordFixture } from '../container-record-fixture.js';

const ctx = createContext({ root: '/nonexistent/pman-root', runroot: '/nonexistent/pman-run', env: {} });

function infra(mode: 'none' | 'host' | 'bridge', pid: number): ContainerRecord {
  const rec = containerRecordFixture({ network: { mode }, infra: true });
  return { ...rec, id: 'f'.repeat(64), state: { ...rec.state, status: 'running', pid } };
}

describe('joining a pod infra\'s namespaces', () => {
  it('names the bind-mounted namespace of a bridge infra, and /proc/<pid>/ns otherwise', () => {
    expect(joinNamespaces(ctx, infra('bridge', 4242), ['ipc', 'net', 'uts'])).toEqual({
      ipc: '/proc/4242/ns/ipc',
      network: `/nonexistent/pman-run/netns/${'f'.repeat(64)}`,
      uts: '/proc/4242/ns/uts',
    });
    expect(joinNamespaces(ctx, infra('none', 77), ['net', 'pid', 'cgroup'])).toEqual({ network: '/proc/77/ns/net', pid: '/proc/77/ns/pid', cgroup: '/proc/77/ns/cgroup' });
    expect(joinNamespaces(ctx, infra('host', 77), [])).toEqual({});
  });
});
