// The image record (storage/images/<id>.json): what the rest of pman needs to know about an image
// without reading blobs, with its JSON schema. docs/images.md describes it for humans.
import { validatorFor } from '../state/validators.js';

/** The runtime defaults of an OCI image config ("config" in the config blob), as docker names them. */
export interface ImageConfigSpec {
  User?: string;
  Env?: string[];
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  WorkingDir?: string;
  Labels?: Record<string, string> | null;
  StopSignal?: string;
  ExposedPorts?: Record<string, object>;
  Volumes?: Record<string, object>;
}

export interface ImageRecord {
  /** 64 hex: sha256 of the image config JSON (the OCI image ID). */
  id: string;
  /** Fully qualified, e.g. "localhost/busybox:latest". */
  names: string[];
  /** "sha256:…" of the manifest pman stores for it. */
  digest: string;
  /** RFC3339. */
  created: string;
  /** Bytes of the uncompressed layers. */
  size: number;
  architecture: string;
  os: string;
  config: ImageConfigSpec;
  /** Chain IDs (64 hex), bottom → top. */
  layers: string[];
  /** "sha256:…", bottom → top. */
  diffIds: string[];
}

const hex64 = { type: 'string', pattern: '^[0-9a-f]{64}$' };
const digest = { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' };
const stringArray = { type: 'array', items: { type: 'string' } };
const nullableStringArray = { type: ['array', 'null'], items: { type: 'string' } };
const emptyObjectMap = { type: 'object', additionalProperties: { type: 'object' } };

const schema = {
  type: 'object',
  required: ['id', 'names', 'digest', 'created', 'size', 'architecture', 'os', 'config', 'layers', 'diffIds'],
  properties: {
    id: hex64,
    names: stringArray,
    digest,
    created: { type: 'string' },
    size: { type: 'integer', minimum: 0 },
    architecture: { type: 'string' },
    os: { type: 'string' },
    config: {
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
    },
    layers: { type: 'array', items: hex64 },
    diffIds: { type: 'array', items: digest },
  },
};

export const validateImageRecord = validatorFor<ImageRecord>('imageRecord', schema);

/** A layer's own record (storage/layers/<chainId>/layer.json). */
export interface LayerRecord {
  chainId: string;
  diffId: string;
  /** Chain ID of the layer below, null for a base layer. */
  parent: string | null;
  /** Bytes of the uncompressed layer tar. */
  size: number;
  created: string;
}

const layerSchema = {
  type: 'object',
  required: ['chainId', 'diffId', 'parent', 'size', 'created'],
  properties: {
    chainId: hex64,
    diffId: digest,
    parent: { anyOf: [hex64, { type: 'null' }] },
    size: { type: 'integer', minimum: 0 },
    created: { type: 'string' },
  },
};

export const validateLayerRecord = validatorFor<LayerRecord>('layerRecord', layerSchema);
