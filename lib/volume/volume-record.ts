// The record of a named volume (volumes/<name>/volume.json). Its JSON schema is the one
// description: the type is derived from it (RecordType). The data lives next to it in
// volumes/<name>/_data, which containers get bind-mounted.
import type { RecordType } from '../state/record-type.js';
import { validatorFor } from '../state/validators.js';

const stringMap = { type: 'object', additionalProperties: { type: 'string' } } as const;

const schema = {
  type: 'object',
  required: ['version', 'name', 'driver', 'created', 'labels', 'options', 'anonymous', 'needsCopyUp'],
  properties: {
    version: { const: 1 },
    name: { type: 'string', pattern: '^[a-zA-Z0-9][a-zA-Z0-9_.-]*$' },
    driver: { const: 'local' },
    created: { type: 'string' },
    labels: stringMap,
    // --opt KEY=VALUE as given (only o=uid=…,gid=… has an effect).
    options: stringMap,
    // Created by -v /path without a name: removed with the container by `rm -v` and `run --rm`.
    anonymous: { type: 'boolean' },
    // True until a container first uses the volume: that first use copies the image's files in.
    needsCopyUp: { type: 'boolean' },
    // The first use gave the data directory its owner (podman's NeedsChown turned false) while the
    // copy-up is still to come: the image lacked the path, or the volume had files. Absent = false.
    ownerGiven: { type: 'boolean' },
  },
} as const;

export type VolumeRecord = RecordType<typeof schema>;

export const validateVolumeRecord = validatorFor<VolumeRecord>('volumeRecord', schema);
