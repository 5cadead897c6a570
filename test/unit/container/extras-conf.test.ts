import { applyExtrasConf, type ExtrasConfFacts } from '../../../lib/container/extras-conf.js';
import type { ExtrasConfig } from '../../../lib/state/container-record.js';

const where = 'containers.conf (/c.conf)';
const own = { net: false, ipc: false, uts: false };
const facts = (over: Partial<ExtrasConfFacts> = {}): ExtrasConfFacts => ({ shared: own, addHosts: 0, zoneFile: (tz) => `/usr/share/zoneinfo/${tz}`, ...over });
const sysctls = ['net.ipv4.ping_group_range=0 0', 'kernel.shmmni=100', 'fs.mqueue.msg_max=20', 'kernel.domainname=example.org'];

function applied(c: Parameters<typeof applyExtrasConf>[1], f: ExtrasConfFacts, x: ExtrasConfig = {}): ExtrasConfig {
  applyExtrasConf(x, c, f);
  return x;
}

describe("containers.conf's tz, umask, shm_size, no_hosts and default_sysctls", () => {
  it('become the extras of a container that owns its namespaces', () => {
    expect(applied({ where, tz: 'UTC', umask: '77', shmSize: '1k', noHosts: true, sysctls }, facts())).toEqual({
      tz: 'UTC',
      umask: '0077',
      shmSize: 1024,
      noHosts: true,
      sysctls: { 'net.ipv4.ping_group_range': '0 0', 'kernel.shmmni': '100', 'fs.mqueue.msg_max': '20', 'kernel.domainname': 'example.org' },
    });
  });

  it("leave out, without an error, sysctls of namespaces the container does not own, and --sysctl's keys", () => {
    expect(applied({ where, sysctls }, facts({ shared: { net: true, ipc: false, uts: false } }), { sysctls: { 'kernel.shmmni': '7' } }).sysctls).toEqual({
      'kernel.shmmni': '7',
      'fs.mqueue.msg_max': '20',
      'kernel.domainname': 'example.org',
    });
    expect(applied({ where, sysctls }, facts({ shared: { net: false, ipc: true, uts: true } })).sysctls).toEqual({ 'net.ipv4.ping_group_range': '0 0' });
    expect(applied({ where, sysctls: ['net.core.somaxconn=1'] }, facts({ shared: { ...own, net: true } }))).toEqual({});
  });

  it('leave out shm_size without a /dev/shm of its own, and no_hosts when --add-host gives entries', () => {
    for (const ipcMode of ['host', 'container', 'none']) expect(applied({ where, shmSize: '1m' }, facts({ ipcMode }))).toEqual({});
    expect(applied({ where, shmSize: '1m' }, facts({ ipcMode: 'shareable' }))).toEqual({ shmSize: 1048576 });
    expect(applied({ where, noHosts: true }, facts({ addHosts: 1 }))).toEqual({});
  });

  it('are checked, with messages naming the key and the files', () => {
    expect(() => applied({ where, umask: '999' }, facts())).toThrow('invalid umask in containers.conf (/c.conf) "999": use an octal mask');
    expect(() => applied({ where, shmSize: 'lots' }, facts())).toThrow('invalid shm_size in containers.conf (/c.conf) "lots": use a size');
    expect(() => applied({ where, sysctls: ['vm.swappiness=1'] }, facts())).toThrow('invalid default_sysctls in containers.conf (/c.conf) "vm.swappiness=1": vm.swappiness is not a namespaced sysctl');
    // Invalid even where it would be left out: the file is wrong for every container.
    expect(() => applied({ where, sysctls: ['kernel.hostname=x'] }, facts({ shared: { ...own, uts: true } }))).toThrow('kernel.hostname cannot be set as a sysctl');
    const seen: string[] = [];
    applied({ where, tz: 'Europe/Berlin' }, facts({ zoneFile: (tz, what) => (seen.push(`${what}: ${tz}`), '') }));
    expect(seen).toEqual(['tz in containers.conf (/c.conf): Europe/Berlin']);
  });
});
