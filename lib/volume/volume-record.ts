// The record of a named volume (volumes/<name>/volume.json) and its JSON schema. The data lives
// next to it in volumes/<name>/_data, which containers get bind-mounted.
import { validatorFor } from '../state/validators.js';

export interface VolumeRecord {
  version: 1;
  name: string;
  driver: 'local';
  created: string;
  labels: Record<string, string>;
  /** --opt KEY=VALUE as given (only o=uid=…,gid=… has an effect). */
  options: Record<string, string>;
  /** Created by -v /path without a name: removed with the container by `rm -v` and `run --rm`. */
  anonymous: boolean;
  /** True until a container first uses the volume: that first use copies the image's files in. */
  needsCopyUp: boolean;
}

const stringMap = { type: 'object', additionalProperties: { type: 'string' } };

const schema = {
  type: 'object',
  required: ['version', 'name', 'driver', 'created', 'labels', 'options', 'anonymous', 'needsCopyUp'],
  properties: {
    version: { const: 1 },
    name: { type: 'string', pattern: '^[a-zA-Z0-9][a-zA-Z0-9_.-]*$' },
    driver: { const: 'local' },
    created: { type: 'string' },
    labels: stringMap,
    options: stringMap,
    anonymous: { type: 'boolean' },
    needsCopyUp: { type: 'boolean' },
  },
};

export const validateVolumeRecord = validatorFor<VolumeRecord>('volumeRecord', schema);
