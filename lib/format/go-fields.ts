// podman's inspect documents are Go structs: a field tagged omitempty is left out of the JSON but
// still exists for a --format template ({{.Config.Cmd}} of an image without one is "[]", not an
// error), and the struct field behind the JSON key "Id" is ID, so {{.ID}} works as {{.Id}} does.
// These are added as non-enumerable properties: templates see them, JSON output does not.

/**
 * A Go nil pointer, such as podman's `SizeRw *int64` without --size: a template prints it `<nil>`
 * (where a missing map key or a nil interface is `<no value>`), it is false, and JSON null.
 */
export class GoNilPointer {
  toJSON(): null {
    return null;
  }
}
export const NIL_POINTER = Object.freeze(new GoNilPointer());

/** The fields a document's struct has besides its JSON keys: a nested shape, or the zero value. */
export interface GoShape {
  [field: string]: GoShape | unknown[] | string | number | boolean | null | GoNilPointer;
}

const isShape = (v: unknown): v is GoShape => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof GoNilPointer);

/** A new empty slice for each document, nil (JSON null) when the shape's is. */
const fresh = (zero: unknown[]): unknown[] => ('toJSON' in zero ? goNil([]) : []);

/** doc, with each field of shape it lacks defined (non-enumerable) as its zero value, and ID for Id. */
export function withGoFields<T>(doc: T, shape: GoShape): T {
  if (!isShape(doc)) return doc;
  const d = doc as Record<string, unknown>;
  if ('Id' in d && !('ID' in d)) Object.defineProperty(d, 'ID', { value: d.Id, enumerable: false });
  for (const [k, zero] of Object.entries(shape)) {
    if (!(k in d)) Object.defineProperty(d, k, { value: isShape(zero) ? withGoFields({}, zero) : Array.isArray(zero) ? fresh(zero) : zero, enumerable: false });
    else if (isShape(zero) && isShape(d[k])) withGoFields(d[k], zero);
  }
  return doc;
}

/** podman 4.3.1's ImageConfig (OCI image-spec) fields, all omitempty. */
const IMAGE_CONFIG: GoShape = { User: '', ExposedPorts: {}, Env: [], Entrypoint: [], Cmd: [], Volumes: {}, WorkingDir: '', Labels: {}, StopSignal: '' };

/** Fields of podman's container inspect that its JSON may leave out (the sizes: without --size). */
export const CONTAINER_GO_FIELDS: GoShape = { Config: { CreateCommand: goNil([]) }, NetworkSettings: { Networks: {} }, SizeRw: NIL_POINTER, SizeRootFs: 0 };

/** Fields of podman's image inspect that its JSON may leave out. */
export const IMAGE_GO_FIELDS: GoShape = { Config: IMAGE_CONFIG, Labels: {}, Annotations: {} };

/**
 * A Go nil slice or map: null in the JSON (as Go marshals it), its zero value in a --format
 * template (`[]`, `map[]`, as Go prints it, where a plain null would print `<no value>`).
 */
export function goNil<T extends unknown[] | Record<string, never>>(zero: T): T {
  return Object.defineProperty(zero, 'toJSON', { value: () => null, enumerable: false });
}
