// JSON-schema validation of state files with ajv, precompiled. `npm run build` turns every
// registered schema into standalone validation code (dist/validators.gen.cjs, by
// scripts/gen-validators.mjs), so a pman command never loads or runs the ajv compiler: that was
// ~40 ms of every start-up. A schema without up-to-date generated code (a development build that
// skipped the step) is compiled with ajv at first use instead.
import { createRequire } from 'node:module';
import path from 'node:path';
import { loadCommonJs } from '../boot.js';
import { PROJECT_ROOT } from '../project.js';
import type { ValidateFunction } from 'ajv';

/** Registered schemas by name; the generator reads this table. */
export const SCHEMAS: Record<string, object> = {};

interface Generated {
  /** schemaFingerprint of each schema the code was generated from. */
  schemas: Record<string, string>;
  validators: Record<string, ValidateFunction>;
}

let generated: Generated | null | undefined;

/**
 * What identifies a schema's generated code: its JSON text (compared as a string; a hash would
 * load node:crypto into every shim, ~3 ms of its start-up).
 */
export function schemaFingerprint(schema: object): string {
  return JSON.stringify(schema);
}

function loadGenerated(): Generated | null {
  if (generated === undefined) {
    try {
      // With the code cache scripts/bundle.mjs makes for it (~3 ms of every command otherwise).
      generated = loadCommonJs(path.join(PROJECT_ROOT, 'dist/validators.gen.cjs')) as unknown as Generated;
    } catch {
      generated = null;
    }
  }
  return generated;
}

/** A validation function that also exposes the last errors, as ajv's do. */
export interface Validator<T> {
  (value: unknown): value is T;
  errors: ValidateFunction['errors'];
}

/**
 * The validator for a record type, built on first use (from the generated code when it matches
 * the schema). Calling it once registers the schema for scripts/gen-validators.mjs.
 */
export function validatorFor<T>(name: string, schema: object): Validator<T> {
  let fn: ValidateFunction<T> | undefined;
  const validate = ((value: unknown): value is T => {
    fn ??= compiledValidator<T>(name, schema);
    const ok = fn(value);
    validate.errors = fn.errors;
    return ok;
  }) as Validator<T>;
  validate.errors = null;
  return validate;
}

/** A validator for a named schema: the generated one when it matches the schema, else compiled. */
export function compiledValidator<T>(name: string, schema: object): ValidateFunction<T> {
  SCHEMAS[name] = schema;
  const gen = loadGenerated();
  const fn = gen?.validators[name];
  if (fn && gen!.schemas?.[name] === schemaFingerprint(schema)) return fn as ValidateFunction<T>;
  const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
  return new Ajv({ allErrors: false }).compile<T>(schema);
}
