// Pods on real runc: an infra container (catatonit from the host, no download) holds the
// namespaces the members join; the pod's status is derived from its containers. No networks are
// made here (the pods use --network none: loopback only), so nothing of the host's network changes.
import fs from 'node:fs';
import path from 'node:path';
import { TestEnv, until } from '../harness.js';

let env: TestEnv;

beforeAll(async () => {
  env = await TestEnv.create();
});
afterAll(async () => {
  await env.cleanup();
});

interface Inspect {
  State: { Pid: number; Status: string };
}

async function pidOf(name: string): Promise<number> {
  const [doc] = JSON.parse(await env.ok(['inspect', name])) as Inspect[];
  return doc.State.Pid;
}

function ns(pid: number, type: string): string {
  return fs.readlinkSync(`/proc/${pid}/ns/${type}`);
}

/** Runs fn, then removes the pods it named (with their containers), also when it failed. */
async function withPods(pods: string[], fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } finally {
    await env.pman(['pod', 'rm', '-f', '-i', '-t', '0', ...pods]);
  }
}

async function podStatus(pod: string): Promise<string> {
  return (await env.ok(['pod', 'ps', '--filter', `name=^${pod}$`, '--format', '{{.Status}}'])).trim();
}

describe('pods', () => {
  it('creates a pod whose infra container runs the locally built pause image, named <pod-id-12>-infra', () =>
    withPods(['p-infra'], async () => {
    const id = (await env.ok(['pod', 'create', '--name', 'p-infra', '--label', 'app=web'])).trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    const infra = `${id.slice(0, 12)}-infra`;
    expect((await env.ok(['ps', '-a', '--pod', '--format', '{{.Names}} {{.Image}} {{.Command}} {{.PodName}}'])).trim()).toBe(`${infra} localhost/pman-pause:latest /catatonit -P p-infra`);
    const doc = JSON.parse(await env.ok(['pod', 'inspect', 'p-infra'])) as Record<string, unknown>;
    expect(doc).toMatchObject({ Id: id, Name: 'p-infra', State: 'Created', Hostname: '', Labels: { app: 'web' }, InfraContainerID: expect.stringMatching(/^[0-9a-f]{64}$/), SharedNamespaces: ['ipc', 'net', 'uts'], NumContainers: 1, ExitPolicy: 'continue' });
    expect((await env.pman(['pod', 'exists', 'p-infra'])).exitCode).toBe(0);
    expect((await env.pman(['pod', 'exists', id.slice(0, 10)])).exitCode).toBe(0);
    expect((await env.pman(['pod', 'exists', 'nope'])).exitCode).toBe(1);
    // The infra goes only with its pod.
    const rm = await env.pman(['rm', infra]);
    expect([rm.exitCode, rm.stderr.trim()]).toEqual([125, `Error: cannot remove container "${infra}": it is the infra container of a pod; remove the pod with "pman pod rm"`]);
    expect((await env.ok(['pod', 'rm', 'p-infra'])).trim()).toBe(id);
    expect((await env.ok(['ps', '-a', '-q'])).trim()).toBe('');
    expect((await env.pman(['pod', 'exists', 'p-infra'])).exitCode).toBe(1);
    }));

  it('members share the infra\'s network, IPC and UTS namespaces and reach each other on localhost', () =>
    withPods(['p-share'], async () => {
    await env.ok(['pod', 'create', '--name', 'p-share']);
    await env.ok(['run', '-d', '--pod', 'p-share', '--name', 'share-web', 'busybox', 'sh', '-c', 'mkdir -p /w && echo hello-from-web > /w/index.html && exec httpd -f -p 8080 -h /w']);
    await env.ok(['run', '-d', '--pod', 'p-share', '--name', 'share-other', 'busybox', 'sleep', '1000']);
    const infra = await pidOf((await env.ok(['pod', 'inspect', 'p-share', '--format', '{{.InfraContainerID}}'])).trim());
    const web = await pidOf('share-web');
    const other = await pidOf('share-other');
    for (const type of ['net', 'ipc', 'uts']) {
      expect([type, ns(web, type), ns(other, type)]).toEqual([type, ns(infra, type), ns(infra, type)]);
    }
    // Not shared by default: each has its own PID and mount namespaces.
    expect(ns(web, 'pid')).not.toBe(ns(infra, 'pid'));
    expect(ns(web, 'mnt')).not.toBe(ns(other, 'mnt'));
    const body = await until(async () => {
      const r = await env.pman(['exec', 'share-other', 'wget', '-qO-', 'http://127.0.0.1:8080/']);
      return r.exitCode === 0 ? r.stdout : '';
    });
    expect(body).toBe('hello-from-web');
    expect((await env.ok(['exec', 'share-other', 'hostname'])).trim()).toBe('p-share');
    // One /etc/hosts for the pod, naming every member.
    const hosts = await env.ok(['exec', 'share-web', 'cat', '/etc/hosts']);
    // (the pod is on root's default bridge: the infra's leased address names every member, the
    // one added before the infra started included)
    const lines = hosts.trim().split('\n').slice(2);
    const ip = /^(10\.90\.\d+\.\d+)\t/.exec(lines[1] ?? '')?.[1];
    expect(lines).toEqual([
      '10.90.0.1\thost.containers.internal host.docker.internal',
      expect.stringMatching(/^10\.90\.\d+\.\d+\tp-share [0-9a-f]{12}-infra$/),
      `${ip}\tshare-web`,
      `${ip}\tshare-other`,
    ]);
    expect(await env.ok(['exec', 'share-other', 'cat', '/etc/hosts'])).toBe(hosts);
    await env.ok(['pod', 'rm', '-f', '-t', '0', 'p-share']);
    }));

  it('without --name gets a generated name (adjective_surname), also its containers\' host name, as podman', async () => {
    const id = (await env.ok(['pod', 'create'])).trim();
    await withPods([id], async () => {
      // pod inspect's Hostname is the one given (none here), as podman 4.3.1 shows it.
      const [name, hostname] = (await env.ok(['pod', 'inspect', id, '--format', '{{.Name}}|{{.Hostname}}'])).trim().split('|');
      expect(name).toMatch(/^[a-z]+_[a-z]+$/);
      expect(hostname).toBe('');
      expect((await env.ok(['run', '--rm', '--pod', id, 'busybox', 'hostname'])).trim()).toBe(name);
    });
  });

  it('names the infra with --infra-name, sets the pod\'s host name, writes --pod-id-file and --replace recreates', () =>
    withPods(['p-opts'], async () => {
      const idFile = path.join(env.dir, 'p-opts.id');
      const id = (await env.ok(['pod', 'create', '--name', 'p-opts', '--infra-name', 'opts-infra', '--hostname', 'box.example', '--pod-id-file', idFile])).trim();
      expect(fs.readFileSync(idFile, 'utf8')).toBe(id);
      expect((await env.ok(['pod', 'inspect', 'p-opts', '--format', '{{.Hostname}} {{.InfraContainerID}}'])).trim()).toMatch(/^box\.example [0-9a-f]{64}$/);
      expect((await env.ok(['run', '--rm', '--pod', 'p-opts', 'busybox', 'hostname'])).trim()).toBe('box.example');
      expect((await env.ok(['ps', '-a', '--filter', 'name=opts-infra', '--format', '{{.Names}}'])).trim()).toBe('opts-infra');
      const taken = await env.pman(['pod', 'create', '--name', 'p-opts', '--pod-id-file', idFile]);
      expect([taken.exitCode, taken.stderr.trim()]).toEqual([125, `Error: --pod-id-file "${idFile}" already exists: remove it or choose another file`]);
      const replaced = (await env.ok(['pod', 'create', '--name', 'p-opts', '--replace'])).trim();
      expect(replaced).not.toBe(id);
      expect((await env.ok(['pod', 'inspect', 'p-opts', '--format', '{{.Id}}'])).trim()).toBe(replaced);
      expect((await env.ok(['ps', '-a', '--filter', 'name=opts-infra', '-q'])).trim()).toBe('');
    }));

  it('--share pid puts the members in the infra\'s PID namespace, catatonit as PID 1', () =>
    withPods(['p-pid'], async () => {
    await env.ok(['pod', 'create', '--name', 'p-pid', '--share', 'pid,net']);
    const out = await env.ok(['run', '--rm', '--pod', 'p-pid', 'busybox', 'sh', '-c', 'cat /proc/1/cmdline | tr "\\0" " "']);
    expect(out.trim()).toBe('/catatonit -P');
    // UTS not shared: the member keeps its own host name.
    expect((await env.ok(['pod', 'inspect', 'p-pid', '--format', '{{.SharedNamespaces}}'])).trim()).toBe('[pid net]');
    const host = (await env.ok(['run', '--rm', '--pod', 'p-pid', '--hostname', 'own', 'busybox', 'hostname'])).trim();
    expect(host).toBe('own');
    await env.ok(['pod', 'rm', '-f', '-t', '0', 'p-pid']);
    }));

  it('derives the pod status from its containers: Created, Running, Degraded, Exited', () =>
    withPods(['p-status'], async () => {
    await env.ok(['pod', 'create', '--name', 'p-status']);
    await env.ok(['create', '--pod', 'p-status', '--name', 'st-long', 'busybox', 'sleep', '1000']);
    await env.ok(['create', '--pod', 'p-status', '--name', 'st-short', 'busybox', 'sleep', '1001']);
    expect(await podStatus('p-status')).toBe('Created');
    // Starting a member of a stopped pod starts the infra first.
    await env.ok(['start', 'st-long']);
    expect((await env.ok(['pod', 'ps', '--filter', 'name=p-status', '--ctr-names', '--ctr-status', '--format', '{{.ContainerNames}} {{.ContainerStatuses}}'])).trim()).toMatch(/^[0-9a-f]{12}-infra,st-long,st-short running,running,created$/);
    expect(await podStatus('p-status')).toBe('Degraded');
    expect((await env.ok(['pod', 'start', 'p-status'])).trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(await podStatus('p-status')).toBe('Running');
    await env.ok(['stop', '-t', '0', 'st-short']);
    expect(await podStatus('p-status')).toBe('Degraded');
    await env.ok(['pod', 'stop', '-t', '0', 'p-status']);
    expect(await podStatus('p-status')).toBe('Exited');
    expect((await env.ok(['ps', '-a', '--filter', 'status=running', '-q'])).trim()).toBe('');
    await env.ok(['pod', 'restart', '-t', '0', 'p-status']);
    expect(await podStatus('p-status')).toBe('Running');
    await env.ok(['pod', 'pause', 'p-status']);
    expect(await podStatus('p-status')).toBe('Paused');
    await env.ok(['pod', 'unpause', 'p-status']);
    await env.ok(['pod', 'kill', 'p-status']);
    expect(await until(async () => (await podStatus('p-status')) === 'Exited')).toBe(true);
    await env.ok(['pod', 'rm', 'p-status']);
    }));

  it('--exit-policy stop stops the infra when the last member exits; continue keeps it', () =>
    withPods(['p-stop', 'p-cont'], async () => {
    await env.ok(['pod', 'create', '--name', 'p-stop', '--exit-policy', 'stop']);
    await env.ok(['pod', 'create', '--name', 'p-cont']);
    await env.ok(['run', '--pod', 'p-stop', '--name', 'ep-a', 'busybox', 'true']);
    await env.ok(['run', '--pod', 'p-cont', '--name', 'ep-b', 'busybox', 'true']);
    expect(await until(async () => (await podStatus('p-stop')) === 'Exited')).toBe(true);
    // The same moment for the other pod: its infra still runs (Degraded: one running, one exited).
    expect(await podStatus('p-cont')).toBe('Degraded');
    await env.ok(['pod', 'rm', '-f', '-t', '0', 'p-stop', 'p-cont']);
    }));

  it('removes a pod with its containers: a running one only with --force', () =>
    withPods(['p-rm'], async () => {
    const id = (await env.ok(['pod', 'create', '--name', 'p-rm'])).trim();
    await env.ok(['run', '-d', '--pod', 'p-rm', '--name', 'rm-a', 'busybox', 'sleep', '1000']);
    const refused = await env.pman(['pod', 'rm', 'p-rm']);
    expect(refused.exitCode).toBe(125);
    expect(refused.stderr.trim()).toMatch(/^Error: cannot remove pod "p-rm": it has running containers \([0-9a-f]{12}-infra, rm-a\); stop the pod first or use --force$/);
    expect((await env.ok(['pod', 'rm', '-f', '-t', '0', 'p-rm'])).trim()).toBe(id);
    expect((await env.ok(['ps', '-a', '--filter', 'name=rm-a|^[0-9a-f]+-infra$', '--format', '{{.Names}}'])).split('\n').filter((n) => n === 'rm-a' || n === `${id.slice(0, 12)}-infra`)).toEqual([]);
    expect(fs.existsSync(path.join(env.root, 'pods', id))).toBe(false);
    // The name is free again, for a pod or a container.
    await env.ok(['create', '--name', 'p-rm', 'busybox', 'true']);
    await env.ok(['rm', 'p-rm']);
    }));

  it('run --pod new:NAME creates the pod; pod prune removes stopped pods only', () =>
    withPods(['p-new', 'p-live'], async () => {
    await env.ok(['run', '--pod', 'new:p-new', '--name', 'new-a', 'busybox', 'true']);
    expect((await env.ok(['ps', '-a', '--pod', '--filter', 'name=new-a', '--format', '{{.Names}} {{.PodName}}'])).trim()).toBe('new-a p-new');
    const [psDoc] = JSON.parse(await env.ok(['ps', '-a', '--filter', 'name=new-a', '--format', 'json'])) as Array<{ Pod: string; PodName: string }>;
    expect(psDoc).toMatchObject({ Pod: (await env.ok(['pod', 'inspect', 'p-new', '--format', '{{.Id}}'])).trim(), PodName: 'p-new' });
    await env.ok(['pod', 'create', '--name', 'p-live']);
    await env.ok(['pod', 'start', 'p-live']);
    await env.ok(['pod', 'stop', '-t', '0', 'p-new']);
    const newId = (await env.ok(['pod', 'inspect', 'p-new', '--format', '{{.Id}}'])).trim();
    const pruned = (await env.ok(['pod', 'prune', '-f'])).trim().split('\n');
    expect(pruned).toContain(newId);
    expect((await env.pman(['pod', 'exists', 'p-new'])).exitCode).toBe(1);
    expect((await env.pman(['pod', 'exists', 'p-live'])).exitCode).toBe(0);
    await env.ok(['pod', 'rm', '-f', '-t', '0', 'p-live']);
    }));

  it('lists pods with filters, formats and JSON as podman does', () =>
    withPods(['ls-a', 'ls-b'], async () => {
    await env.ok(['pod', 'create', '--name', 'ls-a', '--label', 'tier=front']);
    await env.ok(['pod', 'create', '--name', 'ls-b', '--infra=false']);
    expect((await env.ok(['pod', 'ps', '--filter', 'label=tier=front', '--format', '{{.Name}}'])).trim()).toBe('ls-a');
    expect((await env.ok(['pod', 'ls', '--filter', 'ctr-number=0', '--format', '{{.Name}} {{.InfraID}}|'])).trim()).toBe('ls-b |');
    const header = (await env.ok(['pod', 'ps'])).split('\n')[0];
    expect(header.split(/\s{2,}/)).toEqual(['POD ID', 'NAME', 'STATUS', 'CREATED', 'INFRA ID', '# OF CONTAINERS']);
    const docs = JSON.parse(await env.ok(['pod', 'ps', '--filter', 'name=^ls-', '--format', 'json'])) as Array<Record<string, unknown>>;
    expect(docs.map((d) => [d.Name, d.Status, (d.Containers as unknown[]).length])).toEqual([
      ['ls-b', 'Created', 0],
      ['ls-a', 'Created', 1],
    ]);
    // podman 4.3.1: -q prints full IDs.
    expect((await env.ok(['pod', 'ps', '-q', '--filter', 'name=ls-a'])).trim()).toMatch(/^[0-9a-f]{64}$/);
    const sorted = (key: string) => env.ok(['pod', 'ps', '--filter', 'name=^ls-', '--sort', key, '--format', '{{.Name}}']);
    expect([await sorted('created'), await sorted('name'), await sorted('number')]).toEqual(['ls-b\nls-a', 'ls-a\nls-b', 'ls-b\nls-a']);
    expect(await env.pman(['pod', 'ps', '--sort', 'bogus'])).toMatchObject({ exitCode: 125, stderr: expect.stringMatching(/^Error: invalid --sort "bogus": use one of created, id, name, number/) });
    await env.ok(['pod', 'rm', 'ls-a', 'ls-b']);
    }));

  it('shows a pod\'s processes, stats and logs (names prefixed)', () =>
    withPods(['p-view'], async () => {
    await env.ok(['pod', 'create', '--name', 'p-view']);
    await env.ok(['run', '-d', '--pod', 'p-view', '--name', 'view-a', 'busybox', 'sh', '-c', 'echo from-a; exec sleep 1000']);
    await env.ok(['run', '-d', '--pod', 'p-view', '--name', 'view-b', 'busybox', 'sh', '-c', 'echo from-b; exec sleep 1001']);
    const top = await env.ok(['pod', 'top', 'p-view', 'args']);
    expect(top.trim().split('\n').map((l) => l.trim()).sort()).toEqual(['/catatonit -P', 'COMMAND', 'sleep 1000', 'sleep 1001']);
    const stats = (await env.ok(['pod', 'stats', '--no-stream', '--format', '{{.Name}}', 'p-view'])).trim().split('\n').sort();
    expect(stats).toEqual([expect.stringMatching(/-infra$/), 'view-a', 'view-b']);
    await until(async () => (await env.ok(['pod', 'logs', 'p-view'])).split('\n').length > 2);
    expect((await env.ok(['pod', 'logs', 'p-view'])).trim().split('\n').sort()).toEqual(['view-a from-a', 'view-b from-b']);
    expect((await env.ok(['pod', 'logs', '-c', 'view-b', 'p-view'])).trim()).toBe('from-b');
    await env.ok(['pod', 'rm', '-f', '-t', '0', 'p-view']);
    }));

  it('refuses bad input with one line and exit 125, creating nothing', () =>
    withPods(['bad-taken'], async () => {
    await env.ok(['pod', 'create', '--name', 'bad-taken']);
    const cases: Array<[string[], string]> = [
      [['pod', 'create', '--share', 'net,mnt'], 'Error: invalid --share "net,mnt": "mnt" is not a namespace to share (use ipc, net, uts, pid, cgroup)'],
      [['pod', 'create', '--infra=false', '-p', '8080'], 'Error: cannot use --publish with --infra=false: a pod without infra container shares no namespaces'],
      [['pod', 'create', '--name', 'bad-taken'], 'Error: the name "bad-taken" is already in use by pod'],
      [['run', '--pod', 'nope', 'busybox', 'true'], 'Error: no pod with name or ID "nope" found: run "pman pod ps" to list pods'],
      [['run', '--pod', 'bad-taken', '--network', 'host', 'busybox', 'true'], 'Error: cannot join pod "bad-taken" with network options: the pod shares its network, set --network, -p and --dns on "pman pod create" instead'],
      [['pod', 'stop', 'nope'], 'Error: no pod with name or ID "nope" found'],
    ];
    for (const [args, message] of cases) {
      const r = await env.pman(args);
      expect([args, r.exitCode, r.stderr.trim().split('\n').length]).toEqual([args, 125, 1]);
      expect(r.stderr.trim().startsWith(message)).toBe(true);
    }
    expect((await env.ok(['pod', 'ps', '--filter', 'name=bad', '--format', '{{.Name}}'])).trim()).toBe('bad-taken');
    expect((await env.ok(['pod', 'ps', '--filter', 'name=bad', '--format', '{{.NumberOfContainers}}'])).trim()).toBe('1');
    await env.ok(['pod', 'rm', 'bad-taken']);
    }));
});
