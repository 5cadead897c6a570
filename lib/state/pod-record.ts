// The record of a pod (pods/<id>/pod.json): a group of containers sharing the namespaces of its
// infra container (docs/pods.md). Its JSON schema is the one description; the type is derived
// from it. The pod's status is never stored: it is derived from its containers' records.
import { cgroupPathSchema } from './container-extras.js';
import type { RecordType } from './record-type.js';
import { validatorFor } from './validators.js';

const schema = {
  type: 'object',
  required: ['version', 'id', 'name', 'created', 'labels', 'share', 'exitPolicy'],
  properties: {
    version: { const: 1 },
    id: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    name: { type: 'string', pattern: '^[a-zA-Z0-9][a-zA-Z0-9_.-]*$' },
    created: { type: 'string' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    // The infra container holding the shared namespaces (absent with --no-infra).
    infraId: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    // The namespaces the members join: a subset of ipc, net, uts, pid, cgroup.
    share: { type: 'array', items: { enum: ['ipc', 'net', 'uts', 'pid', 'cgroup'] } },
    // "stop": the infra is stopped when the pod's last other container exits.
    exitPolicy: { enum: ['continue', 'stop'] },
    // Kubernetes objects this pod came from (kube play), for kube down.
    kube: { type: 'object', properties: { file: { type: 'string' } } },
    // --cgroup-parent: the pod's cgroup, "<parent>/<pod id>", its containers' parent (absent:
    // none, its containers are at /pman/<id>). Removed with the pod.
    cgroupPath: cgroupPathSchema,
    // The host name given (pod create --hostname, a Kubernetes pod's; absent: none given, the infra
    // then uses the pod's name), as podman's pod inspect shows it.
    hostname: { type: 'string' },
    // The command line that made the pod (pod create, run --pod new:), as podman's CreateCommand.
    createCommand: { type: 'array', items: { type: 'string' } },
  },
} as const;

export type PodRecord = RecordType<typeof schema>;
export type PodNamespace = PodRecord['share'][number];

export const validatePodRecord = validatorFor<PodRecord>('podRecord', schema);
