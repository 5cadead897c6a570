// The image record (storage/images/<id>.json): what the rest of pman needs to know about an image
// without reading blobs. Its JSON schema is the one description: the types are derived from it
// (RecordType), so they cannot drift. docs/images.md describes it for humans.
import type { RecordType } from '../state/record-type.js';
import { validatorFor } from '../state/validators.js';

const hex64 = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;
const digest = { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' } as const;
const stringArray = { type: 'array', items: { type: 'string' } } as const;
const nullableStringArray = { type: ['array', 'null'], items: { type: 'string' } } as const;
const emptyObjectMap = { type: 'object', additionalProperties: { type: 'object' } } as const;

/** The runtime defaults of an OCI image config ("config" in the config blob), as docker names them. */
const configSchema = {
  type: 'object',
  properties: {
    User: { type: 'string' },
    Env: stringArray,
    Entrypoint: nullableStringArray,
    Cmd: nullableStringArray,
    WorkingDir: { type: 'string' },
    Labels: { type: ['object', 'null'], additionalProperties: { type: 'string' } },
    StopSignal: { type: 'string' },
    ExposedPorts: emptyObjectMap,
    Volumes: emptyObjectMap,
  },
} as const;

const schema = {
  type: 'object',
  required: ['id', 'names', 'digest', 'created', 'size', 'architecture', 'os', 'config', 'layers', 'diffIds'],
  properties: {
    // sha256 of the image config JSON (the OCI image ID).
    id: hex64,
    // Fully qualified, e.g. "localhost/busybox:latest".
    names: stringArray,
    // Every name the image has had, newest first (podman's NamesHistory, as containers/storage
    // keeps it: each change of names puts the resulting names in front). Absent in older records.
    namesHistory: stringArray,
    // Of the manifest pman stores for it.
    digest,
    // RFC3339.
    created: { type: 'string' },
    // Bytes of the uncompressed layers.
    size: { type: 'integer', minimum: 0 },
    architecture: { type: 'string' },
    os: { type: 'string' },
    config: configSchema,
    // Chain IDs, bottom → top.
    layers: { type: 'array', items: hex64 },
    // Bottom → top.
    diffIds: { type: 'array', items: digest },
    // The image this one was made from by a build step (absent for images that arrived whole).
    // An untagged image that is another's parent is intermediate: hidden and kept, as podman does.
    parent: hex64,
  },
} as const;

export type ImageConfigSpec = RecordType<typeof configSchema>;
export type ImageRecord = RecordType<typeof schema>;

export const validateImageRecord = validatorFor<ImageRecord>('imageRecord', schema);

/** A layer's own record (storage/layers/<chainId>/layer.json). */
const layerSchema = {
  type: 'object',
  required: ['chainId', 'diffId', 'parent', 'size', 'created'],
  properties: {
    chainId: hex64,
    diffId: digest,
    // Chain ID of the layer below, null for a base layer.
    parent: { anyOf: [hex64, { type: 'null' }] },
    // Bytes of the uncompressed layer tar.
    size: { type: 'integer', minimum: 0 },
    created: { type: 'string' },
  },
} as const;

export type LayerRecord = RecordType<typeof layerSchema>;

export const validateLayerRecord = validatorFor<LayerRecord>('layerRecord', layerSchema);
