// How every `inspect` prints: a JSON array of the objects found, or a --format template applied
// to each; names that failed are reported one line each on stderr and make the exit code 125.
import type { IO } from './types.js';

export async function printInspected<T>(io: IO, names: T[], inspectOne: (name: T) => unknown | Promise<unknown>, format: string | undefined, found: unknown[] = []): Promise<number> {
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
    const { compileTemplate } = await import('../format/template.js');
    const render = compileTemplate(format);
    io.stdout.write(docs.map((d) => `${render(d)}\n`).join(''));
  } else if (docs.length > 0 || code === 0) {
    io.stdout.write(`${JSON.stringify(docs, null, 4)}\n`);
  }
  return code;
}
