import { addToIndex, REF_NAME } from '../../../../lib/image/transports/oci-layout.js';

const entry = (digest: string, ref?: string) => ({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${digest.repeat(64)}`, size: 1, ...(ref ? { annotations: { [REF_NAME]: ref } } : {}) });

describe('adding an image to an OCI layout index', () => {
  it('replaces the entry of the same ref name and keeps the others in order', () => {
    const index = [entry('a', 'one'), entry('b', 'two'), entry('c')];
    expect(addToIndex(index, entry('d', 'one'))).toEqual([entry('b', 'two'), entry('c'), entry('d', 'one')]);
  });

  it('adds an unnamed entry once per manifest, next to named entries of the same manifest', () => {
    const index = [entry('a', 'one')];
    const once = addToIndex(index, entry('a'));
    expect(once).toEqual([entry('a', 'one'), entry('a')]);
    expect(addToIndex(once, entry('a'))).toEqual(once);
    expect(addToIndex(once, entry('b'))).toEqual([...once, entry('b')]);
  });
});
