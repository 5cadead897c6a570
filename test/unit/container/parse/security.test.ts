import { defaultNetworkMode, parseNetwork } from '../../../../lib/container/parse/network.js';
import { parseRestartPolicy } from '../../../../lib/container/parse/restart.js';
import { parseSecurity } from '../../../../lib/container/parse/security.js';
import { parseAnnotations, parseLabelFileText } from '../../../../lib/container/parse/metadata.js';

const base = { capAdd: [], capDrop: [], securityOpts: [], groupAdd: [], rootless: false, cwd: '/work' };

describe('security flag parsing', () => {
  it('normalises capability names and accepts ALL', () => {
    expect(parseSecurity({ ...base, capAdd: ['net_admin,SYS_TIME'], capDrop: ['all'] })).toEqual({
      capAdd: ['CAP_NET_ADMIN', 'CAP_SYS_TIME'],
      capDrop: ['ALL'],
    });
    expect(() => parseSecurity({ ...base, capAdd: ['FLY'] })).toThrow(/invalid --cap-add "FLY"/);
  });

  it('reads --security-opt forms and resolves a profile path', () => {
    expect(parseSecurity({ ...base, securityOpts: ['no-new-privileges', 'seccomp=prof.json', 'mask=/proc/a:/proc/b', 'unmask=ALL'] })).toEqual({
      noNewPrivileges: true,
      seccomp: '/work/prof.json',
      mask: ['/proc/a', '/proc/b'],
      unmask: ['ALL'],
    });
    expect(parseSecurity({ ...base, securityOpts: ['seccomp:unconfined', 'label=disable'] })).toEqual({ seccomp: 'unconfined' });
    expect(() => parseSecurity({ ...base, securityOpts: ['selinux=on'] })).toThrow(/invalid --security-opt "selinux=on"/);
  });

  it("accepts host and root's auto, refuses keep-id, rootless auto and other user namespace modes clearly", () => {
    expect(parseSecurity({ ...base, userns: 'host' })).toBeUndefined();
    expect(parseSecurity({ ...base, userns: 'auto:size=2048' })).toBeUndefined();
    expect(() => parseSecurity({ ...base, userns: 'auto:size=0' })).toThrow('invalid --userns "auto:size=0": size must be a whole number from 1 to 4294967295, not "0"');
    expect(() => parseSecurity({ ...base, userns: 'auto', rootless: true })).toThrow('cannot use --userns=auto in a rootless container: a rootless container already runs in your user namespace');
    expect(() => parseSecurity({ ...base, userns: 'keep-id' })).toThrow(/only applies to rootless containers/);
    expect(() => parseSecurity({ ...base, userns: 'keep-id', rootless: true })).toThrow(/not supported yet/);
    expect(() => parseSecurity({ ...base, userns: 'nomap' })).toThrow('invalid --userns "nomap": use host, or auto[:size=N][,uidmapping=…][,gidmapping=…] (root only)');
  });

  it('names where a mode came from when it was not --userns (PODMAN_USERNS, containers.conf, the API)', () => {
    const from = (userns: string, where: string, rootless = false) => () => parseSecurity({ ...base, userns, usernsFrom: where, rootless });
    expect(from('nomap', 'PODMAN_USERNS')).toThrow('invalid PODMAN_USERNS "nomap": use host, or auto[:size=N]');
    expect(from('auto:size=x', 'userns in containers.conf (/c.conf)')).toThrow('invalid userns in containers.conf (/c.conf) "auto:size=x": size must be a whole number from 1 to 4294967295, not "x"');
    expect(from('auto:uidmapping=0:1:2,uidmapping=1:5:1', 'PODMAN_USERNS')).toThrow('invalid PODMAN_USERNS uidmapping');
    expect(from('auto', 'HostConfig.UsernsMode', true)).toThrow('cannot use HostConfig.UsernsMode "auto" in a rootless container: a rootless container already runs in your user namespace');
    expect(from('keep-id', 'PODMAN_USERNS')).toThrow('PODMAN_USERNS "keep-id" only applies to rootless containers (it maps your own uid into the container); as root use host or leave it out');
    expect(from('keep-id:uid=1', 'userns in containers.conf (/c.conf)', true)).toThrow('userns in containers.conf (/c.conf) "keep-id:uid=1" is not supported yet');
    expect(parseSecurity({ ...base, userns: 'auto', usernsFrom: 'PODMAN_USERNS' })).toBeUndefined();
  });

  it('checks --group-add values', () => {
    expect(parseSecurity({ ...base, groupAdd: ['wheel', '42'] })).toEqual({ groupAdd: ['wheel', '42'] });
    expect(() => parseSecurity({ ...base, groupAdd: ['keep-groups'] })).toThrow(/keep-groups/);
  });
});

