import {
  checkCgroupsMode,
  expandEnvMerge,
  extrasGiven,
  parseAttach,
  parseNamespace,
  parsePersonality,
  parseShmSize,
  parseSysctls,
  parseUmask,
  passwdEntry,
  runsSystemd,
  sysctlNamespace,
} from '../../../../lib/container/parse/extras.js';

const own = { net: false, ipc: false, uts: false };

describe("podman's run/create flags, part 1: parsers", () => {
  it('reads namespace modes, container:NAME and ns:PATH, and names the modes a flag takes', () => {
    expect(parseNamespace('pid', 'host')).toEqual({ mode: 'host' });
    expect(parseNamespace('ipc', 'shareable')).toEqual({ mode: 'shareable' });
    expect(parseNamespace('uts', 'container:web')).toEqual({ mode: 'container', ref: 'web' });
    expect(parseNamespace('cgroup', 'ns:/proc/1/ns/cgroup')).toEqual({ mode: 'ns', path: '/proc/1/ns/cgroup' });
    expect(() => parseNamespace('pid', 'none')).toThrow('invalid --pid "none": use host, private, container:NAME, ns:PATH');
    expect(() => parseNamespace('cgroup', 'ns:relative')).toThrow('invalid --cgroupns "ns:relative": give the absolute path of a namespace file (ns:/proc/PID/ns/cgroup)');
    expect(() => parseNamespace('ipc', 'container:')).toThrow('invalid --ipc "container:": name the container (container:NAME)');
  });

  it('accepts only namespaced sysctls, and only in a namespace of the container', () => {
    expect(sysctlNamespace('fs.mqueue.msg_max')).toBe('ipc');
    expect(sysctlNamespace('kernel.shm_rmid_forced')).toBe('ipc');
    expect(sysctlNamespace('net.core.somaxconn')).toBe('net');
    expect(sysctlNamespace('kernel.domainname')).toBe('uts');
    expect(sysctlNamespace('kernel.pid_max')).toBeUndefined();
    expect(parseSysctls(['net/ipv4/ip_forward=1', 'kernel.sem=250 32000 32 128'], own)).toEqual({ 'net.ipv4.ip_forward': '1', 'kernel.sem': '250 32000 32 128' });
    expect(() => parseSysctls(['vm.swappiness=10'], own)).toThrow('vm.swappiness is not a namespaced sysctl');
    expect(() => parseSysctls(['net.ipv4.ip_forward=1'], { ...own, net: true })).toThrow('net.ipv4.ip_forward cannot be set with --network host');
    expect(() => parseSysctls(['kernel.domainname=x'], { ...own, uts: true })).toThrow('kernel.domainname cannot be set with --uts host');
    expect(() => parseSysctls(['novalue'], own)).toThrow('invalid --sysctl "novalue": use KEY=VALUE');
  });

  it('refuses kernel.hostname as podman does (the host name is --hostname); kernel.domainname is allowed', () => {
    expect(() => parseSysctls(['kernel.hostname=x'], own)).toThrow('invalid --sysctl "kernel.hostname=x": kernel.hostname cannot be set as a sysctl; give the container\'s host name with --hostname');
    expect(() => parseSysctls(['kernel/hostname=x'], own, 'default_sysctls in containers.conf (/c)')).toThrow('invalid default_sysctls in containers.conf (/c) "kernel/hostname=x": kernel.hostname cannot');
    expect(parseSysctls(['kernel.domainname=example.org'], own)).toEqual({ 'kernel.domainname': 'example.org' });
  });

  it('reads sizes, masks, personalities and attach streams as podman does', () => {
    expect(parseShmSize('3m')).toBe(3 * 1024 * 1024);
    expect(parseShmSize('0')).toBe(0);
    expect(parseUmask('27')).toBe('0027');
    expect(() => parseUmask('1777')).toThrow('invalid --umask "1777"');
    expect(() => parseUmask('8')).toThrow('invalid --umask "8"');
    expect(parsePersonality('linux32')).toBe('LINUX32');
    expect(() => parsePersonality('bsd')).toThrow('invalid --personality "bsd": use LINUX or LINUX32');
    expect(parseAttach(['stdout,STDERR', 'stdout'])).toEqual(['stdout', 'stderr']);
    expect(() => parseAttach(['out'])).toThrow('invalid --attach "out": use stdin, stdout or stderr');
  });

  it('expands --env-merge templates over the environment so far', () => {
    const env = ['PATH=/bin', 'A=x=y', 'EMPTY='];
    expect(expandEnvMerge('PATH=${PATH}:/opt/bin', env)).toBe('PATH=/bin:/opt/bin');
    expect(expandEnvMerge('B=$A-${EMPTY}-${UNSET}-$$', env)).toBe('B=x=y---$$');
    expect(() => expandEnvMerge('=x', env)).toThrow("invalid --env-merge \"=x\": use KEY=VALUE, e.g. 'PATH=${PATH}:/opt/bin'");
  });

  it('fills --passwd-entry templates and refuses what is not one passwd line', () => {
    const vars = { username: '1000', uid: 1000, gid: 100, name: '1000', home: '/home/u' };
    expect(passwdEntry('$USERNAME:x:$UID:$GID:$NAME:$HOME:/bin/sh', vars)).toBe('1000:x:1000:100:1000:/home/u:/bin/sh');
    expect(() => passwdEntry('$USERNAME:x:$UID', vars)).toThrow('it must make one passwd line of 7 fields');
    expect(() => passwdEntry('a:x:1:1:g:/:/bin/sh\nroot2:x:0:0::/:/bin/sh', vars)).toThrow('it must make one passwd line of 7 fields');
  });

  it("treats podman's init commands and systemd as systemd mode", () => {
    expect(runsSystemd(['/sbin/init'])).toBe(true);
    expect(runsSystemd(['/usr/lib/systemd/systemd', '--log-level=debug'])).toBe(true);
    expect(runsSystemd(['/bin/sh', '/sbin/init'])).toBe(false);
    expect(runsSystemd([])).toBe(false);
  });

  it('accepts the cgroup modes pman has and explains the others', () => {
    expect(() => checkCgroupsMode('no-conmon')).not.toThrow();
    expect(() => checkCgroupsMode('disabled')).toThrow('--cgroups disabled is not supported: runc always puts a container in a cgroup of its own');
    expect(() => checkCgroupsMode('off')).toThrow('invalid --cgroups "off": use enabled, disabled, no-conmon or split');
  });

  it('notices when one of the flags is given (else create never loads extras.ts)', () => {
    const none = { cwd: '/', notifySocket: '/run/n', attach: [], rootfs: false, passwd: true, tz: undefined };
    expect(extrasGiven(none)).toBe(false);
    expect(extrasGiven({ ...none, passwd: false })).toBe(true);
    expect(extrasGiven({ ...none, attach: ['stdout'] })).toBe(true);
    expect(extrasGiven({ ...none, rootfs: true })).toBe(true);
  });
});
