// containers.conf applied to real containers: pman reads the file CONTAINERS_CONF names (the test's
// own, never /etc) and CONTAINERS_CONF_OVERRIDE on top; flags override both; a bad file stops
// create with one line naming the file and line.
import fs from 'node:fs';
import path from 'node:path';
import { TestEnv, until } from '../harness.js';

let env: TestEnv;
let conf: string;
let override: string;
beforeAll(async () => {
  env = await TestEnv.create();
  conf = path.join(env.dir, 'containers.conf');
  override = path.join(env.dir, 'override.conf');
  fs.writeFileSync(
    conf,
    `# the test's containers.conf
[containers]
env = ["FROM_CONF=yes", "SHADOWED=conf"]
annotations = ["org.example.conf=1"]
default_ulimits = ["nofile=512:640"]
pids_limit = 77
default_capabilities = ["CHOWN", "NET_RAW"]
dns_servers = ["10.9.8.7"]
log_driver = "json-file"
log_size_max = 100000
netns = "host"            # known to podman, not applied by pman: ignored
some_future_key = [1, 2]  # unknown: ignored

[engine]
stop_timeout = 4

[machine]
cpus = 3
`,
  );
  fs.writeFileSync(override, '[engine]\nstop_timeout = 6\n');
});
afterAll(async () => {
  await env.cleanup();
});

const withConf = (extra: NodeJS.ProcessEnv = {}) => ({ env: { ...process.env, CONTAINERS_CONF: conf, ...extra } });

/** A file setting what Debian's /usr/share/containers/containers.conf sets (the test's own copy). */
function debianConf(): { env: NodeJS.ProcessEnv } {
  const file = path.join(env.dir, 'debian.conf');
  fs.writeFileSync(file, '[containers]\ndefault_sysctls = [\n  "net.ipv4.ping_group_range=0 0",\n]\n');
  return { env: { ...process.env, CONTAINERS_CONF: file } };
}

