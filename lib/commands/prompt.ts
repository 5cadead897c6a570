// Asking the user at the terminal (login's username and password, the prune commands' y/N), and
// reading piped input whole:
// terminal I/O belongs to the command layer, never to logic.
import { createInterface } from 'node:readline';
import { InvalidArgumentError } from '../errors.js';
import type { IO } from './types.js';

/** Reads one line from a terminal; with `hidden`, nothing typed is echoed. */
export function prompt(io: IO, question: string, hidden: boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const input = io.stdin;
    let text = '';
    const wasRaw = input.isRaw;
    // Echo goes off before the question shows, so nothing typed after it can be echoed.
    if (hidden) input.setRawMode(true);
    io.stderr.write(question);
    input.setEncoding('utf8');
    const done = (err?: Error) => {
      input.off('data', onData);
      if (hidden) {
        input.setRawMode(wasRaw);
        io.stderr.write('\n');
      }
      input.pause();
      if (err) reject(err);
      else resolve(text);
    };
    const onData = (d: string) => {
      for (const ch of d) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new InvalidArgumentError('login canceled'));
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else text += ch;
      }
    };
    input.on('data', onData);
    input.resume();
  });
}

export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let s = '';
  for await (const c of stream) s += String(c);
  return s;
}

/** Prints the question (on stdout, as podman does) and reads one answer line: y or yes is yes. */
export async function confirm(io: IO, question: string): Promise<boolean> {
  io.stdout.write(question);
  const rl = createInterface({ input: io.stdin, terminal: false });
  try {
    for await (const line of rl) return /^\s*y(es)?\s*$/i.test(line);
    return false;
  } finally {
    rl.close();
  }
}
