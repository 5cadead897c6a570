// How a container record holds a --secret (lib/container/parse/secrets.ts): the secret's ID and
// name at create, and where and how the container gets it. Spread into the record schema.
import type { RecordType } from './record-type.js';

export const secretRefSchema = {
  type: 'object',
  required: ['id', 'name', 'type', 'target'],
  properties: {
    id: { type: 'string', pattern: '^[0-9a-f]{25}$' },
    name: { type: 'string' },
    // mount: a read-only file (target: its absolute path); env: an environment variable (target: its name).
    type: { enum: ['mount', 'env'] },
    // Not empty. (A pattern, not minLength: ajv's generated code for string lengths requires a
    // module from node_modules, which every command and shim would then load at start.)
    target: { type: 'string', pattern: '.' },
    uid: { type: 'integer', minimum: 0 },
    gid: { type: 'integer', minimum: 0 },
    mode: { type: 'integer', minimum: 0, maximum: 0o7777 },
  },
} as const;

export type SecretRef = RecordType<typeof secretRefSchema>;
