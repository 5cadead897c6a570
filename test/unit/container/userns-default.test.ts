import type { CreateOptions } from '../../../lib/container/create.js';
import { emptyConfigOptions } from '../../../lib/container/host-config.js';
import { checkPodUsernsEnv, usernsDefault, withDefaultUserns } from '../../../lib/container/userns-default.js';

const conf = (userns?: string) => ({ files: ['/a.conf', '/b.conf'], ...(userns !== undefined ? { userns } : {}) });

function opts(over: Partial<CreateOptions> = {}, userns?: string): CreateOptions {
  const config = emptyConfigOptions();
  if (userns !== undefined) config.security.userns = userns;
  return { image: 'busybox', command: [], env: [], envFiles: [], hostEnv: {}, labels: [], rm: false, tty: false, interactive: false, config, ...over };
}

const modeOf = (o: CreateOptions) => [o.config?.security.userns, o.config?.security.usernsFrom];

describe('the default user namespace mode', () => {
  it('is PODMAN_USERNS, else containers.conf userns, else none; an empty variable is unset', () => {
    expect(usernsDefault({ PODMAN_USERNS: 'auto:size=10' }, conf('host'))).toEqual({ mode: 'auto:size=10', from: 'PODMAN_USERNS' });
    expect(usernsDefault({ PODMAN_USERNS: '' }, conf('auto'))).toEqual({ mode: 'auto', from: 'userns in containers.conf (/a.conf, /b.conf)' });
    expect(usernsDefault({}, conf(''))).toEqual({ mode: '', from: 'userns in containers.conf (/a.conf, /b.conf)' });
    expect(usernsDefault({}, conf())).toBeUndefined();
    expect(usernsDefault({}, undefined)).toBeUndefined();
  });

  it('goes where --userns goes when the flag is not given or empty, with its source for messages', () => {
    expect(modeOf(withDefaultUserns(opts(), { PODMAN_USERNS: 'auto' }, conf('host')))).toEqual(['auto', 'PODMAN_USERNS']);
    expect(modeOf(withDefaultUserns(opts({}, ''), {}, conf('auto')))).toEqual(['auto', 'userns in containers.conf (/a.conf, /b.conf)']);
    expect(modeOf(withDefaultUserns(opts({}, 'host'), { PODMAN_USERNS: 'auto' }, conf('auto')))).toEqual(['host', undefined]);
  });

  it('is left out with ID-map flags (they choose the namespace), for a pod member or infra, and without config options', () => {
    const mapped = opts();
    mapped.config!.idMaps = { uidmap: ['0:100000:1000'], gidmap: [] };
    expect(withDefaultUserns(mapped, { PODMAN_USERNS: 'auto' }, conf('auto'))).toBe(mapped);
    const member = opts({ pod: 'p1' });
    expect(withDefaultUserns(member, { PODMAN_USERNS: 'auto' }, conf('auto'))).toBe(member);
    const infra = opts({ pod: 'p1', infra: true });
    expect(withDefaultUserns(infra, {}, conf('auto'))).toBe(infra);
    const bare = { ...opts(), config: undefined };
    expect(withDefaultUserns(bare, { PODMAN_USERNS: 'auto' }, conf('auto'))).toBe(bare);
  });

  it("refuses to make a pod's infra under a PODMAN_USERNS other than host, naming the command and the value", () => {
    expect(() => checkPodUsernsEnv({ PODMAN_USERNS: 'auto' }, 'create the pod')).toThrow(
      'cannot create the pod with PODMAN_USERNS "auto": podman would give the pod\'s containers a user namespace of their own, shared by the pod, and pman\'s pods share the host\'s; unset PODMAN_USERNS (or set it to host) for this command',
    );
    for (const env of [{}, { PODMAN_USERNS: '' }, { PODMAN_USERNS: 'host' }]) expect(() => checkPodUsernsEnv(env, 'create the pod')).not.toThrow();
  });
});
