import { checkRootlessResources, rootlessUnsupported } from '../../../lib/rootless/unsupported.js';

describe('features rootless containers cannot have', () => {
  it('names the flag in the error', () => {
    expect(rootlessUnsupported('--cpus').message).toBe(
      'cannot use --cpus in a rootless container: resource limits need a cgroup, and rootless containers get none ' +
        '(an unprivileged user cannot create cgroups on cgroup v1); run pman as root to use it, or leave --cpus out',
    );
  });

  it('refuses the first cgroup limit a record asks for', () => {
    expect(() => checkRootlessResources({ memory: 64 << 20 })).toThrow(/^cannot use --memory in a rootless container/);
    expect(() => checkRootlessResources({ nanoCpus: 5e8 })).toThrow(/^cannot use --cpus /);
    expect(() => checkRootlessResources({ pidsLimit: 100 })).toThrow(/^cannot use --pids-limit /);
  });

  it('lets rlimits, the OOM score and no resources at all through', () => {
    expect(() => checkRootlessResources(undefined)).not.toThrow();
    expect(() => checkRootlessResources({ ulimits: [{ name: 'nofile', soft: 10, hard: 10 }], oomScoreAdj: 100, oomKillDisable: false })).not.toThrow();
  });
});
