// A container record for unit tests: a created busybox container named web, with the given config
// fields over the defaults.
import { initialState, type ContainerConfig, type ContainerRecord } from '../../lib/state/container-record.js';

export function containerRecordFixture(config: Partial<ContainerConfig> = {}): ContainerRecord {
  return {
    version: 1,
    id: 'a'.repeat(64),
    name: 'web',
    created: '2024-01-01T00:00:00Z',
    image: 'b'.repeat(64),
    imageName: 'localhost/busybox:latest',
    layers: ['/layers/1'],
    config: {
      entrypoint: [],
      cmd: ['sh'],
      env: [],
      workingDir: '/',
      user: '',
      hostname: 'aaaaaaaaaaaa',
      labels: {},
      stopSignal: 'SIGTERM',
      stopTimeout: 10,
      tty: false,
      interactive: false,
      autoRemove: false,
      logDriver: 'k8s-file',
      logPath: '/x/ctr.log',
      runtime: 'runc',
      ...config,
    },
    state: initialState(),
  };
}
