// Build step helper for scripts/gen-validators.mjs: rewrites a record schema so that ajv's
// standalone code validates each optional object-valued property in a function of its own.
//
// Why: ajv inlines every sub-schema into one function per schema. V8 compiles a function whole
// when it is first called, so every shim paid for the code of fields its container does not have
// (devices, secrets, the extras of podman's flags …): ~2 MiB of the idle shim's private memory for
// the container record (docs/performance.md). With each optional part behind a `$ref` and ajv's
// `inlineRefs: false`, the part is a separate function that V8 compiles only when a record has it.
// The validation is the same; only where the code sits changes.

/** Whether a property's schema is worth a function of its own: it holds objects. */
function holdsObjects(schema) {
  if (!schema || typeof schema !== 'object') return false;
  return schema.type === 'object' || (schema.type === 'array' && schema.items?.type === 'object');
}

/**
 * A copy of `schema` in which every optional property holding objects (at any depth) is a `$ref`
 * into `$defs`, named by its path (`config.extras`, `config.network.ports`; `a-item.b` inside an
 * array's items, `a-value.b` inside a map's values). Required properties stay inline (their code
 * runs for every record anyway), but their own optional parts are split.
 */
export function splitOptionalObjects(schema) {
  const root = structuredClone(schema);
  if (root.$defs) throw new Error('splitOptionalObjects: the schema has $defs of its own');
  const defs = {};
  const visit = (node, at) => {
    if (!node || typeof node !== 'object') return;
    for (const [key, sub] of Object.entries(node.properties ?? {})) {
      const name = at ? `${at}.${key}` : key;
      visit(sub, name);
      if (holdsObjects(sub) && !(node.required ?? []).includes(key)) {
        if (defs[name]) throw new Error(`splitOptionalObjects: two parts are named "${name}"`);
        defs[name] = sub;
        node.properties[key] = { $ref: `#/$defs/${name}` };
      }
    }
    if (node.items && typeof node.items === 'object') visit(node.items, `${at}-item`);
    if (node.additionalProperties && typeof node.additionalProperties === 'object') visit(node.additionalProperties, `${at}-value`);
  };
  visit(root, '');
  if (Object.keys(defs).length > 0) root.$defs = defs;
  return root;
}
