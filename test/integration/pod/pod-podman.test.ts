// Pod commands where pman answered differently from podman 4.3.1, each checked side by side on
// this machine and matched (docs/commands.md, "Behaviour next to podman 4.3.1";
// scripts/podman-diff-cases.mjs has a case for each). Pods use --network none: nothing of the
// host's network changes.
import fs from 'node:fs';
import path from 'node:path';
import { TestEnv, until } from '../harness.js';

const env = TestEnv.forFile();

/** Runs fn, then removes the pods it named (with their containers), also when it failed. */
async function withPods(pods: string[], fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } finally {
    await env.pman(['pod', 'rm', '-f', '-i', '-t', '0', ...pods]);
  }
}

const missing = 'Error: no pod with name or ID "nosuch" found';

async function podStatus(pod: string): Promise<string> {
  return (await env.ok(['pod', 'ps', '--filter', `name=^${pod}$`, '--format', '{{.Status}}'])).trim();
}

describe('pod inspect of missing pods', () => {
  it('prints the pods found (none: [], one: an object, several: an array), a line per missing one, exit 125', () =>
    withPods(['pi-a', 'pi-b'], async () => {
      await env.ok(['pod', 'create', '--infra=false', '--name', 'pi-a']);
      await env.ok(['pod', 'create', '--infra=false', '--name', 'pi-b']);
      const none = await env.pman(['pod', 'inspect', 'nosuch']);
      expect([none.exitCode, none.stdout]).toEqual([125, '[]']);
      expect(none.stderr.startsWith(missing)).toBe(true);
      expect(none.stderr.split('\n')).toHaveLength(1);
      const one = await env.pman(['pod', 'inspect', 'pi-a', 'nosuch']);
      expect([one.exitCode, (JSON.parse(one.stdout) as { Name: string }).Name]).toEqual([125, 'pi-a']);
      expect(one.stderr.startsWith(missing)).toBe(true);
      const two = await env.pman(['pod', 'inspect', 'nosuch', 'pi-a', 'pi-b']);
      expect([two.exitCode, (JSON.parse(two.stdout) as Array<{ Name: string }>).map((d) => d.Name)]).toEqual([125, ['pi-a', 'pi-b']]);
      const tpl = await env.pman(['pod', 'inspect', '--format', '{{.Name}}', 'pi-b', 'nosuch', 'pi-a']);
      expect([tpl.exitCode, tpl.stdout, tpl.stderr.split('\n').length]).toEqual([125, 'pi-b\npi-a', 1]);
      const found = await env.pman(['pod', 'inspect', 'pi-a', 'pi-b']);
      expect([found.exitCode, (JSON.parse(found.stdout) as unknown[]).length, found.stderr]).toEqual([0, 2, '']);
    }));
});

describe('pod kill, pause and unpause with nothing to act on', () => {
  it('kill and pause exit 0 printing the ID; unpause prints it only for a paused or degraded pod; status Stopped', () =>
    withPods(['pk'], async () => {
      const id = (await env.ok(['pod', 'create', '--network', 'none', '--name', 'pk'])).trim();
      await env.ok(['create', '--pod', 'pk', '--name', 'pk-a', 'busybox', 'sleep', '1000']);
      await env.ok(['create', '--pod', 'pk', '--name', 'pk-b', 'busybox', 'sleep', '1001']);
      // Nothing running: each exits 0; unpause passes the Created pod over silently.
      for (const [verb, out] of [['kill', id], ['pause', id], ['unpause', '']]) {
        const r = await env.pman(['pod', verb, 'pk']);
        expect([verb, r.exitCode, r.stdout, r.stderr]).toEqual([verb, 0, out, '']);
      }
      expect(await podStatus('pk')).toBe('Created');
      // Degraded (the infra and pk-a running, pk-b created): unpause acts, though nothing is paused.
      await env.ok(['start', 'pk-a']);
      expect(await podStatus('pk')).toBe('Degraded');
      const unpause = await env.pman(['pod', 'unpause', 'pk']);
      expect([unpause.exitCode, unpause.stdout]).toEqual([0, id]);
      expect((await env.ok(['pod', 'kill', 'pk'])).trim()).toBe(id);
      expect(await until(async () => (await env.ok(['ps', '-a', '--filter', 'status=running', '--filter', 'pod=pk', '-q'])).trim() === '')).toBe(true);
      // Some exited, one created: podman 4.3.1's Stopped, which only status=stopped matches.
      expect(await podStatus('pk')).toBe('Stopped');
      const byStatus = (s: string) => env.ok(['pod', 'ps', '--filter', `status=${s}`, '--filter', 'name=^pk$', '--format', '{{.Name}}']);
      expect([await byStatus('stopped'), await byStatus('exited'), await byStatus('dead')]).toEqual(['pk', '', '']);
    }));
});

