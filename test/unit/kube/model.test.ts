import { readKubeObjects } from '../../../lib/kube/model.js';
import { readKubeDocuments } from '../../../lib/kube/yaml-docs.js';

function read(text: string): { objs: ReturnType<typeof readKubeObjects>; warnings: string[] } {
  const warnings: string[] = [];
  const objs = readKubeObjects(readKubeDocuments(text, 'f.yaml'), 'f.yaml', (m) => warnings.push(m));
  return { objs, warnings };
}

describe('reading Kubernetes objects', () => {
  it('maps a pod\'s containers, ports, env and volumes into the model', () => {
    const { objs, warnings } = read(`apiVersion: v1
kind: Pod
metadata: {name: web, labels: {a: b}}
spec:
  restartPolicy: Never
  containers:
  - name: c
    image: busybox
    command: [sh]
    args: [-c, "true"]
    env: [{name: A, value: "1"}, {name: B, valueFrom: {configMapKeyRef: {name: m, key: k, optional: true}}}]
    ports: [{containerPort: 80, hostPort: 8080, protocol: udp}]
    volumeMounts: [{name: v, mountPath: /v, readOnly: true}]
  volumes: [{name: v, emptyDir: {}}]
`);
    expect(warnings).toEqual([]);
    expect(objs.pods).toEqual([
      expect.objectContaining({
        name: 'web',
        labels: { a: 'b' },
        restartPolicy: 'Never',
        volumes: [{ name: 'v', kind: 'emptyDir' }],
        containers: [
          expect.objectContaining({
            name: 'c',
            command: ['sh'],
            args: ['-c', 'true'],
            env: [{ name: 'A', value: '1' }, { name: 'B', configMapKeyRef: { name: 'm', key: 'k', optional: true } }],
            ports: [{ containerPort: 80, hostPort: 8080, protocol: 'udp', hostIP: undefined }],
            volumeMounts: [{ name: 'v', mountPath: '/v', readOnly: true }],
          }),
        ],
      }),
    ]);
  });

  it('names a Deployment\'s pod <name>-pod and warns about more than one replica', () => {
    const { objs, warnings } = read('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers: [{name: c, image: i}]\n');
    expect(objs.pods.map((p) => p.name)).toEqual(['d-pod']);
    expect(warnings).toEqual(['kube: Deployment d asks for 2 replicas: pman (as podman) runs one']);
  });

  it('warns once per unsupported field, whatever the number of containers having it', () => {
    const { warnings } = read('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  nodeSelector: {a: b}\n  containers:\n  - {name: a, image: i, livenessProbe: {}}\n  - {name: b, image: i, livenessProbe: {}}\n');
    expect(warnings).toEqual(['kube: unsupported field Pod.spec.nodeSelector is ignored', 'kube: unsupported field Pod.spec.containers[].livenessProbe is ignored']);
  });

  it('refuses wrong types, missing fields, unknown kinds and volumes nobody declared, with file and line', () => {
    const cases: Array<[string, string]> = [
      ['apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: []}\n', 'f.yaml:1: spec.containers: needs at least one container'],
      ['a: 1\n---\napiVersion: v1\nkind: Job\nmetadata: {name: j}\n', 'f.yaml:1: a document has no kind: kube play supports Pod, Deployment, ConfigMap, PersistentVolumeClaim, Service'],
      ['apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n---\napiVersion: v1\nkind: Job\n', 'f.yaml:1: spec: is required'],
      ['apiVersion: v1\nkind: Job\nmetadata: {name: j}\n', 'f.yaml:1: unknown kind "Job"'],
      ['apiVersion: v1\nkind: Pod\nmetadata: {name: P_1}\nspec: {containers: [{name: c, image: i}]}\n', 'f.yaml:1: metadata.name: "P_1" is not a valid name'],
      ['apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: i, volumeMounts: [{name: x, mountPath: /x}]}]}\n', 'container "c" mounts volume "x", which spec.volumes does not declare'],
      ['apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {restartPolicy: Sometimes, containers: [{name: c, image: i}]}\n', 'spec.restartPolicy: "Sometimes" is not Always, OnFailure or Never'],
      ['apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: 5}]}\n', 'spec.containers[0].image: must be a string, not 5'],
      ['- a\n- b\n', 'f.yaml:1: a Kubernetes document must be a mapping with apiVersion and kind'],
      ['x: [1,\n', 'f.yaml:2: invalid YAML:'],
    ];
    for (const [text, message] of cases) expect(() => read(text)).toThrow(message);
  });
});
