// The TypeScript type of a record is derived from the JSON schema its files are validated with
// (json-schema-to-ts's FromSchema), so the two cannot drift. Type-only: nothing here exists at
// run time, so it costs no start-up.
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';

/**
 * A record's type from its schema (declared `as const`). The schemas leave other keys allowed, so
 * a record written by a newer pman with more fields still reads; FromSchema then adds
 * `[key: string]: unknown` to each object type, which Strict drops again: a misspelt field stays
 * a compile error. Index signatures with a real value type (`labels: {[k]: string}`) are kept.
 */
export type RecordType<S extends JSONSchema> = Strict<FromSchema<S>>;

type Strict<T> = T extends readonly (infer U)[] ? Strict<U>[] : T extends object ? StrictObject<T> : T;

// An object schema that names no keys and says nothing of their values (`{ type: 'object' }`) is
// just `object`, not `{}` (which would admit strings and numbers).
type StrictObject<T, S = { [K in keyof T as string extends K ? (unknown extends T[K] ? never : K) : K]: Strict<T[K]> }> = [keyof S] extends [never]
  ? object
  : S;
