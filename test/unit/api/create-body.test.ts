import { createOptionsFromBody } from '../../../lib/api/create-body.js';
import { ApiError } from '../../../lib/api/http.js';
import { createContext } from '../../../lib/context.js';

const root = createContext({ root: '/tmp/x', runroot: '/tmp/y', env: {} });
const user = { ...root, rootless: true };

describe('createOptionsFromBody', () => {
  it("passes HostConfig.CgroupParent on as --cgroup-parent (compose's cgroup_parent), and nothing without it", () => {
    expect(createOptionsFromBody(root, { Image: 'busybox', HostConfig: { CgroupParent: '/mine' } }, undefined).extras?.cgroupParent).toBe('/mine');
    expect(createOptionsFromBody(root, { Image: 'busybox', HostConfig: { CgroupParent: '' } }, undefined).extras).toBeUndefined();
  });

  it('turns Docker create fields into the flag text pman create takes', () => {
    const o = createOptionsFromBody(
      root,
      {
        Image: 'busybox',
        Cmd: ['sh', '-c', 'true'],
        Entrypoint: ['/bin/env'],
        Env: ['A=1'],
        Labels: { k: 'v' },
        Tty: true,
        OpenStdin: true,
        ExposedPorts: { '8080/tcp': {}, '53/udp': {} },
        HostConfig: {
          Binds: ['/h:/c:ro'],
          PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }], '81': [{ HostIp: '', HostPort: '0' }] },
          AutoRemove: true,
          RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 },
          Memory: 1048576 * 64,
          NanoCpus: 1500000000,
          Ulimits: [{ Name: 'nofile', Soft: 10, Hard: 20 }],
          Mounts: [{ Type: 'volume', Source: 'v', Target: '/v', ReadOnly: true }],
          ConsoleSize: [30, 100],
        },
        NetworkingConfig: { EndpointsConfig: { bridge: { Aliases: ['web'] } } },
      },
      'named',
    );
    expect(o).toMatchObject({
      image: 'busybox',
      name: 'named',
      command: ['sh', '-c', 'true'],
      entrypoint: '["/bin/env"]',
      env: ['A=1'],
      labels: ['k=v'],
      rm: true,
      tty: true,
      interactive: true,
      consoleSize: { rows: 30, cols: 100 },
    });
    expect(o.config).toMatchObject({
      volumes: ['/h:/c:ro'],
      mounts: ['type=volume,source=v,target=/v,readonly'],
      restart: 'on-failure:3',
      resources: { memory: '67108864', cpus: '1.5', ulimits: ['nofile=10:20'] },
      network: { network: 'bridge', publish: ['81/tcp', '127.0.0.1:8080:80/tcp'], expose: ['8080/tcp', '53/udp'], aliases: ['web'] },
    });
  });

  it("maps Docker's default network mode to the bridge for root and to pman's default for a user", () => {
    expect(createOptionsFromBody(root, { Image: 'i', HostConfig: { NetworkMode: 'default' } }, undefined).config?.network.network).toBe('bridge');
    expect(createOptionsFromBody(user, { Image: 'i' }, undefined).config?.network.network).toBeUndefined();
    expect(createOptionsFromBody(root, { Image: 'i', HostConfig: { NetworkMode: 'none' } }, undefined).config?.network.network).toBe('none');
  });

  it('refuses a body without an image or with fields of the wrong type, naming the field', () => {
    expect(() => createOptionsFromBody(root, {}, undefined)).toThrow(new ApiError(400, 'invalid container config: Image is required'));
    expect(() => createOptionsFromBody(root, { Image: 'i', Env: 'A=1' as unknown as string[], Cmd: [1] }, undefined)).toThrow('invalid Cmd: expected a list of strings');
    expect(() => createOptionsFromBody(root, { Image: 'i', Tty: 'yes' }, undefined)).toThrow('invalid Tty: expected true or false');
    expect(() => createOptionsFromBody(root, { Image: 'i', HostConfig: { PortBindings: { 'x/tcp': [] } } }, undefined)).toThrow('invalid port "x/tcp": use PORT[/PROTOCOL]');
  });
});
