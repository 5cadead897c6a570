// The record of a secret (secrets/<id>/secret.json; its data is secrets/<id>/data, mode 0600).
// Its JSON schema is the one description: the type is derived from it (RecordType).
import type { RecordType } from '../state/record-type.js';
import { validatorFor } from '../state/validators.js';

const stringMap = { type: 'object', additionalProperties: { type: 'string' } } as const;

const schema = {
  type: 'object',
  required: ['version', 'id', 'name', 'driver', 'created', 'updated', 'labels', 'driverOptions'],
  properties: {
    version: { const: 1 },
    // 25 hex digits, as podman's secret IDs.
    id: { type: 'string', pattern: '^[0-9a-f]{25}$' },
    // At most 253 characters, by the pattern (no maxLength: see secret-ref-schema.ts).
    name: { type: 'string', pattern: '^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,252}$' },
    // Only podman's default driver: the data is a file of pman's store.
    driver: { const: 'file' },
    created: { type: 'string' },
    updated: { type: 'string' },
    labels: stringMap,
    driverOptions: stringMap,
  },
} as const;

export type SecretRecord = RecordType<typeof schema>;

export const validateSecretRecord = validatorFor<SecretRecord>('secretRecord', schema);