describe('containers.conf', () => {
  it('gives a container its environment, ulimits, pids limit, capabilities, DNS, log driver and stop timeout', async () => {
    const script = 'echo "$FROM_CONF $SHADOWED"; ulimit -Sn; ulimit -Hn; cat /sys/fs/cgroup/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids/pids.max; grep CapEff /proc/self/status; grep nameserver /etc/resolv.conf';
    try {
    const out = await env.ok(['run', '--name', 'confd', '--network', 'none', '-e', 'SHADOWED=flag', 'busybox', 'sh', '-c', script], withConf());
    // CAP_CHOWN (bit 0) and CAP_NET_RAW (bit 13) only.
    expect(out.split('\n')).toEqual(['yes flag', '512', '640', '77', 'CapEff:\t0000000000002001', 'nameserver 10.9.8.7']);
    const inspect = await env.ok(['inspect', 'confd', '--format', '{{.HostConfig.LogConfig.Type}} {{.HostConfig.LogConfig.Size}} {{.Config.StopTimeout}} {{index .Config.Annotations "org.example.conf"}}']);
    expect(inspect.trim()).toBe('json-file 100KB 4 1');
    } finally {
      await env.pman(['rm', '-f', 'confd']);
    }
  });

  it('CONTAINERS_CONF_OVERRIDE is read last, and flags win over both', async () => {
    try {
    await env.ok(['create', '--name', 'over', 'busybox', 'true'], withConf({ CONTAINERS_CONF_OVERRIDE: override }));
    await env.ok(['create', '--name', 'flags', '--stop-timeout', '9', '--log-driver', 'k8s-file', '--pids-limit', '30', '--ulimit', 'nofile=100:200', 'busybox', 'true'], withConf({ CONTAINERS_CONF_OVERRIDE: override }));
    const fmt = '{{.Config.StopTimeout}} {{.HostConfig.LogConfig.Type}} {{.HostConfig.PidsLimit}} {{range .HostConfig.Ulimits}}{{.Name}}={{.Soft}}:{{.Hard}} {{end}}';
    expect((await env.ok(['inspect', 'over', '--format', fmt])).trim()).toContain('6 json-file 77 ');
    expect((await env.ok(['inspect', 'over', '--format', fmt])).trim()).toContain('RLIMIT_NOFILE=512:640');
    const flags = (await env.ok(['inspect', 'flags', '--format', fmt])).trim();
    expect(flags).toContain('9 k8s-file 30 ');
    expect(flags).toContain('RLIMIT_NOFILE=100:200');
    expect(flags).not.toContain('512');
    } finally {
      await env.pman(['rm', '-f', 'over', 'flags']);
    }
  });

  it('tz, umask, shm_size, no_hosts and default_sysctls (Debian\'s ping_group_range) apply to a bridge container; flags override them', async () => {
    const extras = path.join(env.dir, 'extras.conf');
    fs.writeFileSync(extras, '[containers]\ntz = "Asia/Tokyo"\numask = "0027"\nshm_size = "3m"\nno_hosts = true\ndefault_sysctls = [\n  "net.ipv4.ping_group_range=0 0",\n]\n');
    const script = 'date +%Z; umask; df -k /dev/shm | tail -1 | tr -s " " | cut -d" " -f2; cat /proc/sys/net/ipv4/ping_group_range; grep -c " /etc/hosts " /proc/self/mountinfo; echo end';
    const opts = { env: { ...process.env, CONTAINERS_CONF: extras } };
    expect((await env.ok(['run', '--rm', 'busybox', 'sh', '-c', script], opts)).split('\n')).toEqual(['JST', '0027', '3072', '0\t0', '0', 'end']);
    const flags = ['--tz', 'UTC', '--umask', '0022', '--shm-size', '4m', '--no-hosts=false', '--sysctl', 'net.ipv4.ping_group_range=0 5'];
    expect((await env.ok(['run', '--rm', ...flags, 'busybox', 'sh', '-c', script], opts)).split('\n')).toEqual(['UTC', '0022', '4096', '0\t5', '1', 'end']);
  });

  it("--network host, or a pod on the host's network, leaves out the file's net.* sysctls (they would be the host's) and runs", async () => {
    const debian = debianConf();
    const hostValue = fs.readFileSync('/proc/sys/net/ipv4/ping_group_range', 'utf8');
    const cmd = ['busybox', 'cat', '/proc/sys/net/ipv4/ping_group_range'];
    const ids: string[] = [];
    await env.ok(['pod', 'create', '--name', 'hostpod', '--network', 'host'], debian);
    try {
      ids.push((await env.ok(['create', '--network', 'host', ...cmd], debian)).trim());
      ids.push((await env.ok(['create', '--pod', 'hostpod', ...cmd], debian)).trim());
      ids.push((await env.ok(['pod', 'inspect', '--format', '{{.InfraContainerID}}', 'hostpod'])).trim());
      for (const id of ids) {
        // Checked before it runs: runc would write a net.* sysctl into the host's namespace.
        const spec = JSON.parse(fs.readFileSync(path.join(env.root, 'containers', id, 'config.json'), 'utf8'));
        expect(spec.linux.sysctl ?? {}).toEqual({});
      }
      expect(await env.ok(['start', '-a', ids[0]])).toBe(hostValue.trimEnd());
      expect(fs.readFileSync('/proc/sys/net/ipv4/ping_group_range', 'utf8')).toBe(hostValue);
    } finally {
      await env.pman(['pod', 'rm', '-f', 'hostpod']);
      if (ids.length) await env.pman(['rm', '-f', ...ids]);
    }
  });

  it("a pod's infra container holds the file's sysctls for its members, on the pod's own network", async () => {
    const debian = debianConf();
    await env.ok(['pod', 'create', '--name', 'netpod'], debian);
    try {
      expect(await env.ok(['run', '--rm', '--pod', 'netpod', 'busybox', 'cat', '/proc/sys/net/ipv4/ping_group_range'], debian)).toBe('0\t0');
    } finally {
      await env.pman(['pod', 'rm', '-f', 'netpod']);
    }
  });

  it('create reads the parsed result from its cache in the runroot, and sees an edit of the file at once', async () => {
    const edited = path.join(env.dir, 'edited.conf');
    const cache = path.join(env.runroot, 'containers-conf.json');
    const opts = { env: { ...process.env, CONTAINERS_CONF: edited } };
    const timeout = async (name: string) => (await env.ok(['inspect', '--format', '{{.Config.StopTimeout}}', name])).trim();
    fs.writeFileSync(edited, '[engine]\nstop_timeout = 11\n');
    // A file changed within the last second is not cached (docs/config-files.md): wait that out.
    const ctime = fs.statSync(edited).ctimeMs;
    await until(() => Date.now() - ctime > 1100, 5000);
    try {
      await env.ok(['create', '--name', 'edit11', '--network', 'none', 'busybox', 'true'], opts);
      expect(await timeout('edit11')).toBe('11');
      // The next create takes the cached result: changed behind pman's back, it shows.
      const cached = JSON.parse(fs.readFileSync(cache, 'utf8'));
      expect(cached.conf).toEqual({ stopTimeout: 11, files: [edited] });
      fs.writeFileSync(cache, JSON.stringify({ ...cached, conf: { ...cached.conf, stopTimeout: 99 } }));
      await env.ok(['create', '--name', 'edit99', '--network', 'none', 'busybox', 'true'], opts);
      expect(await timeout('edit99')).toBe('99');
      fs.writeFileSync(edited, '[engine]\nstop_timeout = 12\n');
      await env.ok(['create', '--name', 'edit12', '--network', 'none', 'busybox', 'true'], opts);
      expect(await timeout('edit12')).toBe('12');
    } finally {
      await env.pman(['rm', '-f', 'edit11', 'edit99', 'edit12']);
    }
  });

  it('an invalid file stops create with one line naming the file and line, and creates nothing', async () => {
    const bad = path.join(env.dir, 'bad.conf');
    fs.writeFileSync(bad, '[containers]\n# fine so far\npids_limit = "many"\n');
    let r = await env.pman(['create', '--name', 'never', 'busybox', 'true'], { env: { ...process.env, CONTAINERS_CONF: bad } });
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toBe(`Error: invalid containers.conf "${bad}": line 3: containers.pids_limit must be a whole number`);
    fs.writeFileSync(bad, '[containers]\nenv = ["A=1"\n');
    r = await env.pman(['create', '--name', 'never', 'busybox', 'true'], { env: { ...process.env, CONTAINERS_CONF: conf, CONTAINERS_CONF_OVERRIDE: bad } });
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toMatch(new RegExp(`^Error: invalid containers.conf "${bad}": line 3, column 1: [^\\n]+$`));
    expect(await env.ok(['ps', '-aq'])).toBe('');
  });
});
