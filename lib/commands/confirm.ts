// The yes/no question prune commands ask before removing (podman asks the same): anything but
// y/yes, or no answer at all, is no.
import { createInterface } from 'node:readline';
import type { IO } from './types.js';

export async function confirm(io: IO, question: string): Promise<boolean> {
  io.stdout.write(`${question}\nAre you sure you want to continue? [y/N] `);
  const rl = createInterface({ input: io.stdin, terminal: false });
  try {
    for await (const line of rl) return /^\s*y(es)?\s*$/i.test(line);
    return false;
  } finally {
    rl.close();
  }
}
