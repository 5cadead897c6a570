#!/usr/bin/env node
// Build step: writes dist/validators.gen.cjs, the standalone (precompiled) ajv code for every
// schema pman validates state files with, plus each schema's text so a stale file is ignored.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { splitOptionalObjects } from './split-schema.mjs';

const top = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The modules that register schemas (importing them fills SCHEMAS).
const modules = ['dist/lib/state/container-record.js', 'dist/lib/image/image-record.js', 'dist/lib/volume/volume-record.js', 'dist/lib/network/network-record.js', 'dist/lib/state/pod-record.js', 'dist/lib/secret/secret-record.js'];
const { SCHEMAS, schemaFingerprint } = await import(path.join(top, 'dist/lib/state/validators.js'));
for (const m of modules) {
  const mod = await import(path.join(top, m));
  // Validators register their schema on first use: call each exported validator once.
  for (const [name, fn] of Object.entries(mod)) if (/^validate/.test(name) && typeof fn === 'function') fn({});
}
// inlineRefs: false keeps each optional part of a record in a function of its own, which V8
// compiles only for records that have it (split-schema.mjs). The fingerprint is the schema's own.
const ajv = new Ajv({ allErrors: false, code: { source: true }, inlineRefs: false });
const refs = {};
const fingerprints = {};
for (const [name, schema] of Object.entries(SCHEMAS)) {
  ajv.addSchema(splitOptionalObjects(schema), name);
  refs[name] = name;
  fingerprints[name] = schemaFingerprint(schema);
}
const code = standaloneCode.default ? standaloneCode.default(ajv, refs) : standaloneCode(ajv, refs);
// standaloneCode exports the validators on `exports`; wrap them with their schemas' texts. Its
// own "use strict" is no directive inside the wrapper: the file's first statement is (as the
// bundles', scripts/bundle.mjs).
const wrapped = `"use strict";\nconst exp = (function(){ const module = { exports: {} }; const exports = module.exports;\n${code}\nreturn module.exports; })();\nmodule.exports = { validators: exp, schemas: ${JSON.stringify(fingerprints)} };\n`;
fs.writeFileSync(path.join(top, 'dist/validators.gen.cjs'), wrapped);
console.log(`gen-validators: ${Object.keys(SCHEMAS).length} schemas -> dist/validators.gen.cjs`);
