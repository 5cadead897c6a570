// The part of a container record that --uidmap/--gidmap/--subuidname/--subgidname/--userns=auto
// add (docs/userns.md): the container's own user namespace and its ID maps. One optional object,
// so records written before it stay valid and the record schema gains one line. Absent = the
// host's user namespace (root's containers) or the user's (rootless).
const range = {
  type: 'object',
  required: ['container', 'host', 'size'],
  properties: {
    container: { type: 'integer', minimum: 0 },
    host: { type: 'integer', minimum: 0 },
    size: { type: 'integer', minimum: 1 },
  },
} as const;

export const idMapsSchema = {
  type: 'object',
  required: ['uidMap', 'gidMap'],
  properties: {
    uidMap: { type: 'array', minItems: 1, items: range },
    gidMap: { type: 'array', minItems: 1, items: range },
    // --userns=auto: the ranges were allocated by pman (docs/userns.md), not given.
    auto: { type: 'boolean' },
  },
} as const;
