import { MT, parseManifest, sha256 } from '../../../lib/registry/manifest.js';
import { parseImageConfig } from '../../../lib/registry/image-config.js';

const D = `sha256:${'a'.repeat(64)}`;
const manifest = (extra: object = {}) => Buffer.from(JSON.stringify({ schemaVersion: 2, config: { mediaType: MT.ociConfig, digest: D, size: 10 }, layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: D, size: 5 }], ...extra }));

describe('manifest parsing', () => {
  it('takes the type from Content-Type, the mediaType field or the shape, and keeps the exact bytes', () => {
    const bytes = manifest();
    const m = parseManifest(bytes, 'application/vnd.oci.image.manifest.v1+json; charset=utf-8', 'm');
    expect(m).toMatchObject({ kind: 'image', mediaType: MT.ociManifest, digest: sha256(bytes) });
    expect(m.bytes).toBe(bytes);
    expect(parseManifest(manifest({ mediaType: MT.dockerManifest }), undefined, 'm').mediaType).toBe(MT.dockerManifest);
    expect(parseManifest(Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: [] })), 'application/json', 'm').kind).toBe('index');
  });

  it('refuses garbage, schema 1, unknown types and disagreeing types', () => {
    expect(() => parseManifest(Buffer.from('{"schemaVersion":'), undefined, 'the manifest')).toThrow('invalid the manifest: the registry sent something that is not a JSON manifest');
    expect(() => parseManifest(Buffer.from('{"schemaVersion":1,"fsLayers":[]}'), MT.dockerSchema1Signed, 'm')).toThrow(/schema 1 manifests are not supported/);
    expect(() => parseManifest(manifest({ mediaType: 'application/x-thing' }), undefined, 'm')).toThrow('unsupported manifest media type "application/x-thing"');
    expect(() => parseManifest(manifest({ mediaType: MT.ociManifest }), MT.dockerManifest, 'm')).toThrow(/says it is .* but the manifest says/);
    expect(() => parseManifest(manifest({ layers: [{ mediaType: 'x', digest: 'md5:abc', size: 1 }] }), undefined, 'm')).toThrow(/is not a sha256 digest/);
  });

  it('checks the config: diff IDs one per layer, runtime defaults with the right types', () => {
    const cfg = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Cmd: ['sh'], Env: 'not-a-list', Labels: { a: 'b' }, ExposedPorts: { '80/tcp': {} } }, rootfs: { type: 'layers', diff_ids: [D] } }));
    expect(parseImageConfig(cfg, 'x', 1)).toMatchObject({ architecture: 'amd64', os: 'linux', created: '1970-01-01T00:00:00Z', config: { Cmd: ['sh'], Labels: { a: 'b' }, ExposedPorts: { '80/tcp': {} } }, diffIds: [D] });
    expect(parseImageConfig(cfg, 'x', 1).config.Env).toBeUndefined();
    expect(() => parseImageConfig(cfg, 'img', 2)).toThrow('invalid image of img: the manifest has 2 layers but the config lists 1 diff IDs');
  });
});
