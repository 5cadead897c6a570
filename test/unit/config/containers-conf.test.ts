import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyContainersConf, checkedContainersConf, confRuntime, containersConfSequence, loadContainersConf } from '../../../lib/config/containers-conf.js';
import { applyConfDefaults } from '../../../lib/container/conf-defaults.js';
import type { CreateOptions } from '../../../lib/container/create.js';
import { emptyConfigOptions } from '../../../lib/container/host-config.js';
import { noExtras } from '../../../lib/container/extras.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-cconf-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(rel: string, text: string): string {
  const file = path.join(dir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

describe('where containers.conf is read', () => {
  it('root reads the system files and their drop-ins, then CONTAINERS_CONF_OVERRIDE', () => {
    expect(containersConfSequence({ CONTAINERS_CONF_OVERRIDE: '/o.conf' }, false)).toEqual([
      { file: '/usr/share/containers/containers.conf' },
      { file: '/etc/containers/containers.conf' },
      { dir: '/usr/share/containers/containers.conf.d' },
      { dir: '/etc/containers/containers.conf.d' },
      { file: '/o.conf' },
    ]);
  });

  it('a rootless user also reads ~/.config/containers (XDG_CONFIG_HOME first)', () => {
    expect(containersConfSequence({ HOME: '/home/u' }, true).slice(4)).toEqual([
      { file: '/home/u/.config/containers/containers.conf' },
      { dir: '/home/u/.config/containers/containers.conf.d' },
    ]);
    expect(containersConfSequence({ HOME: '/home/u', XDG_CONFIG_HOME: '/x' }, true)[4]).toEqual({ file: '/x/containers/containers.conf' });
  });

  it('CONTAINERS_CONF is the only file read besides the override', () => {
    expect(containersConfSequence({ CONTAINERS_CONF: '/c.conf', HOME: '/home/u' }, true)).toEqual([{ file: '/c.conf' }]);
    expect(containersConfSequence({ CONTAINERS_CONF: '/c.conf', CONTAINERS_CONF_OVERRIDE: '/o.conf' }, false)).toEqual([{ file: '/c.conf' }, { file: '/o.conf' }]);
  });
});

describe('reading containers.conf', () => {
  it('later files replace the keys they set; drop-ins by name; missing files are skipped', () => {
    const main = write('main.conf', '[containers]\npids_limit = 10\nenv = ["A=1"]\n[engine]\nstop_timeout = 4\n');
    write('d/20-b.conf', '[containers]\nenv = ["B=2"]\n');
    write('d/10-a.conf', '[containers]\npids_limit = 20\nenv = ["C=3"]\n');
    write('d/ignored.txt', '[containers]\npids_limit = 99\n');
    const over = write('over.conf', '[engine]\nstop_timeout = 7\n');
    const conf = loadContainersConf([{ file: main }, { file: path.join(dir, 'none.conf') }, { dir: path.join(dir, 'd') }, { dir: path.join(dir, 'nodir') }, { file: over }]);
    expect(conf).toEqual({
      pidsLimit: 20,
      env: ['B=2'],
      stopTimeout: 7,
      files: [main, path.join(dir, 'd/10-a.conf'), path.join(dir, 'd/20-b.conf'), over],
    });
  });

  it('reads every supported key and ignores unknown keys and tables, as podman does', () => {
    const conf = applyContainersConf(
      { files: [] },
      `[containers]
annotations = ["a=b"]
default_capabilities = ["CHOWN"]
default_sysctls = ["net.ipv4.ping_group_range=0 0"]
default_ulimits = ["nofile=10:20"]
dns_servers = ["1.2.3.4"]
dns_searches = ["example.com"]
dns_options = ["ndots:2"]
env = ["X=1"]
env_host = true
init = true
init_path = "/usr/bin/tini"
log_driver = "json-file"
log_size_max = 1000
no_hosts = true
pids_limit = -1
shm_size = "128m"
tz = "UTC"
umask = "0077"
userns = "auto:size=2048"
userns_size = 1000
netns = "private"
[engine]
events_logger = "file"
image_default_transport = "docker://"
runtime = "crun"
stop_timeout = 5
conmon_path = ["/x"]
[engine.runtimes]
crun = ["/a/crun", "/b/crun"]
[secrets]
driver = "file"
[machine]
cpus = 2
`,
      'f.conf',
    );
    expect(conf).toEqual({
      annotations: ['a=b'],
      defaultCapabilities: ['CHOWN'],
      defaultSysctls: ['net.ipv4.ping_group_range=0 0'],
      defaultUlimits: ['nofile=10:20'],
      dnsServers: ['1.2.3.4'],
      dnsSearches: ['example.com'],
      dnsOptions: ['ndots:2'],
      env: ['X=1'],
      envHost: true,
      init: true,
      initPath: '/usr/bin/tini',
      logDriver: 'json-file',
      logSizeMax: 1000,
      noHosts: true,
      pidsLimit: -1,
      shmSize: '128m',
      tz: 'UTC',
      umask: '0077',
      userns: 'auto:size=2048',
      usernsSize: 1000,
      eventsLogger: 'file',
      imageDefaultTransport: 'docker://',
      runtime: 'crun',
      stopTimeout: 5,
      runtimes: { crun: ['/a/crun', '/b/crun'] },
      files: ['f.conf'],
    });
  });

  it('a syntax error names the file, line and column', () => {
    expect(() => applyContainersConf({ files: [] }, '[containers]\n# c\npids_limit = = 3\n', '/etc/x.conf')).toThrow(/^invalid containers.conf "\/etc\/x.conf": line 3, column \d+: /);
  });

  it('a known key of the wrong type names the file, the line and what it must be', () => {
    expect(() => applyContainersConf({ files: [] }, '[containers]\n\n  pids_limit = "10"\n', 'x.conf')).toThrow('invalid containers.conf "x.conf": line 3: containers.pids_limit must be a whole number');
    expect(() => applyContainersConf({ files: [] }, '[engine]\nruntime = "runc"\n[engine.runtimes]\nrunc = "/bin/runc"\n', 'x.conf')).toThrow('invalid containers.conf "x.conf": line 4: engine.runtimes.runc must be an array of strings');
    // The same key in another table is not the one meant.
    expect(() => applyContainersConf({ files: [] }, '[network]\nenv = 1\n[containers]\nenv = "A=1"\n', 'x.conf')).toThrow('line 4: containers.env must be an array of strings');
    expect(() => applyContainersConf({ files: [] }, '[containers]\nuserns = 5\n', 'x.conf')).toThrow('invalid containers.conf "x.conf": line 2: containers.userns must be a string');
    expect(() => applyContainersConf({ files: [] }, '[containers]\nuserns = "auto"\nuserns_size = "big"\n', 'x.conf')).toThrow('invalid containers.conf "x.conf": line 3: containers.userns_size must be a whole number');
  });

  it('a file of comments and table headers only sets nothing', () => {
    expect(applyContainersConf({ files: [], pidsLimit: 3 }, '# all commented\n[containers]\n  # pids_limit = 5\n\n[engine]\n', 'c.conf')).toEqual({ pidsLimit: 3, files: ['c.conf'] });
  });

  it('a checked configuration read back has only known fields of their types', () => {
    const good = { files: ['/c'], pidsLimit: -1, env: ['A=1'], noHosts: true, tz: 'UTC', runtimes: { crun: ['/a'] } };
    expect(checkedContainersConf(good)).toEqual(good);
    expect(checkedContainersConf({ pidsLimit: 1 })).toBeUndefined();
    expect(checkedContainersConf({ files: ['/c'], pidsLimit: '1' })).toBeUndefined();
    expect(checkedContainersConf({ files: ['/c'], env: 'A=1' })).toBeUndefined();
    expect(checkedContainersConf({ files: ['/c'], runtimes: { crun: '/a' } })).toBeUndefined();
    expect(checkedContainersConf({ files: ['/c'], unknown: 1 })).toBeUndefined();
    expect(checkedContainersConf([])).toBeUndefined();
  });

  it('engine.runtime resolves through engine.runtimes to the first path that exists', () => {
    const conf = { files: ['c'], runtime: 'crun', runtimes: { crun: ['/a/crun', '/b/crun'] } };
    expect(confRuntime(conf, (p) => p === '/b/crun')).toBe('/b/crun');
    expect(() => confRuntime(conf, () => false)).toThrow('containers.conf: runtime "crun" is not at any of its engine.runtimes paths (/a/crun, /b/crun): install it or choose another runtime');
    expect(confRuntime({ files: ['c'], runtime: '/usr/sbin/runc' })).toBe('/usr/sbin/runc');
  });
});

describe('containers.conf under the command line', () => {
  const base = (over: Partial<CreateOptions> = {}): CreateOptions => ({
    image: 'i',
    command: [],
    env: [],
    envFiles: [],
    hostEnv: {},
    labels: [],
    rm: false,
    tty: false,
    interactive: false,
    config: emptyConfigOptions(),
    ...over,
  });
  const none = { envHost: false, init: false, noHosts: false };

  it('fills what no flag gave', () => {
    const o = applyConfDefaults(
      base(),
      { files: ['c'], env: ['A=1'], envHost: true, init: true, initPath: '/tini', pidsLimit: 5, logDriver: 'json-file', logSizeMax: 1000, stopTimeout: 3, runtime: '/r', dnsServers: ['1.1.1.1'], dnsSearches: ['s'], dnsOptions: ['ndots:1'], defaultCapabilities: ['chown', 'CAP_NET_RAW'] },
      none,
    );
    expect(o.defaultEnv).toEqual(['A=1']);
    expect(o.logDriver).toBe('json-file');
    expect(o.logOpts).toEqual(['max-size=1000']);
    expect(o.stopTimeout).toBe(3);
    expect(o.runtime).toBe('/r');
    expect(o.config).toMatchObject({ envHost: true, init: true, initPath: '/tini', resources: { pidsLimit: '5' }, security: { defaultCaps: ['CAP_CHOWN', 'CAP_NET_RAW'] }, network: { dns: ['1.1.1.1'], dnsSearch: ['s'], dnsOptions: ['ndots:1'] } });
  });

  it('flags win: given values, booleans given false, and list entries after the file', () => {
    const cfg = emptyConfigOptions();
    cfg.resources.pidsLimit = '9';
    cfg.resources.ulimits = ['nofile=1:2'];
    cfg.annotations = ['k=flag'];
    cfg.network.dns = ['9.9.9.9'];
    cfg.initPath = '/mine';
    const o = applyConfDefaults(
      base({ config: cfg, logDriver: 'k8s-file', logOpts: ['max-size=5'], stopTimeout: 1, runtime: 'runc' }),
      { files: ['c'], envHost: true, init: true, initPath: '/tini', pidsLimit: 5, logDriver: 'json-file', logSizeMax: 1000, stopTimeout: 3, runtime: '/r', dnsServers: ['1.1.1.1'], defaultUlimits: ['nofile=3:4'], annotations: ['k=conf'] },
      { envHost: true, init: true, noHosts: true },
    );
    expect(o).toMatchObject({ logDriver: 'k8s-file', logOpts: ['max-size=5'], stopTimeout: 1, runtime: 'runc' });
    expect(o.config).toMatchObject({ envHost: false, init: false, initPath: '/mine', resources: { pidsLimit: '9', ulimits: ['nofile=3:4', 'nofile=1:2'] }, annotations: ['k=conf', 'k=flag'], network: { dns: ['9.9.9.9'] } });
  });

  it("pman's own capability set is not recorded again; a container joining another's network takes no DNS from the file", () => {
    const caps = ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'];
    const cfg = emptyConfigOptions();
    cfg.network.network = 'container:other';
    const o = applyConfDefaults(base({ config: cfg }), { files: ['c'], defaultCapabilities: caps, dnsServers: ['1.1.1.1'] }, none);
    expect(o.config?.security.defaultCaps).toBeUndefined();
    expect(o.config?.network.dns).toEqual([]);
  });

  it('a log driver pman does not have, or an unknown capability, is an error naming containers.conf', () => {
    expect(() => applyConfDefaults(base(), { files: ['/c.conf'], logDriver: 'journald' }, none)).toThrow('log_driver "journald" in containers.conf (/c.conf) is not supported: use one of k8s-file, json-file, none');
    expect(() => applyConfDefaults(base(), { files: ['/c.conf'], defaultCapabilities: ['NOPE'] }, none)).toThrow('invalid default_capabilities in containers.conf (/c.conf) "NOPE": unknown capability');
  });

  it('tz, umask, shm_size, no_hosts and default_sysctls go to the extras for the flags not given', () => {
    const conf = { files: ['/c.conf'], tz: 'UTC', umask: '0077', shmSize: '1m', noHosts: true, defaultSysctls: ['net.ipv4.ping_group_range=0 0'] };
    expect(applyConfDefaults(base({ extras: noExtras() }), conf, none).extras?.conf).toEqual({
      where: 'containers.conf (/c.conf)',
      tz: 'UTC',
      umask: '0077',
      shmSize: '1m',
      noHosts: true,
      sysctls: ['net.ipv4.ping_group_range=0 0'],
    });
    // Given flags (--no-hosts=false included) win; sysctls always go, below --sysctl.
    const given = { ...noExtras(), tz: 'local', umask: '022', shmSize: '2m' };
    expect(applyConfDefaults(base({ extras: given }), conf, { ...none, noHosts: true }).extras?.conf).toEqual({ where: 'containers.conf (/c.conf)', sysctls: ['net.ipv4.ping_group_range=0 0'] });
    // A pod's member joins the pod's namespaces: no default sysctls there.
    expect(applyConfDefaults(base({ extras: noExtras(), pod: 'p' }), { files: ['/c.conf'], defaultSysctls: ['net.ipv4.ping_group_range=0 0'] }, none).extras?.conf).toBeUndefined();
    // Nothing of these in the file: no extras added (extras.ts is not even loaded then).
    expect(applyConfDefaults(base({ extras: noExtras() }), { files: ['/c.conf'], pidsLimit: 3 }, none).extras?.conf).toBeUndefined();
  });

  it('no file read: the options are returned as they are', () => {
    const o = base();
    expect(applyConfDefaults(o, { files: [] }, none)).toBe(o);
  });
});
