// kube play, kube down and kube generate against real runc: each supported field of a manifest
// shows up in the running containers; generated YAML validates against Kubernetes' schema
// (kubernetes-models) and plays back into an equivalent pod on a fresh store. The one network this
// file makes is its own; traffic goes only to loopback.
import fs from 'node:fs';
import path from 'node:path';
import { Pod, Service } from 'kubernetes-models/v1';
import { parseAllDocuments } from 'yaml';
import { TestEnv, until } from '../harness.js';
import { httpGetLocal, networkedEnv } from '../pod/pod-harness.js';
import { removeLeaks, testBridge, testSubnet } from '../network/net-harness.js';

const NET = { name: '' };
const hostPort = 22000 + (process.pid % 20000);
let env: TestEnv;

function manifest(dir: string): string {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  GREETING: hello
  MODE: fast
  app.conf: |
    port=8080
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: kdata
spec:
  accessModes: [ReadWriteOnce]
---
apiVersion: v1
kind: Pod
metadata:
  name: kweb
  labels:
    tier: front
  annotations:
    team: blue
spec:
  restartPolicy: OnFailure
  initContainers:
  - name: prep
    image: busybox
    command: ["sh", "-c", "echo prepared > /shared/ready && echo ok > /shared/index.html"]
    volumeMounts:
    - {name: scratch, mountPath: /shared}
  containers:
  - name: server
    image: busybox
    command: ["sh", "-c"]
    args: ["trap 'exit 0' TERM; httpd -p 8080 -h /shared; while :; do sleep 1; done"]
    workingDir: /tmp
    env:
    - {name: PLAIN, value: "x y"}
    - name: FROMCM
      valueFrom:
        configMapKeyRef: {name: settings, key: GREETING}
    envFrom:
    - configMapRef: {name: settings}
    ports:
    - {containerPort: 8080, hostPort: ${hostPort}}
    volumeMounts:
    - {name: scratch, mountPath: /shared}
    - {name: cfg, mountPath: /config}
    - {name: data, mountPath: /data}
    - {name: made, mountPath: /made}
    - {name: file, mountPath: /etc/extra.conf, readOnly: true}
    resources:
      limits: {memory: 64Mi, cpu: 500m}
    securityContext:
      runAsUser: 1000
      runAsGroup: 1001
      capabilities: {drop: [NET_RAW], add: [NET_ADMIN]}
      readOnlyRootFilesystem: true
    livenessProbe: {exec: {command: ["true"]}}
  - name: side
    image: busybox
    command: ["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done"]
    livenessProbe: {exec: {command: ["true"]}}
  volumes:
  - {name: scratch, emptyDir: {}}
  - {name: cfg, configMap: {name: settings, items: [{key: app.conf, path: app.conf}]}}
  - {name: data, persistentVolumeClaim: {claimName: kdata}}
  - {name: made, hostPath: {path: ${dir}/made, type: DirectoryOrCreate}}
  - {name: file, hostPath: {path: ${dir}/extra.conf, type: File}}
`;
}

interface Inspect {
  Config: { Env: string[]; WorkingDir: string; User: string; Annotations?: Record<string, string> };
  HostConfig: { Memory: number; NanoCpus: number; CapDrop: string[]; CapAdd: string[]; ReadonlyRootfs: boolean; RestartPolicy: { Name: string } };
  Mounts: Array<{ Type: string; Source: string; Destination: string; Name?: string; RW: boolean }>;
}

let cleanup: () => Promise<void>;

beforeAll(async () => {
  const n = await networkedEnv('kubenet', 6);
  ({ env, cleanup } = n);
  NET.name = n.network.name;
});

afterAll(async () => {
  await cleanup();
});

describe('kube play', () => {
  it('plays a Pod with ConfigMap, PVC, emptyDir, hostPath, limits, security and init containers; down removes it', async () => {
    const dir = fs.mkdtempSync(path.join(env.dir, 'kube-'));
    fs.writeFileSync(path.join(dir, 'extra.conf'), 'extra\n');
    const file = path.join(dir, 'app.yaml');
    fs.writeFileSync(file, manifest(dir));
    try {
      const r = await env.pman(['kube', 'play', '--network', NET.name, file]);
      expect([r.exitCode, r.stderr]).toEqual([0, 'WARN: kube: unsupported field Pod.spec.containers[].livenessProbe is ignored']);
      expect(r.stdout).toMatch(/^Volume:\nkdata\nPod:\n[0-9a-f]{64}\nContainers:\n[0-9a-f]{64}\n[0-9a-f]{64}\n$/);
      // Containers are named <pod>-<container>; the init container ran and is gone.
      expect((await env.ok(['ps', '-a', '--pod', '--filter', 'name=^kweb-', '--format', '{{.Names}} {{.PodName}} {{.Status}}'])).split('\n').map((l) => l.replace(/ Up .*/, ' Up')).sort()).toEqual(['kweb-server kweb Up', 'kweb-side kweb Up']);
      expect((await env.ok(['pod', 'inspect', 'kweb', '--format', '{{.Labels}}'])).trim()).toBe('map[tier:front]');
      // The published port, served from the emptyDir the init container filled.
      expect(await until(() => httpGetLocal(hostPort, '/index.html').catch(() => ''), 10_000)).toBe('ok\n');
      const out = await env.ok(['exec', 'kweb-server', 'sh', '-c', 'echo "$PLAIN|$FROMCM|$GREETING|$MODE"; pwd; id -u; id -g; cat /shared/ready /config/app.conf /etc/extra.conf; grep -q " /data " /proc/mounts && echo data-mounted; ls /made; touch /rootfs-file 2>/dev/null || echo ro-root']);
      expect(out.split('\n')).toEqual(['x y|hello|hello|fast', '/tmp', '1000', '1001', 'prepared', 'port=8080', 'extra', 'data-mounted', 'ro-root']);
      expect(fs.statSync(path.join(dir, 'made')).isDirectory()).toBe(true);
      const [doc] = JSON.parse(await env.ok(['inspect', 'kweb-server'])) as Inspect[];
      expect(doc.HostConfig).toMatchObject({ Memory: 64 * 1024 * 1024, NanoCpus: 500_000_000, ReadonlyRootfs: true, RestartPolicy: { Name: 'on-failure' } });
      expect(doc.HostConfig.CapDrop).toContain('CAP_NET_RAW');
      expect(doc.HostConfig.CapAdd).toContain('CAP_NET_ADMIN');
      expect(doc.Config.Annotations).toMatchObject({ team: 'blue' });
      expect(doc.Mounts.filter((m) => m.Type === 'volume').map((m) => [m.Name, m.Destination]).sort()).toEqual([['kdata', '/data'], ['kweb-scratch', '/shared']]);
      // --replace recreates; without it the name is taken.
      const again = await env.pman(['kube', 'play', '--network', NET.name, file]);
      expect([again.exitCode, again.stderr.trim().split('\n').pop()]).toEqual([125, `Error: cannot play "${file}": the name "kweb" is already in use; use --replace or run "pman kube down ${file}" first`]);
      const oldId = (await env.ok(['pod', 'inspect', 'kweb', '--format', '{{.Id}}'])).trim();
      await env.ok(['kube', 'play', '--replace', '--network', NET.name, file]);
      expect((await env.ok(['pod', 'inspect', 'kweb', '--format', '{{.Id}}'])).trim()).not.toBe(oldId);
      // down: the pod, its containers and its emptyDir volume go; the claim's volume stays, as in podman.
      const down = await env.ok(['kube', 'down', file]);
      expect(down).toMatch(/^Pods stopped:\n[0-9a-f]{64}\nPods removed:\n[0-9a-f]{64}$/);
      expect((await env.pman(['pod', 'exists', 'kweb'])).exitCode).toBe(1);
      expect((await env.ok(['ps', '-a', '--filter', 'name=^kweb', '-q'])).trim()).toBe('');
      expect((await env.ok(['volume', 'ls', '--format', '{{.Name}}'])).split('\n')).toEqual(['kdata']);
      expect(fs.existsSync(path.join(env.root, 'kube', 'kweb'))).toBe(false);
    } finally {
      await env.pman(['kube', 'down', file]);
      await env.pman(['volume', 'rm', '-f', 'kdata']);
    }
  });

  it('plays a Deployment as one pod named <name>-pod from standard input, and play --down removes it', async () => {
    const yaml = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: kdep
  labels: {app: kdep}
spec:
  replicas: 3
  selector: {matchLabels: {app: kdep}}
  template:
    metadata:
      labels: {app: kdep}
    spec:
      restartPolicy: Never
      containers:
      - name: main
        image: busybox
        args: ["echo", "from-deployment"]
`;
    const r = await env.pman(['kube', 'play', '-'], { input: yaml });
    expect([r.exitCode, r.stderr.trim()]).toEqual([0, 'WARN: kube: Deployment kdep asks for 3 replicas: pman (as podman) runs one']);
    try {
      expect((await env.ok(['pod', 'ps', '--filter', 'name=kdep', '--format', '{{.Name}} {{.Labels}}'])).trim()).toBe('kdep-pod map[app:kdep]');
      await until(async () => (await env.ok(['logs', 'kdep-pod-main'])).trim() === 'from-deployment');
      expect((await env.ok(['logs', 'kdep-pod-main'])).trim()).toBe('from-deployment');
      const down = await env.pman(['kube', 'play', '--down', '-'], { input: yaml });
      expect(down.exitCode).toBe(0);
      expect((await env.pman(['pod', 'exists', 'kdep-pod'])).exitCode).toBe(1);
    } finally {
      await env.pman(['pod', 'rm', '-f', '-i', '-t', '0', 'kdep-pod']);
    }
  });

  it('refuses invalid YAML, unknown kinds and bad fields with the file and line, creating nothing', async () => {
    const dir = fs.mkdtempSync(path.join(env.dir, 'bad-'));
    const cases: Array<[string, string]> = [
      ['apiVersion: v1\nkind: Pod\nkind: Pod\nmetadata: {name: p}\n', ':3: invalid YAML: Map keys must be unique'],
      ['apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\n', ':6: unknown kind "Secret": kube play supports Pod, Deployment, ConfigMap, PersistentVolumeClaim, Service'],
      ['apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: c, image: busybox, ports: [{containerPort: "80"}]}\n', ':1: spec.containers[0].ports[0].containerPort: must be a whole number from 1 to 65535, not "80"'],
      ['apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: c, image: busybox, volumeMounts: [{name: v, mountPath: /v}]}\n  volumes: [{name: v, hostPath: {path: /nonexistent-pman, type: Socket}}]\n', ':1: spec.volumes[0].hostPath.type: "Socket" is not supported (use Directory, DirectoryOrCreate, File, FileOrCreate)'],
      ['apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: c, image: busybox, env: [{name: A, valueFrom: {configMapKeyRef: {name: nope, key: k}}}]}\n', 'container "c" env A: ConfigMap "nope" is not in the file'],
    ];
    for (const [text, message] of cases) {
      const file = path.join(dir, 'bad.yaml');
      fs.writeFileSync(file, text);
      const r = await env.pman(['kube', 'play', file]);
      expect([r.exitCode, r.stderr.trim().split('\n').length]).toEqual([125, 1]);
      expect(r.stderr.trim()).toContain(message);
      if (message.startsWith(':')) expect(r.stderr.startsWith(`Error: ${file}${message}`)).toBe(true);
    }
    expect((await env.ok(['pod', 'ps', '-q'])).trim()).toBe('');
    expect((await env.ok(['ps', '-a', '--filter', 'name=^p-c$', '-q'])).trim()).toBe('');
  });
});

