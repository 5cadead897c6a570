// How every `inspect` prints: a JSON array of the objects found, or a --format template applied
// to each (`table ` read as podman's inspect reads it: formatObjects); names that failed are
// reported one line each on stderr and make the exit code 125.
// The JSON array is printed whatever was found, "[]" when nothing was, as podman does.
import type { IO } from './types.js';

export interface InspectedOptions {
  /** One document found is printed as itself, not in an array (podman 4's `pod inspect`). */
  oneAsObject?: boolean;
}

export async function printInspected<T>(
  io: IO,
  names: T[],
  inspectOne: (name: T) => unknown | Promise<unknown>,
  format: string | undefined,
  found: unknown[] = [],
  opts: InspectedOptions = {},
): Promise<number> {
  const docs = [...found];
  let code = 0;
  for (const name of names) {
    try {
      docs.push(await inspectOne(name));
    } catch (err) {
      io.stderr.write(`Error: ${(err as Error).message}\n`);
      code = 125;
    }
  }
  if (format !== undefined && format !== 'json') {
    // Loaded only for --format: most inspects print JSON, and the template engine is ~1 ms to load.
    const { formatObjects } = await import('../format/template.js');
    io.stdout.write(formatObjects(format, docs));
  } else {
    // podman prints the array even when nothing was found ("[]", exit 125): scripts parse it.
    io.stdout.write(`${JSON.stringify(opts.oneAsObject && docs.length === 1 ? docs[0] : docs, null, 4)}\n`);
  }
  return code;
}
