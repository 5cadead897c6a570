import fs from 'node:fs';
import { createRequire } from 'node:module';
import { validateContainerRecord } from '../../../lib/state/container-record.js';
import { validateImageRecord, validateLayerRecord } from '../../../lib/image/image-record.js';
import { SCHEMAS, schemaFingerprint } from '../../../lib/state/validators.js';
import { validateVolumeRecord } from '../../../lib/volume/volume-record.js';
import { validateAllocationsRecord, validateNetworkRecord } from '../../../lib/network/network-record.js';
import { validatePodRecord } from '../../../lib/state/pod-record.js';
import { validateSecretRecord } from '../../../lib/secret/secret-record.js';

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
});
