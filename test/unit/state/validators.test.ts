import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { readJsonValidated } from '../../../lib/state/atomic.js';
import { validateContainerRecord, type ContainerConfig } from '../../../lib/state/container-record.js';
import { validateImageRecord, validateLayerRecord } from '../../../lib/image/image-record.js';
import { SCHEMAS, schemaFingerprint } from '../../../lib/state/validators.js';
import { validateVolumeRecord } from '../../../lib/volume/volume-record.js';
import { validateAllocationsRecord, validateNetworkRecord } from '../../../lib/network/network-record.js';
import { validatePodRecord } from '../../../lib/state/pod-record.js';
import { validateSecretRecord } from '../../../lib/secret/secret-record.js';
import { containerRecordFixture } from '../container-record-fixture.js';

const require = createRequire(import.meta.url);

describe('precompiled state validators', () => {
  it('the build generated code for every schema, matching the schemas in the source', () => {
    for (const v of [validateContainerRecord, validateImageRecord, validateLayerRecord, validateVolumeRecord, validateNetworkRecord, validateAllocationsRecord, validatePodRecord, validateSecretRecord]) v({});
    const gen = require('../../../validators.gen.cjs') as { schemas: Record<string, string> };
    expect(Object.keys(SCHEMAS).sort()).toEqual(Object.keys(gen.schemas).sort());
    expect(Object.keys(SCHEMAS)).toHaveLength(8);
    for (const [name, schema] of Object.entries(SCHEMAS)) expect(gen.schemas[name]).toBe(schemaFingerprint(schema));
  });

  it('the generated code requires no module: every command and every shim loads it', () => {
    // minLength/maxLength make ajv's code require ajv/dist/runtime/ucs2length from node_modules at
    // every start (a resolution and a file read outside the bundle): schemas use patterns instead.
    const text = fs.readFileSync(require.resolve('../../../validators.gen.cjs'), 'utf8');
    expect(text.match(/require\([^)]*\)/g) ?? []).toEqual([]);
  });

  it('rejects a record with a wrong field and names the field', () => {
    expect(validateLayerRecord({ chainId: 'x', diffId: 'sha256:0', parent: null, size: 1, created: '' })).toBe(false);
    expect(validateLayerRecord.errors?.[0]?.instancePath).toBe('/chainId');
  });

  // The optional parts of the container record are validated by functions of their own
  // (scripts/split-schema.mjs): a bad value there must still be caught and named.
  it.each([
    ['an extras field', { extras: { umask: '0999' } }, '/config/extras/umask must match pattern "^[0-7]{1,4}$"'],
    ['a namespace inside extras', { extras: { namespaces: { pid: { mode: 'shared' } } } }, '/config/extras/namespaces/pid/mode must be equal to one of the allowed values'],
    // A cgroup path must stay inside the tree it names (a record is untrusted input).
    ['a cgroup path climbing out with ..', { extras: { cgroupPath: '/a/../../etc' } }, '/config/extras/cgroupPath must NOT be valid'],
    ['a relative cgroup path', { extras: { cgroupPath: 'a/pman-x' } }, '/config/extras/cgroupPath must match pattern "^(/[^/\\u0000-\\u001f\\u007f]+)+$"'],
    ['a device', { devices: [{ path: 'dev/x', hostPath: '/dev/null', type: 'c', major: 1, minor: 3, fileMode: 0o666, uid: 0, gid: 0, access: 'rwm' }] }, '/config/devices/0/path must match pattern "^/"'],
    ['a published port', { network: { mode: 'bridge', ports: [{ hostIp: '', hostPort: 8080, containerPort: 80, protocol: 'tcp' }] } }, "/config/network/ports/0 must have required property 'range'"],
  ] as const)('rejects a container record with a bad value in %s, naming the field in one line', (_what, config, why) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-validators-'));
    try {
      const file = path.join(dir, 'container.json');
      const good = containerRecordFixture();
      expect(validateContainerRecord(good)).toBe(true);
      fs.writeFileSync(file, JSON.stringify(containerRecordFixture(config as unknown as Partial<ContainerConfig>)));
      expect(() => readJsonValidated(file, validateContainerRecord, 'container record')).toThrow(
        `cannot read container record: "${file}" is invalid (${why}); remove it or restore it from a backup`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps the container record's optional parts out of its main function, so V8 compiles them only for records that have them", () => {
    validateContainerRecord({});
    const gen = require('../../../validators.gen.cjs') as { validators: Record<string, (v: unknown) => boolean> };
    const main = gen.validators.containerRecord.toString();
    const whole = fs.readFileSync(require.resolve('../../../validators.gen.cjs'), 'utf8');
    // Fields of --device, --secret, podman's extras and health checks: in the file, not in the function.
    for (const field of ['hostPath', 'conmonPidfile', 'startPeriod', 'deviceReadBps']) {
      expect(whole).toContain(`"${field}"`);
      expect(main).not.toContain(field);
    }
    // Required parts stay inline: every record has them.
    expect(main).toContain('shimStartTime');
  });
});