describe('network, metadata and restart flag parsing', () => {
  const net = { dns: [], dnsSearch: [], dnsOptions: [], addHosts: [] };

  it('knows none, host, bridge and network names, and refuses network modes pman does not have', () => {
    expect(parseNetwork({ ...net })).toBeUndefined();
    expect(parseNetwork({ ...net, network: 'host' })).toEqual({ mode: 'host' });
    expect(parseNetwork({ ...net, network: 'bridge' })).toEqual({ mode: 'bridge', networks: { pman: { interface: 'eth0' } } });
    expect(parseNetwork({ ...net, network: 'a,b', aliases: ['x'] })).toEqual({ mode: 'bridge', networks: { a: { interface: 'eth0', aliases: ['x'] }, b: { interface: 'eth1', aliases: ['x'] } } });
    expect(parseNetwork({ ...net, network: 'slirp4netns' })).toEqual({ mode: 'slirp4netns' });
    expect(() => parseNetwork({ ...net, network: 'bad name' })).toThrow(/invalid --network "bad name"/);
  });

  it('puts root containers on the default bridge network when no --network is given, rootless ones on none', () => {
    expect(defaultNetworkMode(false)).toBe('bridge');
    expect(defaultNetworkMode(true)).toBeUndefined();
  });

  it('checks DNS settings and extra hosts', () => {
    expect(parseNetwork({ ...net, dns: ['1.1.1.1'], dnsSearch: ['.'], dnsOptions: ['ndots:2'], addHosts: ['db:10.0.0.1'] })).toEqual({
      mode: 'none',
      dns: ['1.1.1.1'],
      dnsSearch: ['.'],
      dnsOptions: ['ndots:2'],
      addHosts: ['db:10.0.0.1'],
    });
    expect(() => parseNetwork({ ...net, dns: ['dns.example'] })).toThrow(/invalid --dns/);
    expect(() => parseNetwork({ ...net, addHosts: ['db'] })).toThrow(/HOST:IP/);
    expect(() => parseNetwork({ ...net, addHosts: ['db:999.1.1.1'] })).toThrow(/not an IP address/);
    expect(() => parseNetwork({ ...net, addHosts: ['gw:host-gateway'] })).toThrow(/host-gateway/);
  });

  it('reads label files and annotations', () => {
    expect(parseLabelFileText('# comment\n\na=1\nb = 2\r\nc\n', 'f')).toEqual(['a=1', 'b = 2', 'c']);
    expect(() => parseLabelFileText('=x\n', 'f')).toThrow(/line 1/);
    expect(parseAnnotations(['k=v', 'e='])).toEqual({ k: 'v', e: '' });
    expect(() => parseAnnotations(['=v'])).toThrow(/KEY=VALUE/);
  });

  it('reads restart policies', () => {
    expect(parseRestartPolicy('no')).toEqual({ name: 'no', maximumRetryCount: 0 });
    expect(parseRestartPolicy('')).toBeUndefined();
    expect(parseRestartPolicy('on-failure')).toEqual({ name: 'on-failure', maximumRetryCount: 0 });
    expect(parseRestartPolicy('on-failure:3')).toEqual({ name: 'on-failure', maximumRetryCount: 3 });
    expect(parseRestartPolicy('unless-stopped')).toEqual({ name: 'unless-stopped', maximumRetryCount: 0 });
    expect(() => parseRestartPolicy('always:2')).toThrow(/only on-failure takes a retry count/);
    expect(() => parseRestartPolicy('sometimes')).toThrow(/invalid --restart/);
  });
});