describe('pod inspect document', () => {
  const keys = (o: unknown) => Object.keys(o as object);

  it('has podman 4.3.1\'s keys in its order, with and without an infra container, and its values where pman has them', () =>
    withPods(['pj', 'pj-bare', 'pj-new', 'pj-kube'], async () => {
      await env.ok(['pod', 'create', '--network', 'none', '--name', 'pj', '--label', 'a=b', '--hostname', 'pj.example']);
      await env.ok(['create', '--pod', 'pj', '--name', 'pj-a', 'busybox', 'true']);
      const doc = JSON.parse(await env.ok(['pod', 'inspect', 'pj'])) as Record<string, unknown>;
      expect(keys(doc)).toEqual(['Id', 'Name', 'Created', 'CreateCommand', 'ExitPolicy', 'State', 'Hostname', 'Labels', 'CreateCgroup', 'CgroupParent', 'CreateInfra', 'InfraContainerID', 'InfraConfig', 'SharedNamespaces', 'NumContainers', 'Containers']);
      expect(doc).toMatchObject({
        CreateCommand: ['pman', '--root', env.root, '--runroot', env.runroot, 'pod', 'create', '--network', 'none', '--name', 'pj', '--label', 'a=b', '--hostname', 'pj.example'],
        Hostname: 'pj.example',
        CreateCgroup: false,
        CgroupParent: '/pman',
      });
      expect(keys(doc.InfraConfig)).toEqual(['PortBindings', 'HostNetwork', 'StaticIP', 'StaticMAC', 'NoManageResolvConf', 'DNSServer', 'DNSSearch', 'DNSOption', 'NoManageHosts', 'HostAdd', 'Networks', 'NetworkOptions', 'pid_ns', 'userns', 'uts_ns']);
      // Empty lists are Go's nil slices: null in the JSON, [] in a template.
      expect(doc.InfraConfig).toMatchObject({ DNSServer: null, Networks: null, NetworkOptions: null, pid_ns: 'private', uts_ns: 'private' });
      expect(await env.ok(['pod', 'inspect', '--format', '{{.InfraConfig.DNSServer}} {{.InfraConfig.PidNS}} {{.InfraConfig.NetworkOptions}}', 'pj'])).toBe('[] private map[]');

      await env.ok(['pod', 'create', '--infra=false', '--name', 'pj-bare']);
      const bare = JSON.parse(await env.ok(['pod', 'inspect', 'pj-bare'])) as Record<string, unknown>;
      expect(keys(bare)).toEqual(['Id', 'Name', 'Created', 'CreateCommand', 'ExitPolicy', 'State', 'Hostname', 'CreateCgroup', 'CgroupParent', 'CreateInfra', 'NumContainers']);
      expect(bare.Hostname).toBe('');
      // What the JSON leaves out when empty, a template still sees as Go's zero value.
      expect(await env.ok(['pod', 'inspect', '--format', '{{.Labels}}|{{.SharedNamespaces}}|{{.Containers}}|{{.InfraContainerID}}|{{.Namespace}}|{{.CPUShares}}', 'pj-bare'])).toBe('map[]|[]|[]|||0');

      // run/create --pod new:NAME records the container's command line; kube play a host name.
      // The container's --hostname becomes the pod's (its infra's), as podman 4.3.1 does.
      await env.ok(['create', '--pod', 'new:pj-new', '--network', 'none', '--hostname', 'pj-h', '--name', 'pj-n', 'busybox', 'true']);
      expect(JSON.parse(await env.ok(['pod', 'inspect', '--format', '{{json .CreateCommand}}', 'pj-new']))).toEqual(['pman', '--root', env.root, '--runroot', env.runroot, 'create', '--pod', 'new:pj-new', '--network', 'none', '--hostname', 'pj-h', '--name', 'pj-n', 'busybox', 'true']);
      const [hostname, infra] = (await env.ok(['pod', 'inspect', '--format', '{{.Hostname}} {{.InfraContainerID}}', 'pj-new'])).split(' ');
      expect([hostname, (await env.ok(['inspect', '--format', '{{.Config.Hostname}}', infra])).trim()]).toEqual(['pj-h', 'pj-h']);
      const yaml = path.join(env.dir, 'pj-kube.yaml');
      fs.writeFileSync(yaml, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: pj-kube\nspec:\n  containers:\n  - name: c\n    image: localhost/busybox:latest\n    command: ["true"]\n');
      await env.ok(['kube', 'play', '--start=false', yaml]);
      expect(await env.ok(['pod', 'inspect', '--format', '{{.Hostname}}|{{len .CreateCommand}}', 'pj-kube'])).toBe('pj-kube|0');
    }));

  it("gives the infra container the pod's command line; kube play's goes to the infra only, its pod and containers have none, as podman 4.3.1", () =>
    withPods(['pcc', 'pcc-kube'], async () => {
      const made = async (pod: string) => {
        const infra = (await env.ok(['pod', 'inspect', '--format', '{{.InfraContainerID}}', pod])).trim();
        return JSON.parse(await env.ok(['inspect', '--format', '{{json .Config.CreateCommand}}', infra])) as unknown;
      };
      await env.ok(['pod', 'create', '--network', 'none', '--name', 'pcc']);
      expect(await made('pcc')).toEqual(['pman', '--root', env.root, '--runroot', env.runroot, 'pod', 'create', '--network', 'none', '--name', 'pcc']);
      const yaml = path.join(env.dir, 'pcc-kube.yaml');
      fs.writeFileSync(yaml, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: pcc-kube\nspec:\n  containers:\n  - name: c\n    image: localhost/busybox:latest\n    command: ["true"]\n');
      await env.ok(['kube', 'play', '--start=false', yaml]);
      expect(await made('pcc-kube')).toEqual(['pman', '--root', env.root, '--runroot', env.runroot, 'kube', 'play', '--start=false', yaml]);
      expect(await env.ok(['inspect', '--format', '{{json .Config.CreateCommand}}', 'pcc-kube-c'])).toBe('null');
      expect(await env.ok(['pod', 'inspect', '--format', '{{json .CreateCommand}}', 'pcc-kube'])).toBe('null');
    }));
});

describe('pod stats', () => {
  it('prints podman 4.3.1\'s report: its JSON keys, CPU and Mem percentages, PIDS, a row of "--" when nothing runs', () =>
    withPods(['pst', 'pst0'], async () => {
      const id = (await env.ok(['pod', 'create', '--network', 'none', '--name', 'pst'])).trim();
      await env.ok(['run', '-d', '--pod', 'pst', '--name', 'pst-a', 'busybox', 'sleep', '1000']);
      const docs = JSON.parse(await env.ok(['pod', 'stats', '--no-stream', '--format', 'json', 'pst'])) as Array<Record<string, string>>;
      expect(docs.map((d) => Object.keys(d))).toEqual(Array(2).fill(['CPU', 'MemUsage', 'MemUsageBytes', 'Mem', 'NetIO', 'BlockIO', 'PIDS', 'Pod', 'CID', 'Name']));
      const a = docs.find((d) => d.Name === 'pst-a')!;
      expect(a).toMatchObject({ Pod: id.slice(0, 12), PIDS: '1', NetIO: '-- / --', CPU: expect.stringMatching(/^\d+\.\d\d%$/), Mem: expect.stringMatching(/^\d+\.\d\d%$/), MemUsageBytes: expect.stringMatching(/^[\d.]+[KMG]?i?B \/ [\d.]+[KMGTPE]iB$/) });
      // pman's own stats field names still work in templates.
      expect(await env.ok(['pod', 'stats', '--no-stream', '--format', '{{.Name}} {{.PIDS}} {{.PIDs}} {{eq .CPU .CPUPerc}}', 'pst'])).toContain('pst-a 1 1 true');
      await env.ok(['pod', 'create', '--infra=false', '--name', 'pst0']);
      const table = (await env.ok(['pod', 'stats', '--no-stream', 'pst0'])).split('\n').map((l) => l.trim().split(/\s{2,}/));
      expect(table).toEqual([['POD', 'CID', 'NAME', 'CPU %', 'MEM USAGE/ LIMIT', 'MEM %', 'NET IO', 'BLOCK IO', 'PIDS'], Array(9).fill('--')]);
      expect(await env.ok(['pod', 'stats', '--no-stream', '--format', 'json', 'pst0'])).toBe('[]');
      const both = await env.pman(['pod', 'stats', '--no-stream', '-a', 'pst0']);
      expect([both.exitCode, both.stderr]).toEqual([125, 'Error: pod stats: --all and pod names cannot be used together']);
    }));
});

describe('pod ps', () => {
  it('has podman\'s template fields .Id .InfraId .Cgroup .Namespace, --sort status and --filter until', () =>
    withPods(['pps-x', 'pps-y'], async () => {
      await env.ok(['pod', 'create', '--infra=false', '--name', 'pps-x']);
      await env.ok(['pod', 'create', '--infra=false', '--name', 'pps-y']);
      await env.ok(['run', '--pod', 'pps-y', '--network', 'none', '--name', 'pps-y1', 'busybox', 'true']);
      const ps = (...args: string[]) => env.ok(['pod', 'ps', '--filter', 'name=^pps-', ...args]);
      const id = (await env.ok(['pod', 'ps', '-q', '--filter', 'name=pps-x'])).trim();
      const fields = await env.ok(['pod', 'ps', '--filter', 'name=pps-x', '--format', 'table {{.Id}}|{{.InfraId}}|{{.Cgroup}}|{{.Namespace}}|']);
      expect(fields.split('\n')).toEqual(['POD ID|INFRA ID|CGROUP|NAMESPACES|', `${id.slice(0, 12)}||/pman||`]);
      expect(await ps('--format', '{{.Name}} {{.Status}}')).toBe('pps-y Exited\npps-x Created');
      expect(await ps('--sort', 'status', '--format', '{{.Name}}')).toBe('pps-x\npps-y');
      expect([await ps('--filter', 'until=2000-01-01', '--format', '{{.Name}}'), await ps('--filter', 'until=2999-01-01', '--format', '{{.Name}}')]).toEqual(['', 'pps-y\npps-x']);
    }));
});

describe('pod top and pod logs with nothing to show', () => {
  it('exit 0 and print nothing, as podman 4.3.1', () =>
    withPods(['pt0'], async () => {
      await env.ok(['pod', 'create', '--infra=false', '--name', 'pt0']);
      const logs = await env.pman(['pod', 'logs', 'pt0']);
      expect([logs.exitCode, logs.stdout, logs.stderr]).toEqual([0, '', '']);
      await env.ok(['create', '--pod', 'pt0', '--network', 'none', '--name', 'pt0-a', 'busybox', 'true']);
      const top = await env.pman(['pod', 'top', 'pt0']);
      expect([top.exitCode, top.stdout, top.stderr]).toEqual([0, '', '']);
    }));
});
