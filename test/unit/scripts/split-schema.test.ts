// scripts/split-schema.mjs, used by the validator generator: each optional object-valued part of a
// schema moves behind a $ref (so ajv's standalone code gives it a function of its own), and the
// split schema accepts and rejects exactly what the original does.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';

type Schema = Record<string, unknown>;
interface Split {
  splitOptionalObjects(schema: Schema): Schema;
}

const PROJECT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
let split: Split;
beforeAll(async () => {
  split = (await import(path.join(PROJECT, 'scripts/split-schema.mjs'))) as Split;
});

const point = { type: 'object', required: ['x'], properties: { x: { type: 'integer', minimum: 0 } } };
const schema = {
  type: 'object',
  required: ['id', 'config'],
  properties: {
    id: { type: 'string', pattern: '^[a-f]+$' },
    config: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string' },
        tags: { type: 'array', items: { type: 'string' } },
        origin: point,
        path: { type: 'array', items: { type: 'object', properties: { at: point } } },
        byName: { type: 'object', additionalProperties: point },
      },
    },
  },
};

describe('splitOptionalObjects', () => {
  it('moves every optional part holding objects into $defs, named by its path, and leaves the rest inline', () => {
    const out = split.splitOptionalObjects(schema) as { properties: { config: { properties: Record<string, unknown> } }; $defs: Record<string, unknown> };
    expect(Object.keys(out.$defs).sort()).toEqual(['config.byName', 'config.origin', 'config.path', 'config.path-item.at']);
    expect(out.properties.config.properties.origin).toEqual({ $ref: '#/$defs/config.origin' });
    expect(out.$defs['config.path']).toEqual({ type: 'array', items: { type: 'object', properties: { at: { $ref: '#/$defs/config.path-item.at' } } } });
    // Required parts and scalars stay where they were.
    expect(out.properties.config.properties.name).toEqual({ type: 'string' });
    expect(out.properties.config.properties.tags).toEqual({ type: 'array', items: { type: 'string' } });
    // The input is not changed.
    expect(schema.properties.config.properties.origin).toBe(point);
  });

  it('accepts and rejects what the original schema does, with the same error path', () => {
    const original = new Ajv().compile(schema);
    const splitOne = new Ajv({ inlineRefs: false }).compile(split.splitOptionalObjects(schema));
    const samples = [
      { id: 'ab', config: { name: 'n' } },
      { id: 'ab', config: { name: 'n', origin: { x: 1 }, path: [{ at: { x: 2 } }, {}], byName: { a: { x: 0 } } } },
      { id: 'ab', config: { name: 'n', origin: { x: -1 } } },
      { id: 'ab', config: { name: 'n', origin: {} } },
      { id: 'ab', config: { name: 'n', path: [{ at: { x: 'no' } }] } },
      { id: 'ab', config: { name: 'n', byName: { a: { y: 1 } } } },
      { id: 'ab', config: { name: 'n', tags: [1] } },
      { id: 'AB', config: { name: 'n' } },
    ];
    const verdicts = samples.map((s) => [original(s), splitOne(s), original.errors?.[0]?.instancePath, splitOne.errors?.[0]?.instancePath]);
    for (const [a, b, pathA, pathB] of verdicts) {
      expect(b).toBe(a);
      expect(pathB).toBe(pathA);
    }
    // Both kinds of sample are there: two valid, the rest invalid.
    expect(verdicts.map(([a]) => a)).toEqual([true, true, false, false, false, false, false, false]);
  });

  it('refuses a schema with $defs of its own rather than mixing names', () => {
    expect(() => split.splitOptionalObjects({ ...schema, $defs: {} })).toThrow('splitOptionalObjects: the schema has $defs of its own');
  });
});