describe('kube generate', () => {
  it('writes a Pod and Service that validate against Kubernetes\' schema and play back into the same containers on a fresh store', async () => {
    const dir = fs.mkdtempSync(path.join(env.dir, 'gen-'));
    fs.mkdirSync(path.join(dir, 'site'));
    await env.ok(['volume', 'create', 'genvol']);
    await env.ok(['pod', 'create', '--name', 'genpod', '--network', NET.name, '-p', `${hostPort + 1}:80`]);
    const fresh = await TestEnv.create();
    try {
      await env.ok(['create', '--pod', 'genpod', '--name', 'genpod-app', '-e', 'COLOR=red', '-w', '/srv', '--entrypoint', '["sh","-c"]', '-v', `${path.join(dir, 'site')}:/site:ro`, '-v', 'genvol:/vol', '--memory', '32m', '--cap-drop', 'NET_RAW', '-u', '1000:1000', 'busybox', 'echo $COLOR; sleep 1000']);
      await env.ok(['create', '--pod', 'genpod', '--name', 'genpod-side', 'busybox', 'sleep', '1001']);
      const text = await env.ok(['generate', 'kube', '--service', 'genpod']);
      expect(await env.ok(['kube', 'generate', '-s', 'genpod'])).toBe(text);
      const docs = parseAllDocuments(text).map((d) => d.toJS() as Record<string, unknown>);
      expect(docs.map((d) => d.kind)).toEqual(['Pod', 'Service']);
      // Schema validation: throws on any field of the wrong shape.
      new Pod(docs[0] as ConstructorParameters<typeof Pod>[0]).validate();
      new Service(docs[1] as ConstructorParameters<typeof Service>[0]).validate();
      expect(docs[1]).toMatchObject({ spec: { type: 'NodePort', ports: [{ port: 80, targetPort: 80, nodePort: hostPort + 1, protocol: 'TCP' }], selector: { app: 'genpod' } } });
      const file = path.join(dir, 'gen.yaml');
      fs.writeFileSync(file, text);
      await fresh.ok(['network', 'create', '--subnet', testSubnet(7), '--interface-name', testBridge(7), NET.name]);
      await fresh.ok(['volume', 'create', 'genvol']);
      await fresh.ok(['kube', 'play', '--start=false', '--network', NET.name, file]);
      const view = async (e: TestEnv, name: string) => {
        const [d] = JSON.parse(await e.ok(['inspect', name])) as Array<Inspect & { ImageName: string; Config: { Entrypoint: unknown; Cmd: unknown; User: string } }>;
        return {
          image: d.ImageName,
          entrypoint: d.Config.Entrypoint,
          cmd: d.Config.Cmd,
          env: d.Config.Env.filter((x) => !x.startsWith('HOSTNAME=')).sort(),
          workdir: d.Config.WorkingDir,
          user: d.Config.User,
          mounts: d.Mounts.map((m) => [m.Type, m.Type === 'volume' ? m.Name : m.Source, m.Destination, m.RW]).sort(),
          memory: d.HostConfig.Memory,
          capDrop: d.HostConfig.CapDrop,
        };
      };
      for (const name of ['genpod-app', 'genpod-side']) expect([name, await view(fresh, name)]).toEqual([name, await view(env, name)]);
      const ports = async (e: TestEnv) => (await e.ok(['pod', 'inspect', 'genpod', '--format', '{{json .InfraConfig.PortBindings}}'])).trim();
      expect(await ports(fresh)).toBe(await ports(env));
    } finally {
      await fresh.pman(['pod', 'rm', '-af', '-t', '0']);
      removeLeaks([testBridge(7)], fresh.runroot);
      await fresh.cleanup();
      await env.pman(['pod', 'rm', '-f', '-t', '0', 'genpod']);
      await env.pman(['volume', 'rm', '-f', 'genvol']);
    }
  });
});
