// The plain form of `pman info`: nested objects as indented YAML-style "key: value" lines. Only
// what info holds (objects, strings, numbers, booleans), so no quoting rules are needed.

/** Writes an object as YAML block mappings, two spaces per level. */
export function toYaml(value: object, indent = 0): string {
  const pad = ' '.repeat(indent);
  let out = '';
  for (const [key, v] of Object.entries(value)) {
    if (v !== null && typeof v === 'object') out += `${pad}${key}:\n${toYaml(v, indent + 2)}`;
    else out += `${pad}${key}: ${String(v)}\n`;
  }
  return out;
}
